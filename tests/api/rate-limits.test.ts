import { like, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import type { ApiResponse } from '#tests/support/api';
import { startLocalStack } from '#tests/support/stack';

// The cache is configured but its Redis is gone: the limits must hold all the same.
const stack = await startLocalStack({}, { cache: 'dead' });
const { db, schema } = await import('#lib/db/index');
afterAll(() => stack.close());

const request = (phone: string) =>
  stack.api('POST', '/auth/otp/request', { body: { phone, role: 'user' } });

/** Ends the minute windows, as if a minute had passed. */
const aMinuteLater = () =>
  db()
    .update(schema.rateLimits)
    .set({ windowEnds: sql`now()` })
    .where(like(schema.rateLimits.key, '%:minute'));

function expectLimited(res: ApiResponse, atMostSeconds: number) {
  expect(res.status).toBe(429);
  expect(res.body.error.code).toBe('rate_limited');
  const retryAfter = Number(res.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(atMostSeconds);
}

describe('OTP rate limits, with the cache down', () => {
  it('allows one request a minute per identifier', async () => {
    expect((await request('+2348031110001')).status).toBe(202);
    expectLimited(await request('+2348031110001'), 60);
    expect((await request('+2348031110002')).status).toBe(202);
  });

  it('allows five requests an hour per identifier', async () => {
    for (let i = 0; i < 5; i++) {
      expect((await request('+2348031110003')).status).toBe(202);
      await aMinuteLater();
    }
    expectLimited(await request('+2348031110003'), 3600);
  });

  it('limits verify attempts per identifier', async () => {
    const verify = () =>
      stack.api('POST', '/auth/otp/verify', {
        body: { phone: '+2348031110004', role: 'user', code: '123456' },
      });
    for (let i = 0; i < 10; i++) expect((await verify()).status).toBe(401);
    expectLimited(await verify(), 900);
  });

  it('allows twenty requests an hour from one address', async () => {
    // Earlier tests in this file spent 8 of them.
    const used = await db()
      .select({ hits: schema.rateLimits.hits })
      .from(schema.rateLimits)
      .where(like(schema.rateLimits.key, 'otp-request:ip:%'));
    for (let i = used[0]?.hits ?? 0; i < 20; i++) {
      expect((await request(`+23480322200${String(i).padStart(2, '0')}`)).status).toBe(202);
    }
    expectLimited(await request('+2348032229999'), 3600);
  });
});

describe('logout, with the cache down', () => {
  it('still ends the access token: the database answers what the cache cannot', async () => {
    // The tests above spent this address's requests.
    await db().delete(schema.rateLimits).where(like(schema.rateLimits.key, 'otp-request:ip:%'));
    const s = await stack.signIn('user', 'down@example.com');
    const me = () => stack.api('GET', '/me', { token: s.accessToken });
    expect((await me()).status).toBe(200);
    const out = await stack.api('POST', '/auth/logout', {
      body: { refreshToken: s.refreshToken },
    });
    expect(out.status).toBe(204);
    expect((await me()).status).toBe(401);
  });
});
