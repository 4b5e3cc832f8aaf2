import { createServer } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';

// A cache that accepts connections and never answers: the worst way for Redis to fail.
const hanging = createServer(() => {});
await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', r));
Object.assign(process.env, {
  UPSTASH_REDIS_REST_URL: `http://127.0.0.1:${(hanging.address() as { port: number }).port}`,
  UPSTASH_REDIS_REST_TOKEN: 'token',
  CACHE_TIMEOUT_MS: '200',
});
const { safely } = await import('#lib/platform/cache');
afterAll(() => {
  hanging.closeAllConnections();
  hanging.close();
});

describe('a cache that hangs', () => {
  it('is a miss after its deadline: the call returns its fallback instead of holding the request', async () => {
    expect(await safely('read', (r) => r.get('k'), 'fallback')).toBe('fallback');
    expect(await safely('write', (r) => r.set('k', 'v'), null)).toBeNull();
  });
});
