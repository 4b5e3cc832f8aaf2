import { afterAll, describe, expect, it } from 'vitest';
import { startNeonProxy } from '#local/emulators/neon/index';
import { publishListings } from '#tests/support/catalogue-data';
import { type LocalStack, startLocalStack } from '#tests/support/stack';

// This stack reaches Postgres through a Neon stand-in of its own, which a test stops. It is
// started first so that this file's own modules (imported next) share its cache.
const neon = await startNeonProxy();
const live = await startLocalStack(
  { NEON_LOCAL_PROXY_URL: `http://127.0.0.1:${neon.port}` },
  { cache: 'live' },
);
const data = await import('#lib/db/index');
const { invalidateCatalogue } = await import('#lib/catalogue/cache');
const { ids } = await publishListings(data, 3);
const stacks: LocalStack[] = [live];
const proxies = [neon];
afterAll(async () => {
  for (const s of stacks) await s.close();
  for (const p of proxies) await p.close();
});
const paths = [
  '/listings/public',
  '/listings/public?city=lagos&limit=2',
  `/listings/public/${ids[0]}`,
  '/home-feed',
];

// Each stack's functions read the environment when first invoked, so the stack started
// first is used first.
describe('when Postgres is down', () => {
  it('serves pages still in the cache, and stale copies of invalidated ones', async () => {
    const stack = live;
    for (const path of paths) expect((await stack.api('GET', path)).status, path).toBe(200);

    await neon.close();
    for (const path of paths) {
      const res = await stack.api('GET', path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('x-cache'), path).toBe('hit');
    }
    // A change makes every page a miss; with Postgres down the stale copies answer.
    await invalidateCatalogue(ids[0]!);
    const stale = await stack.api('GET', '/listings/public');
    expect(stale.status).toBe(200);
    expect(stale.headers.get('x-cache')).toBe('stale');
    // A page never cached has nothing to fall back on: 503, not a hang or a stack trace.
    const uncached = await stack.api('GET', '/listings/public?city=nowhere');
    expect(uncached.status).toBe(503);
    expect(uncached.body.error.code).toBe('service_unavailable');
  });
});

describe('when Redis is down', () => {
  it('still answers every catalogue request with 200, from Postgres', async () => {
    const neonAgain = await startNeonProxy();
    proxies.push(neonAgain);
    const stack = await startLocalStack(
      { NEON_LOCAL_PROXY_URL: `http://127.0.0.1:${neonAgain.port}` },
      { cache: 'dead' },
    );
    stacks.push(stack);
    for (const path of paths) {
      const res = await stack.api('GET', path);
      expect(res.status, path).toBe(200);
    }
    const health = await stack.api('GET', '/health');
    expect(health.status).toBe(200);
    expect(health.body.cache).toBe('error');
  });
});
