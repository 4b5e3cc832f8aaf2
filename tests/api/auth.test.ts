import { createHmac } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalStack } from '#tests/support/stack';

const stack = await startLocalStack({}, { cache: 'live' });
const { db, schema } = await import('#lib/db/index');
afterAll(() => stack.close());

let phoneSeq = 100000;
const newPhone = () => `+23480${String(++phoneSeq).padStart(8, '0')}`;

/** Waits for the sign-in code sent to `to` and reads it from the outbox, as a phone would. */
async function codeSentTo(to: string): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const lines = (await stack.outbox()).filter((l) => l.to === to);
    const last = lines.at(-1);
    const code = last && /\b(\d{6})\b/.exec(String(last.text))?.[1];
    if (code) return code;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no code sent to ${to}`);
}

async function signIn(id: { phone?: string; email?: string }, role: 'user' | 'host' | 'admin') {
  const requested = await stack.api('POST', '/auth/otp/request', { body: { ...id, role } });
  expect(requested.status).toBe(202);
  // The code goes to the normalized address.
  const code = await codeSentTo(id.phone ?? id.email!.trim().toLowerCase());
  const verified = await stack.api('POST', '/auth/otp/verify', { body: { ...id, role, code } });
  expect(verified.status).toBe(200);
  return verified.body as {
    accessToken: string;
    refreshToken: string;
    principal: { id: string; role: string };
  };
}

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('sign-in', () => {
  it('signs in a user by phone, a host by email and an existing admin, each with their role', async () => {
    const user = await signIn({ phone: newPhone() }, 'user');
    expect(user.principal.role).toBe('user');
    const me = await stack.api('GET', '/me', { token: user.accessToken });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: user.principal.id, role: 'user', name: null, email: null });

    const host = await signIn({ email: '  Host.One@Example.com ' }, 'host');
    expect((await stack.api('GET', '/me', { token: host.accessToken })).body).toMatchObject({
      role: 'host',
      email: 'host.one@example.com',
    });

    await db().insert(schema.admins).values({ email: 'ops@example.com', name: 'Ops' });
    const admin = await signIn({ email: 'ops@example.com' }, 'admin');
    expect(admin.principal.role).toBe('admin');
  });

  it('answers known and unknown identifiers alike, and never creates an admin', async () => {
    await db().insert(schema.admins).values({ email: 'support@example.com' });
    const unknownAdmin = await stack.api('POST', '/auth/otp/request', {
      body: { email: 'nobody@example.com', role: 'admin' },
    });
    const known = await stack.api('POST', '/auth/otp/request', {
      body: { email: 'support@example.com', role: 'admin' },
    });
    const newUser = await stack.api('POST', '/auth/otp/request', {
      body: { phone: newPhone(), role: 'user' },
    });
    for (const res of [unknownAdmin, known, newUser]) {
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      expect(res.body).toEqual({ expiresInSeconds: 300 });
    }
    const guess = await stack.api('POST', '/auth/otp/verify', {
      body: { email: 'nobody@example.com', role: 'admin', code: '000000' },
    });
    expect(guess.status).toBe(401);
    expect((await stack.outbox()).some((l) => l.to === 'nobody@example.com')).toBe(false);
  });

  it('refuses invalid phone numbers and emails with 400 naming the field', async () => {
    const phone = await stack.api('POST', '/auth/otp/request', {
      body: { phone: '12345', role: 'user' },
    });
    expect(phone.status).toBe(400);
    expect(phone.body.error.details[0].path).toBe('body.phone');
    const email = await stack.api('POST', '/auth/otp/request', {
      body: { email: 'ada@', role: 'host' },
    });
    expect(email.status).toBe(400);
    const both = await stack.api('POST', '/auth/otp/request', { body: { role: 'user' } });
    expect(both.status).toBe(400);
  });

  it('kills a code after five wrong tries, even for the right code after them', async () => {
    const phone = newPhone();
    await stack.api('POST', '/auth/otp/request', { body: { phone, role: 'user' } });
    const code = await codeSentTo(phone);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) {
      expect(
        (
          await stack.api('POST', '/auth/otp/verify', {
            body: { phone, role: 'user', code: wrong },
          })
        ).status,
      ).toBe(401);
    }
    const right = await stack.api('POST', '/auth/otp/verify', {
      body: { phone, role: 'user', code },
    });
    expect(right.status).toBe(401);
  });
});

describe('tokens', () => {
  it('rotates refresh tokens, and a reused one ends the whole family', async () => {
    const first = await signIn({ phone: newPhone() }, 'user');
    const second = await stack.api('POST', '/auth/refresh', {
      body: { refreshToken: first.refreshToken },
    });
    expect(second.status).toBe(200);
    expect(second.body.refreshToken).not.toBe(first.refreshToken);
    const third = await stack.api('POST', '/auth/refresh', {
      body: { refreshToken: second.body.refreshToken },
    });
    expect(third.status).toBe(200);

    // The first token again: theft. It fails, and so does the newest one.
    expect(
      (await stack.api('POST', '/auth/refresh', { body: { refreshToken: first.refreshToken } }))
        .status,
    ).toBe(401);
    expect(
      (
        await stack.api('POST', '/auth/refresh', {
          body: { refreshToken: third.body.refreshToken },
        })
      ).status,
    ).toBe(401);
  });

  it('accepts a quick retry of a refresh whose answer was lost, and only the newest token lives on', async () => {
    const first = await signIn({ phone: newPhone() }, 'user');
    const lost = await stack.api('POST', '/auth/refresh', {
      body: { refreshToken: first.refreshToken },
    });
    expect(lost.status).toBe(200);
    // The phone never saw `lost`, and sends the same token again.
    const retry = await stack.api('POST', '/auth/refresh', {
      body: { refreshToken: first.refreshToken },
    });
    expect(retry.status).toBe(200);
    const next = await stack.api('POST', '/auth/refresh', {
      body: { refreshToken: retry.body.refreshToken },
    });
    expect(next.status).toBe(200);
    // The answer that was lost is no good any more, and presenting it is reuse: all ends.
    expect(
      (await stack.api('POST', '/auth/refresh', { body: { refreshToken: lost.body.refreshToken } }))
        .status,
    ).toBe(401);
    expect(
      (await stack.api('POST', '/auth/refresh', { body: { refreshToken: next.body.refreshToken } }))
        .status,
    ).toBe(401);
  });

  it('logs out: the refresh token and the access token stop working', async () => {
    const session = await signIn({ phone: newPhone() }, 'host');
    expect((await stack.api('GET', '/me', { token: session.accessToken })).status).toBe(200);
    expect(
      (await stack.api('POST', '/auth/logout', { body: { refreshToken: session.refreshToken } }))
        .status,
    ).toBe(204);
    expect(
      (await stack.api('POST', '/auth/refresh', { body: { refreshToken: session.refreshToken } }))
        .status,
    ).toBe(401);
    expect((await stack.api('GET', '/me', { token: session.accessToken })).status).toBe(401);
  });

  it('answers 401 with WWW-Authenticate for a missing, expired, alg none, wrong-key or tampered token', async () => {
    const { accessToken } = await signIn({ phone: newPhone() }, 'user');
    const [header, payload] = accessToken.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const [kid, secret] = process.env.JWT_SIGNING_KEYS!.split(/:(.*)/s) as [string, string];
    const sign = (h: object, p: object, key: string) => {
      const data = `${b64(h)}.${b64(p)}`;
      return `${data}.${createHmac('sha256', key).update(data).digest('base64url')}`;
    };
    const now = Math.floor(Date.now() / 1000);
    const bad = {
      missing: undefined,
      expired: sign({ alg: 'HS256', kid }, { ...claims, iat: now - 3600, exp: now - 1800 }, secret),
      algNone: `${b64({ alg: 'none', kid })}.${b64(claims)}.`,
      wrongKey: sign({ alg: 'HS256', kid }, claims, 'x'.repeat(64)),
      tampered: `${header}.${b64({ ...claims, role: 'admin' })}.${accessToken.split('.')[2]}`,
    };
    for (const [name, token] of Object.entries(bad)) {
      const res = await stack.api('GET', '/me', token ? { token } : {});
      expect(res.status, name).toBe(401);
      expect(res.headers.get('www-authenticate'), name).toBe('Bearer');
    }
    // The same forging code with the real key passes, so the cases above fail for their own reason.
    expect(
      (await stack.api('GET', '/me', { token: sign({ alg: 'HS256', kid }, claims, secret) }))
        .status,
    ).toBe(200);
  });
});

describe('roles', () => {
  it('gives 403 to a user on a host route and to a host on an admin route', async () => {
    const user = await signIn({ phone: newPhone() }, 'user');
    const host = await signIn({ phone: newPhone() }, 'host');
    const userOnHost = await stack.api('GET', '/listings', { token: user.accessToken });
    expect(userOnHost.status).toBe(403);
    expect(userOnHost.body.error.code).toBe('forbidden');
    expect(
      (await stack.api('GET', '/admin/identity-documents', { token: host.accessToken })).status,
    ).toBe(403);
    // Each is let in where it belongs.
    expect((await stack.api('GET', '/listings', { token: host.accessToken })).status).toBe(200);
  });
});

describe('profile', () => {
  it('changes name and avatar only; role or phone in the body, or an avatar never uploaded, is a 400', async () => {
    const phone = newPhone();
    const { accessToken, principal } = await signIn({ phone }, 'user');
    const escalate = await stack.api('PATCH', '/me', {
      token: accessToken,
      body: { name: 'Chidi', role: 'admin' },
    });
    expect(escalate.status).toBe(400);
    const me = await stack.api('GET', '/me', { token: accessToken });
    expect(me.body).toMatchObject({ role: 'user', name: null, phone });

    // An avatar that was never uploaded is refused (the upload flow is in account-deletion.test.ts).
    const never = await stack.api('PATCH', '/me', {
      token: accessToken,
      body: { name: 'Chidi Eze', avatarKey: `avatars/${principal.id}/${crypto.randomUUID()}.jpg` },
    });
    expect(never.status).toBe(400);
    expect(never.body.error.code).toBe('upload_missing');
    const renamed = await stack.api('PATCH', '/me', {
      token: accessToken,
      body: { name: 'Chidi Eze' },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'Chidi Eze', avatarUrl: null });
    const foreign = await stack.api('PATCH', '/me', {
      token: accessToken,
      body: { avatarKey: 'avatars/someone-else/a.jpg' },
    });
    expect(foreign.status).toBe(400);
  });

  it('forgets the device push token at logout, when the app sends it', async () => {
    const { accessToken, refreshToken, principal } = (await signIn(
      { phone: newPhone() },
      'user',
    )) as {
      accessToken: string;
      refreshToken: string;
      principal: { id: string };
    };
    const device = { token: 'ExponentPushToken[logout123]', platform: 'ios' };
    expect(
      (await stack.api('POST', '/me/push-tokens', { token: accessToken, body: device })).status,
    ).toBe(204);
    const logout = await stack.api('POST', '/auth/logout', {
      body: { refreshToken, pushToken: device.token },
    });
    expect(logout.status).toBe(204);
    const rows = await db().select().from(schema.pushTokens);
    expect(rows.filter((r) => r.principalId === principal.id)).toEqual([]);
  });

  it('registers a push token idempotently', async () => {
    const { accessToken, principal } = await signIn({ phone: newPhone() }, 'user');
    const body = { token: 'ExponentPushToken[abcDEF123]', platform: 'android' };
    expect((await stack.api('POST', '/me/push-tokens', { token: accessToken, body })).status).toBe(
      204,
    );
    expect((await stack.api('POST', '/me/push-tokens', { token: accessToken, body })).status).toBe(
      204,
    );
    const rows = await db().select().from(schema.pushTokens);
    expect(rows.filter((r) => r.principalId === principal.id)).toHaveLength(1);
  });
});
