import { afterAll, describe, expect, it } from 'vitest';
import { startLocalStack } from '#tests/support/stack';

// An Upstash URL without its token (a half-set deploy environment) means no cache, as
// neither means: the API runs on Postgres alone rather than failing every cache call.
const stack = await startLocalStack({ UPSTASH_REDIS_REST_URL: 'http://127.0.0.1:1' });
afterAll(() => stack.close());

describe('a cache URL without its token', () => {
  it('is no cache at all: health says skipped, and the feed is served from Postgres', async () => {
    const health = await stack.api('GET', '/health');
    expect(health.status).toBe(200);
    expect(health.body.cache).toBe('skipped');
    const feed = await stack.api('GET', '/listings/public');
    expect(feed.status).toBe(200);
    expect(feed.headers.get('x-cache')).toBe('off');
  });
});
