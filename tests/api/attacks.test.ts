// Attacks from the hardening review (issue 11), each beside the legitimate path it must
// leave working.
import { eq } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { callFrom } from '#tests/support/api';
import { startLocalStack } from '#tests/support/stack';

const stack = await startLocalStack({}, { cache: 'live' });
const { cacheKey } = await import('#lib/platform/cache');
const data = await import('#lib/db/index');
const { db, schema } = data;
const { publishListings } = await import('../support/catalogue-data.ts');
const redis = new Redis({ db: Number(process.env.VITEST_POOL_ID ?? 1) % 16 });
afterAll(async () => {
  redis.disconnect();
  await stack.close();
});
const refresh = (refreshToken: string) =>
  stack.api('POST', '/auth/refresh', { body: { refreshToken } });
const sid = (accessToken: string) =>
  JSON.parse(Buffer.from(accessToken.split('.')[1] as string, 'base64url').toString())
    .sid as string;

describe('logout', () => {
  it('holds when the cache forgets the revocation (evicted or flushed)', async () => {
    const s = await stack.signIn('user');
    expect((await stack.api('GET', '/me', { token: s.accessToken })).status).toBe(200);
    expect(
      (await stack.api('POST', '/auth/logout', { body: { refreshToken: s.refreshToken } })).status,
    ).toBe(204);
    expect(await redis.del(cacheKey(`session:${sid(s.accessToken)}`))).toBe(1);
    expect((await stack.api('GET', '/me', { token: s.accessToken })).status).toBe(401);
  });
});

describe('the refresh grace for a lost answer', () => {
  it('cannot be shared by a thief and a victim taking turns', async () => {
    const s = await stack.signIn('user');
    const victim1 = await refresh(s.refreshToken); // T1 → T2
    expect(victim1.status).toBe(200);
    const thief1 = await refresh(s.refreshToken); // T1 again within the grace: T3, T2 retired
    expect(thief1.status).toBe(200);
    // The victim's T2 was retired: presenting it is theft, and the whole sign-in ends.
    expect((await refresh(victim1.body.refreshToken)).status).toBe(401);
    expect((await refresh(thief1.body.refreshToken)).status).toBe(401);
    expect((await stack.api('GET', '/me', { token: thief1.body.accessToken })).status).toBe(401);
  });

  it('still lets a phone whose answer was lost retry once', async () => {
    const s = await stack.signIn('host');
    const lost = await refresh(s.refreshToken);
    const retry = await refresh(s.refreshToken);
    expect([lost.status, retry.status]).toEqual([200, 200]);
    const next = await refresh(retry.body.refreshToken);
    expect(next.status).toBe(200);
    expect((await stack.api('GET', '/me', { token: next.body.accessToken })).status).toBe(200);
  });
});

describe('the catalogue cache', () => {
  it('is not emptied by writes that change nothing anyone sees', async () => {
    const host = await stack.signIn('host');
    await stack.api('PATCH', '/me', { token: host.accessToken, body: { name: 'Host A' } });
    const [listing] = await db()
      .insert(schema.listings)
      .values({
        hostId: host.principal.id,
        title: 'Draft',
        city: 'Lagos',
        pricePerNight: 1,
        maxGuests: 1,
      })
      .returning();
    await publishListings(data, 1);
    const feed = async () => (await stack.api('GET', '/listings/public')).headers.get('x-cache');
    await feed();
    expect(await feed()).toBe('hit');
    for (let i = 0; i < 20; i++) {
      await stack.api('PATCH', '/me', { token: host.accessToken, body: { name: 'Host A' } });
      await stack.api('PATCH', `/listings/${listing!.id}`, {
        token: host.accessToken,
        body: { title: `Draft ${i}` },
      });
    }
    expect(await feed()).toBe('hit');
    // A real change a card shows still empties it at once.
    const [shown] = await db()
      .select({ id: schema.listings.id })
      .from(schema.listings)
      .where(eq(schema.listings.status, 'published'))
      .limit(1);
    expect(shown).toBeDefined();
    await stack.api('PATCH', '/me', { token: host.accessToken, body: { name: 'Host B' } });
    expect(await feed()).toBe('miss');
  });

  it('limits the writes one host can make to it', async () => {
    const host = await stack.signIn('host');
    const statuses: number[] = [];
    for (let i = 0; i < 121; i++) {
      statuses.push(
        (await stack.api('PATCH', '/me', { token: host.accessToken, body: { name: `N${i % 2}` } }))
          .status,
      );
    }
    expect(statuses.slice(0, 120).every((s) => s === 200)).toBe(true);
    expect(statuses[120]).toBe(429);
  });
});

describe('wrong sign-in codes', () => {
  it('from a stranger do not lock the owner out, and a brute force from many addresses still stops', async () => {
    const phone = '+2348039990001';
    const verify = (from: string, code: string) =>
      callFrom(from, stack.gateway.url, 'POST', '/auth/otp/verify', {
        body: { phone, role: 'user', code },
      });
    expect(
      (
        await callFrom('127.0.0.3', stack.gateway.url, 'POST', '/auth/otp/request', {
          body: { phone, role: 'user' },
        })
      ).status,
    ).toBe(202);
    for (let i = 0; i < 10; i++) expect((await verify('127.0.0.9', '000001')).status).toBe(401);
    expect((await verify('127.0.0.9', '000001')).status).toBe(429);
    // The owner, elsewhere, is not refused by the limit (the code itself died after five tries).
    const owner = await verify('127.0.0.3', '000002');
    expect(owner.status).toBe(401);
    expect(owner.body.error.code).toBe('unauthorized');
    // Sixty guesses an hour per identifier, from any number of addresses, then 429 for all.
    let limited = 0;
    for (let i = 0; i < 60; i++) {
      if ((await verify(`127.0.1.${i + 1}`, '000003')).status === 429) limited++;
    }
    expect(limited).toBeGreaterThan(0);
  });
});

describe('push tokens', () => {
  it('cannot be taken from the account that owns the device until it signs out there', async () => {
    const owner = await stack.signIn('user');
    const other = await stack.signIn('host');
    const device = { token: 'ExponentPushToken[owner-phone]', platform: 'android' };
    expect(
      (await stack.api('POST', '/me/push-tokens', { token: owner.accessToken, body: device }))
        .status,
    ).toBe(204);
    const taken = await stack.api('POST', '/me/push-tokens', {
      token: other.accessToken,
      body: device,
    });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('push_token_taken');
    const [row] = await db()
      .select()
      .from(schema.pushTokens)
      .where(eq(schema.pushTokens.token, device.token));
    expect(row).toMatchObject({ role: 'user', principalId: owner.principal.id });
    // The owner re-registers freely; after signing out on the device, another account may.
    expect(
      (await stack.api('POST', '/me/push-tokens', { token: owner.accessToken, body: device }))
        .status,
    ).toBe(204);
    await stack.api('POST', '/auth/logout', {
      body: { refreshToken: owner.refreshToken, pushToken: device.token },
    });
    expect(
      (await stack.api('POST', '/me/push-tokens', { token: other.accessToken, body: device }))
        .status,
    ).toBe(204);
  });
});

describe('admin sign-in', () => {
  it('does the same work for an unknown admin as for a known one, and sends only to the known', async () => {
    await db().insert(schema.admins).values({ email: 'known-admin@example.com' });
    const ask = (email: string) =>
      stack.api('POST', '/auth/otp/request', { body: { email, role: 'admin' } });
    const jobsBefore = stack.qstash.deliveries.length;
    expect((await ask('known-admin@example.com')).status).toBe(202);
    expect((await ask('nobody-admin@example.com')).status).toBe(202);
    // Both published the same job and stored a code; only the known admin got an email.
    await expect
      .poll(() => stack.qstash.deliveries.slice(jobsBefore).filter((d) => d.status === 200).length)
      .toBe(2);
    const codes = await db()
      .select()
      .from(schema.otpCodes)
      .where(eq(schema.otpCodes.role, 'admin'));
    expect(codes.map((c) => c.identifier).sort()).toEqual([
      'known-admin@example.com',
      'nobody-admin@example.com',
    ]);
    const mail = (await stack.outbox()).filter((l) => l.channel === 'email').map((l) => l.to);
    expect(mail).toContain('known-admin@example.com');
    expect(mail).not.toContain('nobody-admin@example.com');
  });
});
