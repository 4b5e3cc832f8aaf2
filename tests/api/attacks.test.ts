// Attacks from the hardening review (issue 11), each beside the legitimate path it must
// leave working.
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { call } from '../support/api.ts';
import { signIn } from '../support/sign-in.ts';
import { startLocalStack } from '../support/stack.ts';

const stack = await startLocalStack({}, { cache: 'live' });
const { cacheKey } = await import('#lib/cache');
const redis = new Redis({ db: Number(process.env.VITEST_POOL_ID ?? 1) % 16 });
afterAll(async () => {
  redis.disconnect();
  await stack.close();
});
const api = (method: string, path: string, options: Parameters<typeof call>[3] = {}) =>
  call(stack.gateway.url, method, path, options);
type Session = Awaited<ReturnType<typeof signIn>> & { refreshToken: string };
const session = async (role: 'user' | 'host') => (await signIn(stack, role)) as Session;
const refresh = (refreshToken: string) => api('POST', '/auth/refresh', { body: { refreshToken } });
const sid = (accessToken: string) =>
  JSON.parse(Buffer.from(accessToken.split('.')[1] as string, 'base64url').toString())
    .sid as string;

describe('logout', () => {
  it('holds when the cache forgets the revocation (evicted or flushed)', async () => {
    const s = await session('user');
    expect((await api('GET', '/me', { token: s.accessToken })).status).toBe(200);
    expect(
      (await api('POST', '/auth/logout', { body: { refreshToken: s.refreshToken } })).status,
    ).toBe(204);
    expect(await redis.del(cacheKey(`session:${sid(s.accessToken)}`))).toBe(1);
    expect((await api('GET', '/me', { token: s.accessToken })).status).toBe(401);
  });
});

describe('the refresh grace for a lost answer', () => {
  it('cannot be shared by a thief and a victim taking turns', async () => {
    const s = await session('user');
    const victim1 = await refresh(s.refreshToken); // T1 → T2
    expect(victim1.status).toBe(200);
    const thief1 = await refresh(s.refreshToken); // T1 again within the grace: T3, T2 retired
    expect(thief1.status).toBe(200);
    // The victim's T2 was retired: presenting it is theft, and the whole sign-in ends.
    expect((await refresh(victim1.body.refreshToken)).status).toBe(401);
    expect((await refresh(thief1.body.refreshToken)).status).toBe(401);
    expect((await api('GET', '/me', { token: thief1.body.accessToken })).status).toBe(401);
  });

  it('still lets a phone whose answer was lost retry once', async () => {
    const s = await session('host');
    const lost = await refresh(s.refreshToken);
    const retry = await refresh(s.refreshToken);
    expect([lost.status, retry.status]).toEqual([200, 200]);
    const next = await refresh(retry.body.refreshToken);
    expect(next.status).toBe(200);
    expect((await api('GET', '/me', { token: next.body.accessToken })).status).toBe(200);
  });
});
