import { afterAll, describe, expect, it } from 'vitest';
import { startLocalStack } from '#tests/support/stack';
import { JPEG, upload } from '#tests/support/uploads';

const stack = await startLocalStack({ PRIVATE_URL_SECONDS: '2' }, { cache: 'live' });
const { db, schema } = await import('#lib/db/index');
afterAll(() => stack.close());

const hostA = await stack.signIn('host');
const hostB = await stack.signIn('host');
const guest = await stack.signIn('user');
await db().insert(schema.admins).values({ email: 'trust@example.com' });
const admin = await stack.signIn('admin', 'trust@example.com');
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
    const created = await stack.api('POST', '/listings', {
      token: hostA.accessToken,
      body: listingBody,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'draft', title: 'Ikoyi garden flat', photos: [] });
    listingId = created.body.id;

    const early = await stack.api('POST', `/listings/${listingId}/publish`, {
      token: hostA.accessToken,
    });
    expect(early.status).toBe(422);
    expect(early.body.error.message).toMatch(/photo/);

    const feedBefore = await stack.api('GET', '/listings/public?city=lagos');
    expect(feedBefore.body.listings.map((l: { id: string }) => l.id)).not.toContain(listingId);

    const presigned = await stack.api('POST', `/listings/${listingId}/photos/upload-url`, {
      token: hostA.accessToken,
      body: {
        contentType: 'image/jpeg',
        sizeBytes: JPEG.length,
      },
    });
    expect(presigned.status).toBe(201);
    expect(presigned.body.key).toMatch(new RegExp(`^listings/${listingId}/`));
    expect((await upload(presigned.body, JPEG, 'image/jpeg')).status).toBe(204);

    const attached = await stack.api('POST', `/listings/${listingId}/photos`, {
      token: hostA.accessToken,
      body: {
        key: presigned.body.key,
      },
    });
    expect(attached.status).toBe(201);
    photoId = attached.body.id;
    // The public URL is the CDN's, and it serves the bytes.
    const image = await fetch(attached.body.url);
    expect(image.status).toBe(200);
    expect(Buffer.from(await image.arrayBuffer())).toEqual(JPEG);

    const published = await stack.api('POST', `/listings/${listingId}/publish`, {
      token: hostA.accessToken,
    });
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ status: 'published', publishedAt: expect.any(String) });

    const feed = await stack.api('GET', '/listings/public?city=lagos');
    expect(feed.body.listings[0]).toMatchObject({
      id: listingId,
      coverPhotoUrl: attached.body.url,
    });
  });

  it('refuses an 11 MB upload and a text/html one, at S3 and at the API', async () => {
    const presigned = await stack.api('POST', `/listings/${listingId}/photos/upload-url`, {
      token: hostA.accessToken,
      body: {
        contentType: 'image/jpeg',
        sizeBytes: 1000,
      },
    });
    expect(
      (await upload(presigned.body, Buffer.alloc(11 * 1024 * 1024), 'image/jpeg')).status,
    ).toBe(400);
    expect(
      (await upload(presigned.body, Buffer.from('<script>alert(1)</script>'), 'text/html')).status,
    ).toBe(403);
    const html = await stack.api('POST', `/listings/${listingId}/photos/upload-url`, {
      token: hostA.accessToken,
      body: {
        contentType: 'text/html',
        sizeBytes: 100,
      },
    });
    expect(html.status).toBe(400);
    const big = await stack.api('POST', `/listings/${listingId}/photos/upload-url`, {
      token: hostA.accessToken,
      body: {
        contentType: 'image/png',
        sizeBytes: 11 * 1024 * 1024,
      },
    });
    expect(big.status).toBe(400);
    // A key outside this listing's prefix, or one never uploaded, is not attached.
    const foreign = await stack.api('POST', `/listings/${listingId}/photos`, {
      token: hostA.accessToken,
      body: {
        key: 'listings/other/x.jpg',
      },
    });
    expect(foreign.status).toBe(400);
    const missing = await stack.api('POST', `/listings/${listingId}/photos`, {
      token: hostA.accessToken,
      body: {
        key: `listings/${listingId}/never.jpg`,
      },
    });
    expect(missing.status).toBe(400);
  });

  it("gives another host 404 on every route for this host's listing and photos", async () => {
    const b = hostB.accessToken;
    const attempts = [
      await stack.api('GET', `/listings/${listingId}`, { token: b }),
      await stack.api('PATCH', `/listings/${listingId}`, { token: b, body: { title: 'Mine now' } }),
      await stack.api('POST', `/listings/${listingId}/publish`, { token: b }),
      await stack.api('POST', `/listings/${listingId}/draft`, { token: b }),
      await stack.api('POST', `/listings/${listingId}/photos/upload-url`, {
        token: b,
        body: {
          contentType: 'image/jpeg',
          sizeBytes: 10,
        },
      }),
      await stack.api('POST', `/listings/${listingId}/photos`, {
        token: b,
        body: { key: `listings/${listingId}/x.jpg` },
      }),
      await stack.api('DELETE', `/listings/${listingId}/photos/${photoId}`, { token: b }),
      await stack.api('DELETE', `/listings/${listingId}`, { token: b }),
    ];
    for (const res of attempts) expect(res.status).toBe(404);
    expect((await stack.api('GET', '/listings', { token: b })).body.listings).toEqual([]);
    expect(
      (await stack.api('GET', `/listings/${listingId}`, { token: hostA.accessToken })).body.title,
    ).toBe('Ikoyi garden flat');
  });

  it('keeps the only photo of a published listing', async () => {
    const res = await stack.api('DELETE', `/listings/${listingId}/photos/${photoId}`, {
      token: hostA.accessToken,
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('last_photo');
  });

  it('gives a guest 403 on host routes', async () => {
    expect(
      (await stack.api('POST', '/listings', { token: guest.accessToken, body: listingBody }))
        .status,
    ).toBe(403);
    expect(
      (await stack.api('GET', `/listings/${listingId}`, { token: guest.accessToken })).status,
    ).toBe(403);
  });

  it('changes only the listed fields, and the feed shows the change at once', async () => {
    const sneaky = await stack.api('PATCH', `/listings/${listingId}`, {
      token: hostA.accessToken,
      body: {
        status: 'published',
        hostId: hostB.principal.id,
      },
    });
    expect(sneaky.status).toBe(400);
    const renamed = await stack.api('PATCH', `/listings/${listingId}`, {
      token: hostA.accessToken,
      body: {
        title: 'Ikoyi garden flat, renovated',
      },
    });
    expect(renamed.status).toBe(200);
    expect((await stack.api('GET', `/listings/public/${listingId}`)).body.title).toBe(
      'Ikoyi garden flat, renovated',
    );
  });

  it('lets a guest save it once, however often they ask', async () => {
    expect(
      (await stack.api('PUT', `/wishlist/${listingId}`, { token: guest.accessToken })).status,
    ).toBe(204);
    expect(
      (await stack.api('PUT', `/wishlist/${listingId}`, { token: guest.accessToken })).status,
    ).toBe(204);
    const saved = await stack.api('GET', '/wishlist', { token: guest.accessToken });
    expect(saved.body.listings.map((l: { id: string }) => l.id)).toEqual([listingId]);
    expect(
      (await stack.api('DELETE', `/wishlist/${listingId}`, { token: guest.accessToken })).status,
    ).toBe(204);
    expect(
      (await stack.api('GET', '/wishlist', { token: guest.accessToken })).body.listings,
    ).toEqual([]);
  });

  it('disappears from the feed when an admin suspends it, and the host cannot republish it', async () => {
    expect(
      (await stack.api('GET', '/listings/public?city=lagos')).body.listings.map(
        (l: { id: string }) => l.id,
      ),
    ).toContain(listingId);
    expect(
      (
        await stack.api('POST', `/admin/listings/${listingId}/suspend`, {
          token: admin.accessToken,
        })
      ).status,
    ).toBe(200);
    expect(
      (await stack.api('GET', '/listings/public?city=lagos')).body.listings.map(
        (l: { id: string }) => l.id,
      ),
    ).not.toContain(listingId);
    expect((await stack.api('GET', `/listings/public/${listingId}`)).status).toBe(404);
    expect(
      (await stack.api('POST', `/listings/${listingId}/publish`, { token: hostA.accessToken }))
        .status,
    ).toBe(409);
    expect(
      (
        await stack.api('POST', `/admin/listings/${listingId}/unsuspend`, {
          token: admin.accessToken,
        })
      ).body.status,
    ).toBe('published');
    expect((await stack.api('GET', `/listings/public/${listingId}`)).status).toBe(200);
    // Lifting a suspension that is not there changes nothing.
    const again = await stack.api('POST', `/admin/listings/${listingId}/unsuspend`, {
      token: admin.accessToken,
    });
    expect(again.status).toBe(404);
  });
});

describe('identity documents', () => {
  it('are uploaded privately, reviewed by an admin, and readable only by short-lived URLs', async () => {
    const presigned = await stack.api('POST', '/host/identity-documents/upload-url', {
      token: hostA.accessToken,
      body: {
        kind: 'passport',
        contentType: 'image/jpeg',
        sizeBytes: JPEG.length,
      },
    });
    expect(presigned.status).toBe(201);
    expect((await upload(presigned.body, JPEG, 'image/jpeg')).status).toBe(204);
    const stolen = await stack.api('POST', '/host/identity-documents', {
      token: hostB.accessToken,
      body: {
        kind: 'passport',
        key: presigned.body.key,
      },
    });
    expect(stolen.status).toBe(400);
    const submitted = await stack.api('POST', '/host/identity-documents', {
      token: hostA.accessToken,
      body: {
        kind: 'passport',
        key: presigned.body.key,
      },
    });
    expect(submitted.status).toBe(201);
    expect(submitted.body.status).toBe('pending');

    const mine = await stack.api('GET', '/host/identity-documents', { token: hostA.accessToken });
    const [doc] = mine.body.documents;
    expect(doc.urlExpiresInSeconds).toBeLessThanOrEqual(300);
    const fresh = await fetch(doc.url);
    expect(fresh.status).toBe(200);
    expect(Buffer.from(await fresh.arrayBuffer())).toEqual(JPEG);
    // The private bucket has no public path.
    expect((await fetch(doc.url.split('?')[0])).status).toBe(403);
    expect(
      (await stack.api('GET', '/host/identity-documents', { token: hostB.accessToken })).body
        .documents,
    ).toEqual([]);

    await new Promise((r) => setTimeout(r, 3000));
    expect((await fetch(doc.url)).status).toBe(403);

    const queue = await stack.api('GET', '/admin/identity-documents?status=pending', {
      token: admin.accessToken,
    });
    expect(queue.body.documents.map((d: { id: string }) => d.id)).toContain(submitted.body.id);
    const rejected = await stack.api(
      'POST',
      `/admin/identity-documents/${submitted.body.id}/reject`,
      {
        token: admin.accessToken,
        body: {
          reason: 'The photo is blurred.',
        },
      },
    );
    expect(rejected.body).toMatchObject({ status: 'rejected', reason: 'The photo is blurred.' });
    const approved = await stack.api(
      'POST',
      `/admin/identity-documents/${submitted.body.id}/approve`,
      { token: admin.accessToken },
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
