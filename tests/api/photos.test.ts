import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalStack } from '#tests/support/stack';
import { JPEG, upload } from '#tests/support/uploads';

const stack = await startLocalStack({}, { cache: 'live' });
const { db, schema } = await import('#lib/db/index');
afterAll(() => stack.close());
const host = await stack.signIn('host');
const token = host.accessToken;

async function addPhoto(listingId: string): Promise<string> {
  const presigned = await stack.api('POST', `/listings/${listingId}/photos/upload-url`, {
    token,
    body: {
      contentType: 'image/jpeg',
      sizeBytes: JPEG.length,
    },
  });
  expect((await upload(presigned.body, JPEG, 'image/jpeg')).status).toBe(204);
  const attached = await stack.api('POST', `/listings/${listingId}/photos`, {
    token,
    body: { key: presigned.body.key },
  });
  expect(attached.status).toBe(201);
  return attached.body.id;
}

async function publishedListing(photos: number): Promise<{ id: string; photoIds: string[] }> {
  const created = await stack.api('POST', '/listings', {
    token,
    body: {
      title: 'Surulere two-bed',
      city: 'Lagos',
      pricePerNight: 4_000_000,
      maxGuests: 4,
    },
  });
  const photoIds: string[] = [];
  for (let i = 0; i < photos; i++) photoIds.push(await addPhoto(created.body.id));
  expect((await stack.api('POST', `/listings/${created.body.id}/publish`, { token })).status).toBe(
    200,
  );
  return { id: created.body.id, photoIds };
}

describe("a published listing's photos", () => {
  it('keep at least one when two deletes race, round after round', async () => {
    for (let round = 0; round < 5; round++) {
      const listing = await publishedListing(2);
      const answers = await Promise.all(
        listing.photoIds.map((p) =>
          stack.api('DELETE', `/listings/${listing.id}/photos/${p}`, { token }),
        ),
      );
      expect(answers.map((a) => a.status).sort()).toEqual([204, 409]);
      expect(answers.find((a) => a.status === 409)?.body.error.code).toBe('last_photo');
      const rows = await db()
        .select()
        .from(schema.listingPhotos)
        .where(eq(schema.listingPhotos.listingId, listing.id));
      expect(rows).toHaveLength(1);
      const detail = await stack.api('GET', `/listings/public/${listing.id}`);
      expect(detail.status).toBe(200);
      expect(detail.body.photos).toHaveLength(1);
      const feed = await stack.api('GET', '/listings/public?limit=50');
      const card = feed.body.listings.find((l: { id: string }) => l.id === listing.id);
      expect(card.coverPhotoUrl).toEqual(expect.stringContaining(rows[0]!.s3Key));
    }
  });

  it('answer 404 for a photo that is not there, even on a listing with one photo', async () => {
    const listing = await publishedListing(1);
    const res = await stack.api('DELETE', `/listings/${listing.id}/photos/${crypto.randomUUID()}`, {
      token,
    });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
    expect(
      (
        await stack.api('DELETE', `/listings/${listing.id}/photos/${listing.photoIds[0]}`, {
          token,
        })
      ).status,
    ).toBe(409);
  });

  it('can all go once the listing is back to draft', async () => {
    const listing = await publishedListing(1);
    expect((await stack.api('POST', `/listings/${listing.id}/draft`, { token })).status).toBe(200);
    expect(
      (
        await stack.api('DELETE', `/listings/${listing.id}/photos/${listing.photoIds[0]}`, {
          token,
        })
      ).status,
    ).toBe(204);
    const republish = await stack.api('POST', `/listings/${listing.id}/publish`, { token });
    expect(republish.status).toBe(422);
  });
});

describe('a host who has not set a name', () => {
  it('is null in the card, the detail and /me alike', async () => {
    const listing = await publishedListing(1);
    const feed = await stack.api('GET', '/listings/public?limit=50');
    const card = feed.body.listings.find((l: { id: string }) => l.id === listing.id);
    const detail = await stack.api('GET', `/listings/public/${listing.id}`);
    const me = await stack.api('GET', '/me', { token });
    expect([card.host.name, detail.body.host.name, me.body.name]).toEqual([null, null, null]);
  });
});

describe('upload URLs', () => {
  it('hold the declared size: S3 refuses a file of any other size', async () => {
    const created = await stack.api('POST', '/listings', {
      token,
      body: {
        title: 'Yaba room',
        city: 'Lagos',
        pricePerNight: 1_500_000,
        maxGuests: 1,
      },
    });
    const presign = () =>
      stack.api('POST', `/listings/${created.body.id}/photos/upload-url`, {
        token,
        body: {
          contentType: 'image/jpeg',
          sizeBytes: JPEG.length,
        },
      });
    const bigger = Buffer.concat([JPEG, Buffer.from([0])]);
    expect((await upload((await presign()).body, bigger, 'image/jpeg')).status).toBe(400);
    expect((await upload((await presign()).body, JPEG.subarray(1), 'image/jpeg')).status).toBe(400);
    expect((await upload((await presign()).body, JPEG, 'image/jpeg')).status).toBe(204);
  });
});
