import { and, eq, like, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalStack } from '#tests/support/stack';
import { JPEG, uploadJpeg } from '#tests/support/uploads';

const stack = await startLocalStack({}, { cache: 'live' });
const { db, schema } = await import('#lib/db/index');
const { headObject } = await import('#lib/platform/storage/objects');
const { startSession } = await import('#lib/auth/sessions');
const { config } = await import('#lib/platform/config');
afterAll(() => stack.close());

/** Ends the per-identifier minute windows, as if a minute had passed. */
const aMinuteLater = () =>
  db()
    .update(schema.rateLimits)
    .set({ windowEnds: sql`now()` })
    .where(like(schema.rateLimits.key, '%:minute'));

const uploadAvatar = (token: string) => uploadJpeg(stack, '/me/avatar/upload-url', token);

describe('avatars', () => {
  it('are uploaded under the caller’s prefix and attached only once they exist', async () => {
    const guest = await stack.signIn('user', 'bola@example.com');
    const never = await stack.api('PATCH', '/me', {
      token: guest.accessToken,
      body: {
        avatarKey: `avatars/${guest.principal.id}/${crypto.randomUUID()}.jpg`,
      },
    });
    expect(never.status).toBe(400);
    expect(never.body.error.code).toBe('upload_missing');

    const key = await uploadAvatar(guest.accessToken);
    expect(key).toMatch(new RegExp(`^avatars/${guest.principal.id}/[\\w-]+\\.jpg$`));
    const me = await stack.api('PATCH', '/me', {
      token: guest.accessToken,
      body: { avatarKey: key },
    });
    expect(me.status).toBe(200);
    const image = await fetch(me.body.avatarUrl);
    expect(image.status).toBe(200);
    expect(Buffer.from(await image.arrayBuffer())).toEqual(JPEG);

    // A new avatar replaces the old one, whose object goes.
    const next = await uploadAvatar(guest.accessToken);
    const replaced = await stack.api('PATCH', '/me', {
      token: guest.accessToken,
      body: { avatarKey: next },
    });
    expect(replaced.body.avatarUrl).toMatch(next);
    expect((await fetch(me.body.avatarUrl)).status).toBe(404);

    const tooBig = await stack.api('POST', '/me/avatar/upload-url', {
      token: guest.accessToken,
      body: {
        contentType: 'image/png',
        sizeBytes: 6 * 1024 * 1024,
      },
    });
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.error.details[0].path).toBe('body.sizeBytes');
  });
});

describe('DELETE /me', () => {
  it('erases a guest, signs them out everywhere, and lets the email sign up anew', async () => {
    const guest = await stack.signIn('user', 'kemi@example.com');
    await aMinuteLater();
    const other = await stack.signIn('user', 'kemi@example.com');
    const avatarKey = await uploadAvatar(guest.accessToken);
    const { avatarUrl } = (
      await stack.api('PATCH', '/me', {
        token: guest.accessToken,
        body: { avatarKey, name: 'Kemi' },
      })
    ).body;
    await stack.api('POST', '/me/push-tokens', {
      token: guest.accessToken,
      body: {
        token: 'ExponentPushToken[kemi-phone]',
        platform: 'android',
      },
    });
    const host = await stack.signIn('host');
    const [listing] = await db()
      .insert(schema.listings)
      .values({
        hostId: host.principal.id,
        title: 'Ajah flat',
        city: 'Lagos',
        pricePerNight: 1,
        maxGuests: 1,
      })
      .returning();
    await db()
      .insert(schema.wishlistItems)
      .values({ userId: guest.principal.id, listingId: listing!.id });

    expect((await stack.api('DELETE', '/me', { token: guest.accessToken })).status).toBe(204);

    // Every sign-in ends: both devices' access tokens, and the refresh token.
    expect((await stack.api('GET', '/me', { token: guest.accessToken })).status).toBe(401);
    expect((await stack.api('GET', '/me', { token: other.accessToken })).status).toBe(401);
    const refresh = await stack.api('POST', '/auth/refresh', {
      body: {
        refreshToken: guest.refreshToken,
      },
    });
    expect(refresh.status).toBe(401);
    // Personal data is gone; the anonymised row stays for the records that point at it.
    const [row] = await db()
      .select()
      .from(schema.users)
      .where(eq(schema.users.id, guest.principal.id));
    expect(row).toMatchObject({ phone: null, email: null, name: null, avatarKey: null });
    expect(row!.deletedAt).toBeInstanceOf(Date);
    expect(
      await db()
        .select()
        .from(schema.pushTokens)
        .where(
          and(
            eq(schema.pushTokens.role, 'user'),
            eq(schema.pushTokens.principalId, guest.principal.id),
          ),
        ),
    ).toEqual([]);
    expect(
      await db()
        .select()
        .from(schema.wishlistItems)
        .where(eq(schema.wishlistItems.userId, guest.principal.id)),
    ).toEqual([]);
    expect((await fetch(avatarUrl)).status).toBe(404);

    await aMinuteLater();
    const again = await stack.signIn('user', 'kemi@example.com');
    expect(again.principal.id).not.toBe(guest.principal.id);
    const fresh = await stack.api('GET', '/me', { token: again.accessToken });
    expect(fresh.body).toMatchObject({ email: 'kemi@example.com', name: null, avatarUrl: null });
  });

  it('refuses a host with a published listing (409, and why), then erases them once it is a draft', async () => {
    const host = await stack.signIn('host', 'femi@example.com');
    const created = await stack.api('POST', '/listings', {
      token: host.accessToken,
      body: {
        title: 'Ikeja studio',
        city: 'Lagos',
        pricePerNight: 2_000_000,
        maxGuests: 2,
      },
    });
    const photoKey = await uploadJpeg(
      stack,
      `/listings/${created.body.id}/photos/upload-url`,
      host.accessToken,
    );
    const photo = await stack.api('POST', `/listings/${created.body.id}/photos`, {
      token: host.accessToken,
      body: {
        key: photoKey,
      },
    });
    expect(
      (await stack.api('POST', `/listings/${created.body.id}/publish`, { token: host.accessToken }))
        .status,
    ).toBe(200);

    const refused = await stack.api('DELETE', '/me', { token: host.accessToken });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('listings_published');
    expect(refused.body.error.message).toMatch(/1 published listing/);
    expect((await stack.api('GET', '/me', { token: host.accessToken })).status).toBe(200);

    // Uploads never attached are the host's too: an identity scan and a photo.
    const scan = await uploadJpeg(stack, '/host/identity-documents/upload-url', host.accessToken, {
      kind: 'passport',
    });
    const loose = await uploadJpeg(
      stack,
      `/listings/${created.body.id}/photos/upload-url`,
      host.accessToken,
    );
    expect(await headObject(config.S3_PRIVATE_BUCKET, scan)).toBeDefined();

    const draft = await stack.api('POST', `/listings/${created.body.id}/draft`, {
      token: host.accessToken,
    });
    expect(draft.status).toBe(200);
    expect((await stack.api('DELETE', '/me', { token: host.accessToken })).status).toBe(204);
    expect(
      await db()
        .select()
        .from(schema.listings)
        .where(eq(schema.listings.hostId, host.principal.id)),
    ).toEqual([]);
    expect((await fetch(photo.body.url)).status).toBe(404);
    expect(await headObject(config.S3_PRIVATE_BUCKET, scan)).toBeUndefined();
    expect(await headObject(config.S3_PUBLIC_BUCKET, loose)).toBeUndefined();
    // A sign-in that resolved the account just before it was erased gets no session.
    await expect(startSession('host', host.principal.id)).rejects.toMatchObject({
      statusCode: 401,
    });
  });

  it('is not for admins', async () => {
    await db().insert(schema.admins).values({ email: 'ops@example.com' });
    const admin = await stack.signIn('admin', 'ops@example.com');
    expect((await stack.api('DELETE', '/me', { token: admin.accessToken })).status).toBe(403);
  });
});
