import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { signAccessToken } from '#lib/auth/tokens';
import { authenticate } from '#lib/http/auth';
import { signedIn } from '#lib/http/contract';

const hosts = signedIn('host');
const event = (authorization?: string) =>
  ({ headers: authorization === undefined ? {} : { authorization } }) as APIGatewayProxyEventV2;

// A sign-in nobody ended: no revoked refresh token of its family exists.
const token = (role: 'user' | 'host') =>
  signAccessToken({ sub: randomUUID(), role, sid: randomUUID() });

describe('the bearer strategy', () => {
  it('takes `Bearer <token>` in any case and with any run of spaces, and gives the principal', async () => {
    const access = await token('host');
    for (const header of [`Bearer ${access}`, `bearer ${access}`, `Bearer   ${access}`]) {
      await expect(authenticate(hosts, event(header))).resolves.toMatchObject({ role: 'host' });
    }
  });

  it('refuses anything around the token, another scheme, or no header: 401', async () => {
    const access = await token('host');
    for (const header of [
      undefined,
      '',
      access,
      `Basic ${access}`,
      `Token Bearer ${access}`,
      `Bearer ${access} extra`,
      `Bearer ${access}\n`,
      'Bearer',
    ]) {
      await expect(authenticate(hosts, event(header)), String(header)).rejects.toMatchObject({
        statusCode: 401,
        code: 'unauthorized',
      });
    }
  });

  it('says why a well-formed but bad token is refused, and gives a wrong role 403', async () => {
    await expect(authenticate(hosts, event(`Bearer ${'x'.repeat(40)}`))).rejects.toMatchObject({
      statusCode: 401,
      message: 'The access token is invalid, expired or revoked.',
    });
    await expect(authenticate(hosts, event(`Bearer ${await token('user')}`))).rejects.toMatchObject(
      { statusCode: 403 },
    );
  });
});
