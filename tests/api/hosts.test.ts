import { afterAll, describe, expect, it } from 'vitest';
import { call } from '#tests/support/api';
import { signIn } from '#tests/support/sign-in';
import { startLocalStack } from '#tests/support/stack';
import { JPEG, upload } from '#tests/support/uploads';

const stack = await startLocalStack({ PRIVATE_URL_SECONDS: '2' }, { cache: 'live' });
const { db, schema } = await import('#lib/db/index');
afterAll(() => stack.close());
const api = (method: string, path: string, token?: string, body?: unknown) =>
  call(stack.gateway.url, method, path, {
    ...(token ? { token } : {}),
    ...(body !== undefined ? { body } : {}),
  });

const hostA = await signIn(stack, 'host');
const hostB = await signIn(stack, 'host');
const guest = await signIn(stack, 'user');
await db().insert(schema.admins).values({ email: 'trust@example.com' });
const admin = await signIn(stack, 'admin', 'trust@example.com');
const listingBody = {
  title: 'Ikoyi garden flat',
  city: 'Lagos',
  pricePerNight: 7_500_000,
  maxGuests: 3,
};

describe('a host publishes a listing with a photo', () => {
  let listingId = '';
  let photoId = '';

  it('creates a draft, uploads a JPEG straight to S3, attaches it, publishes, and the feed shows it', async () => {
    const created = await api('POST', '/listings', hostA.accessToken, listingBody);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'draft', title: 'Ikoyi garden flat', photos: [] });
    listingId = created.body.id;

    const early = await api('POST', `/listings/${listingId}/publish`, hostA.accessToken);
    expect(early.status).toBe(422);
    expect(early.body.error.message).toMatch(/photo/);

    const feedBefore = await api('GET', '/listings/public?city=lagos');
    expect(feedBefore.body.listings.map((l: { id: string }) => l.id)).not.toContain(listingId);

    const presigned = await api(
      'POST',
      `/listings/${listingId}/photos/upload-url`,
      hostA.accessToken,
      {
        contentType: 'image/jpeg',
        sizeBytes: JPEG.length,
      },
    );
    expect(presigned.status).toBe(201);
    expect(presigned.body.key).toMatch(new RegExp(`^listings/${listingId}/`));
    expect((await upload(presigned.body, JPEG, 'image/jpeg')).status).toBe(204);

    const attached = await api('POST', `/listings/${listingId}/photos`, hostA.accessToken, {
      key: presigned.body.key,
    });
    expect(attached.status).toBe(201);
    photoId = attached.body.id;
    // The public URL is the CDN's, and it serves the bytes.
    const image = await fetch(attached.body.url);
    expect(image.status).toBe(200);
    expect(Buffer.from(await image.arrayBuffer())).toEqual(JPEG);

    const published = await api('POST', `/listings/${listingId}/publish`, hostA.accessToken);
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ status: 'published', publishedAt: expect.any(String) });

    const feed = await api('GET', '/listings/public?city=lagos');
    expect(feed.body.listings[0]).toMatchObject({
      id: listingId,
      coverPhotoUrl: attached.body.url,
    });
  });

  it('refuses an 11 MB upload and a text/html one, at S3 and at the API', async () => {
    const presigned = await api(
      'POST',
      `/listings/${listingId}/photos/upload-url`,
      hostA.accessToken,
      {
        contentType: 'image/jpeg',
        sizeBytes: 1000,
      },
    );
    expect(
      (await upload(presigned.body, Buffer.alloc(11 * 1024 * 1024), 'image/jpeg')).status,
    ).toBe(400);
    expect(
      (await upload(presigned.body, Buffer.from('<script>alert(1)</script>'), 'text/html')).status,
    ).toBe(403);
    const html = await api('POST', `/listings/${listingId}/photos/upload-url`, hostA.accessToken, {
      contentType: 'text/html',
      sizeBytes: 100,
    });
    expect(html.status).toBe(400);
    const big = await api('POST', `/listings/${listingId}/photos/upload-url`, hostA.accessToken, {
      contentType: 'image/png',
      sizeBytes: 11 * 1024 * 1024,
    });
    expect(big.status).toBe(400);
    // A key outside this listing's prefix, or one never uploaded, is not attached.
    const foreign = await api('POST', `/listings/${listingId}/photos`, hostA.accessToken, {
      key: 'listings/other/x.jpg',
    });
    expect(foreign.status).toBe(400);
    const missing = await api('POST', `/listings/${listingId}/photos`, hostA.accessToken, {
      key: `listings/${listingId}/never.jpg`,
    });
    expect(missing.status).toBe(400);
  });

  it("gives another host 404 on every route for this host's listing and photos", async () => {
    const b = hostB.accessToken;
    const attempts = [
      await api('GET', `/listings/${listingId}`, b),
      await api('PATCH', `/listings/${listingId}`, b, { title: 'Mine now' }),
      await api('POST', `/listings/${listingId}/publish`, b),
      await api('POST', `/listings/${listingId}/draft`, b),
      await api('POST', `/listings/${listingId}/photos/upload-url`, b, {
        contentType: 'image/jpeg',
        sizeBytes: 10,
      }),
      await api('POST', `/listings/${listingId}/photos`, b, { key: `listings/${listingId}/x.jpg` }),
      await api('DELETE', `/listings/${listingId}/photos/${photoId}`, b),
      await api('DELETE', `/listings/${listingId}`, b),
    ];
    for (const res of attempts) expect(res.status).toBe(404);
    expect((await api('GET', '/listings', b)).body.listings).toEqual([]);
    expect((await api('GET', `/listings/${listingId}`, hostA.accessToken)).body.title).toBe(
      'Ikoyi garden flat',
    );
  });

  it('keeps the only photo of a published listing', async () => {
    const res = await api('DELETE', `/listings/${listingId}/photos/${photoId}`, hostA.accessToken);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('last_photo');
  });

  it('gives a guest 403 on host routes', async () => {
    expect((await api('POST', '/listings', guest.accessToken, listingBody)).status).toBe(403);
    expect((await api('GET', `/listings/${listingId}`, guest.accessToken)).status).toBe(403);
  });

  it('changes only the listed fields, and the feed shows the change at once', async () => {
    const sneaky = await api('PATCH', `/listings/${listingId}`, hostA.accessToken, {
      status: 'published',
      hostId: hostB.principal.id,
    });
    expect(sneaky.status).toBe(400);
    const renamed = await api('PATCH', `/listings/${listingId}`, hostA.accessToken, {
      title: 'Ikoyi garden flat, renovated',
    });
    expect(renamed.status).toBe(200);
    expect((await api('GET', `/listings/public/${listingId}`)).body.title).toBe(
      'Ikoyi garden flat, renovated',
    );
  });

  it('lets a guest save it once, however often they ask', async () => {
    expect((await api('PUT', `/wishlist/${listingId}`, guest.accessToken)).status).toBe(204);
    expect((await api('PUT', `/wishlist/${listingId}`, guest.accessToken)).status).toBe(204);
    const saved = await api('GET', '/wishlist', guest.accessToken);
    expect(saved.body.listings.map((l: { id: string }) => l.id)).toEqual([listingId]);
    expect((await api('DELETE', `/wishlist/${listingId}`, guest.accessToken)).status).toBe(204);
    expect((await api('GET', '/wishlist', guest.accessToken)).body.listings).toEqual([]);
  });

  it('disappears from the feed when an admin suspends it, and the host cannot republish it', async () => {
    expect(
      (await api('GET', '/listings/public?city=lagos')).body.listings.map(
        (l: { id: string }) => l.id,
      ),
    ).toContain(listingId);
    expect(
      (await api('POST', `/admin/listings/${listingId}/suspend`, admin.accessToken)).status,
    ).toBe(200);
    expect(
      (await api('GET', '/listings/public?city=lagos')).body.listings.map(
        (l: { id: string }) => l.id,
      ),
    ).not.toContain(listingId);
    expect((await api('GET', `/listings/public/${listingId}`)).status).toBe(404);
    expect((await api('POST', `/listings/${listingId}/publish`, hostA.accessToken)).status).toBe(
      409,
    );
    expect(
      (await api('POST', `/admin/listings/${listingId}/unsuspend`, admin.accessToken)).body.status,
    ).toBe('published');
    expect((await api('GET', `/listings/public/${listingId}`)).status).toBe(200);
    // Lifting a suspension that is not there changes nothing.
    const again = await api('POST', `/admin/listings/${listingId}/unsuspend`, admin.accessToken);
    expect(again.status).toBe(404);
  });
});

describe('identity documents', () => {
  it('are uploaded privately, reviewed by an admin, and readable only by short-lived URLs', async () => {
    const presigned = await api('POST', '/host/identity-documents/upload-url', hostA.accessToken, {
      kind: 'passport',
      contentType: 'image/jpeg',
      sizeBytes: JPEG.length,
    });
    expect(presigned.status).toBe(201);
    expect((await upload(presigned.body, JPEG, 'image/jpeg')).status).toBe(204);
    const stolen = await api('POST', '/host/identity-documents', hostB.accessToken, {
      kind: 'passport',
      key: presigned.body.key,
    });
    expect(stolen.status).toBe(400);
    const submitted = await api('POST', '/host/identity-documents', hostA.accessToken, {
      kind: 'passport',
      key: presigned.body.key,
    });
    expect(submitted.status).toBe(201);
    expect(submitted.body.status).toBe('pending');

    const mine = await api('GET', '/host/identity-documents', hostA.accessToken);
    const [doc] = mine.body.documents;
    expect(doc.urlExpiresInSeconds).toBeLessThanOrEqual(300);
    const fresh = await fetch(doc.url);
    expect(fresh.status).toBe(200);
    expect(Buffer.from(await fresh.arrayBuffer())).toEqual(JPEG);
    // The private bucket has no public path.
    expect((await fetch(doc.url.split('?')[0])).status).toBe(403);
    expect(
      (await api('GET', '/host/identity-documents', hostB.accessToken)).body.documents,
    ).toEqual([]);

    await new Promise((r) => setTimeout(r, 3000));
    expect((await fetch(doc.url)).status).toBe(403);

    const queue = await api('GET', '/admin/identity-documents?status=pending', admin.accessToken);
    expect(queue.body.documents.map((d: { id: string }) => d.id)).toContain(submitted.body.id);
    const rejected = await api(
      'POST',
      `/admin/identity-documents/${submitted.body.id}/reject`,
      admin.accessToken,
      {
        reason: 'The photo is blurred.',
      },
    );
    expect(rejected.body).toMatchObject({ status: 'rejected', reason: 'The photo is blurred.' });
    const approved = await api(
      'POST',
      `/admin/identity-documents/${submitted.body.id}/approve`,
      admin.accessToken,
    );
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('approved');
    // The host was told, through the jobs queue, by SMS (this host signed in by phone).
    await expect
      .poll(
        async () =>
          (await stack.outbox()).filter(
            (l) => l.channel === 'sms' && /approved/.test(String(l.text)),
          ).length,
        {
          timeout: 5000,
        },
      )
      .toBe(1);
  });
});
