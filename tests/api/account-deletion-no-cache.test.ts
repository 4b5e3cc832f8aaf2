import { afterAll, describe, expect, it } from 'vitest';
import { call } from '#tests/support/api';
import { signIn } from '#tests/support/sign-in';
import { startLocalStack } from '#tests/support/stack';

// No cache at all: the database alone must end the sign-ins.
const stack = await startLocalStack({}, { cache: 'none' });
afterAll(() => stack.close());
const api = (method: string, path: string, token?: string, body?: unknown) =>
  call(stack.gateway.url, method, path, {
    ...(token ? { token } : {}),
    ...(body !== undefined ? { body } : {}),
  });

describe('without a cache', () => {
  it('an erased account’s access token stops working at once, and cannot write again', async () => {
    const guest = (await signIn(stack, 'user')) as Awaited<ReturnType<typeof signIn>> & {
      refreshToken: string;
    };
    expect((await api('DELETE', '/me', guest.accessToken)).status).toBe(204);
    expect((await api('GET', '/me', guest.accessToken)).status).toBe(401);
    expect((await api('PATCH', '/me', guest.accessToken, { name: 'Back again' })).status).toBe(401);
    expect(
      (
        await api('POST', '/me/push-tokens', guest.accessToken, {
          token: 'ExponentPushToken[again]',
          platform: 'ios',
        })
      ).status,
    ).toBe(401);
    expect(
      (await api('POST', '/auth/refresh', undefined, { refreshToken: guest.refreshToken })).status,
    ).toBe(401);
  });

  it('a logout ends the access token too', async () => {
    const host = (await signIn(stack, 'host')) as Awaited<ReturnType<typeof signIn>> & {
      refreshToken: string;
    };
    expect((await api('GET', '/me', host.accessToken)).status).toBe(200);
    expect(
      (await api('POST', '/auth/logout', undefined, { refreshToken: host.refreshToken })).status,
    ).toBe(204);
    expect((await api('GET', '/me', host.accessToken)).status).toBe(401);
  });
});
