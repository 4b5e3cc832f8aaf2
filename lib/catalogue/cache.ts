import { isIP } from 'node:net';
import { isDbUnavailable } from '#lib/db/errors';
import { cache, cacheKey, safely } from '#lib/platform/cache';
import { logger } from '#lib/platform/log';

/**
 * Cache-aside for the public catalogue. Every entry (feed and home pages, listing details)
 * lives under a generation number (`<namespace>:catalogue:<gen>:<key>`), read in the same round trip
 * as the entry; any change to a listing increments it, which orphans every entry at once
 * in O(1) (orphans expire by TTL). A write that raced a change lands under the old
 * generation, where nobody reads it.
 *
 * What a request may leave behind depends on who chose the key (see `Keep`): entries whose
 * number the data bounds (home, the default feed pages, listings that exist) also keep a
 * long-lived stale copy, served only when Postgres fails on a miss; entries whose key the
 * client makes up (filters, cursors, odd page sizes, empty pages) are short-lived and
 * stored only within that client's budget; a missing listing is not stored at all. A
 * listing's own stale detail is deleted when it changes.
 */
const generationKey = () => cacheKey('catalogue:generation');
const STALE_SECONDS = 24 * 60 * 60;

/**
 * How many client-chosen entries one client may add per window. Over it, its pages are
 * still served (from Postgres), just not stored: many people share one carrier-grade NAT
 * address, so a refusal would hit them all. An entry lives at most its TTL (≤ the window),
 * so one client holds at most twice this many at any moment.
 */
export const CLIENT_ENTRY_BUDGET = 50;
const BUDGET_WINDOW_SECONDS = 120;

// Reads the generation and the page under it in one round trip.
const READ_VERSIONED = `local g = redis.call('GET', KEYS[1]) or '0'
return {g, redis.call('GET', ARGV[1] .. g .. ARGV[2])}`;

// Counts one entry against the client's budget and stores it only if the budget allows.
const WRITE_BUDGETED = `local n = redis.call('INCR', KEYS[2])
if n == 1 then redis.call('EXPIRE', KEYS[2], ARGV[3]) end
if n > tonumber(ARGV[4]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return 1`;

export type CacheState = 'hit' | 'miss' | 'stale' | 'off';

export interface Cached<T> {
  value: T;
  cache: CacheState;
}

/**
 * What a loaded value may leave in the cache:
 * - `outage`: a fresh entry and a 24-hour stale copy. Only for keys whose number the data
 *   bounds, whoever asks: home, the default feed pages that have cards, existing listings.
 * - `budgeted`: a fresh entry only, counted against the asking client's budget.
 * - `nothing`: not stored (a listing that does not exist: its lookup is one index probe).
 */
export type Keep = 'outage' | 'budgeted' | 'nothing';

export interface CachePolicy<T> {
  keep: (value: T) => Keep;
  /** Who asked, from `clientOf`; the budget of `budgeted` entries is kept per client. */
  client: string;
}

const staleKey = (key: string) => cacheKey(`catalogue:stale:${key}`);
const budgetKey = (client: string) => cacheKey(`catalogue:budget:${client}`);
/** The cache key of one listing's public detail. */
export const listingDetailKey = (listingId: string) => `listing:${listingId}`;

/**
 * The client a source address stands for: an IPv4 address, or an IPv6 /64 (one subscriber
 * gets a whole /64, so counting single IPv6 addresses would bound nothing).
 */
export function clientOf(sourceIp: string): string {
  const v4 = sourceIp.replace(/^::ffff:/i, '');
  if (isIP(v4) === 4) return v4;
  if (isIP(sourceIp) !== 6) return 'unknown';
  const [head = '', tail = ''] = sourceIp.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = sourceIp.includes('::') ? (tail ? tail.split(':') : []) : [];
  const groups = [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

async function read(key: string): Promise<{ gen: string; value: string | null } | undefined> {
  return safely(
    'catalogue read',
    async (r) => {
      const [gen, value] = (await r.eval(
        READ_VERSIONED,
        [generationKey()],
        [cacheKey('catalogue:'), `:${key}`],
      )) as [string, string | null];
      return { gen, value };
    },
    undefined,
  );
}

async function write(
  fresh: string,
  key: string,
  json: string,
  ttl: number,
  keep: Keep,
  client: string,
) {
  if (keep === 'nothing') return;
  await safely(
    'catalogue write',
    (r) =>
      keep === 'outage'
        ? r
            .pipeline()
            .set(fresh, json, { ex: ttl })
            .set(staleKey(key), json, { ex: STALE_SECONDS })
            .exec()
        : r.eval(
            WRITE_BUDGETED,
            [fresh, budgetKey(client)],
            [json, String(ttl), String(BUDGET_WINDOW_SECONDS), String(CLIENT_ENTRY_BUDGET)],
          ),
    null,
  );
}

/**
 * The cached value of `key`, or `load()`'s, stored for `ttlSeconds` as `policy` allows. A
 * cache that is down is a miss; a database that is down on a miss serves the stale copy
 * if there is one.
 */
export async function cachedCatalogue<T>(
  key: string,
  ttlSeconds: number,
  load: () => Promise<T>,
  policy: CachePolicy<T>,
): Promise<Cached<T>> {
  const found = await read(key);
  if (found?.value) return { value: JSON.parse(found.value) as T, cache: 'hit' };
  let value: T;
  try {
    value = await load();
  } catch (error) {
    if (!isDbUnavailable(error)) throw error;
    const stale = await safely('catalogue stale read', (r) => r.get<string>(staleKey(key)), null);
    if (!stale) throw error;
    logger.warn('database unavailable; serving a stale catalogue page', { key });
    return { value: JSON.parse(stale) as T, cache: 'stale' };
  }
  if (found) {
    const fresh = cacheKey(`catalogue:${found.gen}:${key}`);
    await write(fresh, key, JSON.stringify(value), ttlSeconds, policy.keep(value), policy.client);
  }
  return { value, cache: found ? 'miss' : 'off' };
}

/**
 * After any change to a listing or its photos (or to a host's public name): every feed,
 * home and detail entry is gone, in one atomic round trip whose cost does not grow with the
 * number of cached entries, and so is that listing's stale detail. If the cache is down,
 * TTLs are the safety net.
 */
export async function invalidateCatalogue(listingId?: string): Promise<void> {
  if (!cache()) return;
  await safely(
    'catalogue invalidate',
    (r) => {
      const tx = r.multi().incr(generationKey());
      if (listingId) tx.del(staleKey(listingDetailKey(listingId)));
      return tx.exec();
    },
    null,
  );
}
