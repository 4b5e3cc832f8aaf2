import { like } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalStack } from '#tests/support/stack';

// The stack as `npm run dev` runs it: every request from loopback, loopback exempted.
const stack = await startLocalStack({ APP_ENV: 'development', RATE_LIMIT_LOOPBACK_EXEMPT: 'true' });
const { db, schema } = await import('#lib/db/index');
afterAll(() => stack.close());

describe('rate limits on a developer machine', () => {
  it('lets one machine sign in 30 times in a row: no per-address limit on loopback', async () => {
    for (let i = 0; i < 30; i++) await stack.signIn(i % 2 ? 'host' : 'user');
    const perAddress = await db()
      .select()
      .from(schema.rateLimits)
      .where(like(schema.rateLimits.key, '%:ip:%'));
    expect(perAddress).toEqual([]);
  });

  it('still limits each identifier', async () => {
    const request = () =>
      stack.api('POST', '/auth/otp/request', {
        body: { phone: '+2348031119999', role: 'user' },
      });
    expect((await request()).status).toBe(202);
    const again = await request();
    expect(again.status).toBe(429);
    expect(again.body.error.code).toBe('rate_limited');
  });
});
