import { cache, cacheKey, safely } from '#lib/cache';
import { isDbUnavailable } from '#lib/db/errors';
import { logger } from '#lib/log';

/**
 * Cache-aside for the public catalogue. Every entry (feed and home pages, listing details)
 * lives under a generation number (`<namespace>:catalogue:<gen>:<key>`), read in the same round trip
 * as the entry; any change to a listing increments it, which orphans every entry at once
 * in O(1) (orphans expire by TTL). A write that raced a change lands under the old
 * generation, where nobody reads it. Every entry also keeps a long-lived stale copy,
 * served only when Postgres fails on a miss; a listing's own stale detail is deleted when
 * it changes.
 */
const generationKey = () => cacheKey('catalogue:generation');
const STALE_SECONDS = 24 * 60 * 60;

// Reads the generation and the page under it in one round trip.
const READ_VERSIONED = `local g = redis.call('GET', KEYS[1]) or '0'
return {g, redis.call('GET', ARGV[1] .. g .. ARGV[2])}`;

export type CacheState = 'hit' | 'miss' | 'stale' | 'off';

export interface Cached<T> {
  value: T;
  cache: CacheState;
}

const staleKey = (key: string) => cacheKey(`catalogue:stale:${key}`);
/** The cache key of one listing's public detail. */
export const listingDetailKey = (listingId: string) => `listing:${listingId}`;

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

/**
 * The cached value of `key`, or `load()`'s, stored for `ttlSeconds`. A cache that is down
 * is a miss; a database that is down on a miss serves the stale copy if there is one.
 */
export async function cachedCatalogue<T>(
  key: string,
  ttlSeconds: number,
  load: () => Promise<T>,
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
    const json = JSON.stringify(value);
    const fresh = cacheKey(`catalogue:${found.gen}:${key}`);
    await safely(
      'catalogue write',
      (r) =>
        r
          .pipeline()
          .set(fresh, json, { ex: ttlSeconds })
          .set(staleKey(key), json, { ex: STALE_SECONDS })
          .exec(),
      null,
    );
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
