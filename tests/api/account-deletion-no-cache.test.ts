import { afterAll, describe, expect, it } from 'vitest';
import { startLocalStack } from '#tests/support/stack';

// No cache at all: the database alone must end the sign-ins.
const stack = await startLocalStack({}, { cache: 'none' });
afterAll(() => stack.close());

describe('without a cache', () => {
  it('an erased account’s access token stops working at once, and cannot write again', async () => {
    const guest = await stack.signIn('user');
    expect((await stack.api('DELETE', '/me', { token: guest.accessToken })).status).toBe(204);
    expect((await stack.api('GET', '/me', { token: guest.accessToken })).status).toBe(401);
    expect(
      (await stack.api('PATCH', '/me', { token: guest.accessToken, body: { name: 'Back again' } }))
        .status,
    ).toBe(401);
    expect(
      (
        await stack.api('POST', '/me/push-tokens', {
          token: guest.accessToken,
          body: {
            token: 'ExponentPushToken[again]',
            platform: 'ios',
          },
        })
      ).status,
    ).toBe(401);
    expect(
      (await stack.api('POST', '/auth/refresh', { body: { refreshToken: guest.refreshToken } }))
        .status,
    ).toBe(401);
  });

  it('a logout ends the access token too', async () => {
    const host = await stack.signIn('host');
    expect((await stack.api('GET', '/me', { token: host.accessToken })).status).toBe(200);
    expect(
      (await stack.api('POST', '/auth/logout', { body: { refreshToken: host.refreshToken } }))
        .status,
    ).toBe(204);
    expect((await stack.api('GET', '/me', { token: host.accessToken })).status).toBe(401);
  });
});
