import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import type { ApiResponse } from '#tests/support/api';
import { publishListings } from '#tests/support/catalogue-data';
import { startLocalStack } from '#tests/support/stack';

const stack = await startLocalStack({}, { cache: 'live' });
const data = await import('#lib/db/index');
const { cacheKey } = await import('#lib/platform/cache');
const { CLIENT_ENTRY_BUDGET, clientOf } = await import('#lib/catalogue/cache');
// The logical database the stack's Upstash stand-in uses for this worker.
const redis = new Redis({ db: Number(process.env.VITEST_POOL_ID ?? 1) % 16 });
afterAll(async () => {
  redis.disconnect();
  await stack.close();
});

// 30 listings in Lagos at increasing prices and guest counts, newest last.
const lagos = await publishListings(data, 30, {
  price: (i) => 1_000_000 + i * 100_000,
  guests: (i) => 1 + (i % 6),
});

/** Every key of this database's namespace, without the namespace. */
async function keys(): Promise<string[]> {
  const prefix = cacheKey('');
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    found.push(...batch.map((k) => k.slice(prefix.length)));
  } while (cursor !== '0');
  return found;
}

/** A GET sent from another loopback address: another client, as the gateway sees it. */
function getFrom(localAddress: string, path: string) {
  return new Promise<{ status: number; cache: string | undefined; body: ApiResponse['body'] }>(
    (resolve, reject) => {
      const req = request(`${stack.gateway.url}${path}`, { localAddress }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            cache: res.headers['x-cache'] as string | undefined,
            body: JSON.parse(text),
          }),
        );
      });
      req.on('error', reject);
      req.end();
    },
  );
}

describe('a client flooding the catalogue cache', () => {
  it('leaves at most its budget of short-lived entries for distinct filtered pages, and no stale copies', async () => {
    const before = await keys();
    const floods = [
      ...Array.from({ length: 40 }, (_, i) => `/listings/public?city=x${i}`),
      ...Array.from({ length: 40 }, (_, i) => `/listings/public?minPrice=${i}`),
      ...Array.from({ length: 40 }, (_, i) => `/listings/public?guests=2&limit=${i + 1}`),
    ];
    for (const path of floods) {
      const res = await stack.api('GET', path);
      expect(res.status, path).toBe(200);
    }
    const added = (await keys()).filter((k) => !before.includes(k));
    const pages = added.filter((k) => /^catalogue:\d+:feed:/.test(k));
    // A write that times out under load is neither stored nor counted, so the count may fall short.
    expect(pages.length).toBeGreaterThan(0);
    expect(pages.length).toBeLessThanOrEqual(CLIENT_ENTRY_BUDGET);
    expect(added.filter((k) => k.startsWith('catalogue:stale:'))).toEqual([]);
    // The pages plus the client's own counter, nothing else.
    expect(added.length).toBeLessThanOrEqual(CLIENT_ENTRY_BUDGET + 1);
    for (const k of pages) expect(await redis.ttl(cacheKey(k))).toBeLessThanOrEqual(120);

    // Over its budget the client is still answered, correctly, from Postgres each time.
    for (let i = 0; i < 2; i++) {
      const over = await stack.api('GET', '/listings/public?minPrice=3500000');
      expect(over.status).toBe(200);
      expect(over.headers.get('x-cache')).toBe('miss');
      expect(over.body.total).toBe(5);
    }
  });

  it('leaves nothing at all for listings that do not exist', async () => {
    const before = await keys();
    for (let i = 0; i < 30; i++) {
      expect((await stack.api('GET', `/listings/public/${randomUUID()}`)).status).toBe(404);
    }
    expect((await keys()).filter((k) => !before.includes(k))).toEqual([]);
  });

  it('does not take the budget of another client, whose filtered browsing is still cached', async () => {
    const path = '/listings/public?minPrice=2000000&maxPrice=2500000&guests=3';
    const first = await getFrom('127.0.0.2', path);
    expect(first.status).toBe(200);
    expect(first.cache).toBe('miss');
    // Prices 2.0M–2.5M are listings 10–15; of those, guests ≥ 3 leaves 11, 13, 14, 15.
    expect(first.body.total).toBe(4);
    const again = await getFrom('127.0.0.2', path);
    expect(again.cache).toBe('hit');
    expect(again.body).toEqual(first.body);
  });
});

describe('a client', () => {
  it('is its IPv4 address, or its whole IPv6 /64, so rotating addresses in one /64 gains nothing', () => {
    expect(clientOf('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientOf('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(clientOf('2001:0db8:0001:0002:ffff:1:2:3')).toBe('2001:db8:1:2::/64');
    expect(clientOf('2001:db8::5')).toBe('2001:db8:0:0::/64');
    expect(clientOf('2001:db8:1:3::1')).not.toBe(clientOf('2001:db8:1:2::1'));
  });
});

describe('pages worth serving in an outage', () => {
  it('keep a stale copy: the default feed pages, city pages with cards, home and an existing listing', async () => {
    const id = lagos.ids[0]!;
    for (const path of [
      '/listings/public',
      '/listings/public?offset=20',
      '/listings/public?city=LAGOS',
      '/home-feed',
      `/listings/public/${id}`,
    ]) {
      expect((await stack.api('GET', path)).status, path).toBe(200);
    }
    const stale = (await keys()).filter((k) => k.startsWith('catalogue:stale:'));
    expect(stale.sort()).toEqual(
      [
        'catalogue:stale:feed:l=20:o=0:c=:city=:min=:max=:g=',
        'catalogue:stale:feed:l=20:o=20:c=:city=:min=:max=:g=',
        'catalogue:stale:feed:l=20:o=0:c=:city=lagos:min=:max=:g=',
        'catalogue:stale:home',
        `catalogue:stale:listing:${id}`,
      ].sort(),
    );
    expect(await redis.ttl(cacheKey('catalogue:stale:home'))).toBeGreaterThan(3600);
  });

  it('are kept whoever asks, even a client over its budget, but never for an empty page', async () => {
    const id = lagos.ids[1]!;
    expect((await stack.api('GET', `/listings/public/${id}`)).status).toBe(200);
    expect((await stack.api('GET', '/listings/public?offset=200')).body.listings).toEqual([]);
    expect((await stack.api('GET', '/listings/public?city=atlantis')).body.listings).toEqual([]);
    const stale = (await keys()).filter((k) => k.startsWith('catalogue:stale:'));
    expect(stale).toContain(`catalogue:stale:listing:${id}`);
    expect(stale.filter((k) => k.includes('o=200') || k.includes('atlantis'))).toEqual([]);
  });
});
