import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { call } from '#tests/support/api';
import { signIn } from '#tests/support/sign-in';
import { startLocalStack } from '#tests/support/stack';
import { JPEG, upload } from '#tests/support/uploads';

const stack = await startLocalStack({}, { cache: 'live' });
const { db, schema } = await import('#lib/db/index');
afterAll(() => stack.close());
const host = await signIn(stack, 'host');
const api = (method: string, path: string, body?: unknown) =>
  call(stack.gateway.url, method, path, {
    token: host.accessToken,
    ...(body !== undefined ? { body } : {}),
  });

async function addPhoto(listingId: string): Promise<string> {
  const presigned = await api('POST', `/listings/${listingId}/photos/upload-url`, {
    contentType: 'image/jpeg',
    sizeBytes: JPEG.length,
  });
  expect((await upload(presigned.body, JPEG, 'image/jpeg')).status).toBe(204);
  const attached = await api('POST', `/listings/${listingId}/photos`, { key: presigned.body.key });
  expect(attached.status).toBe(201);
  return attached.body.id;
}

async function publishedListing(photos: number): Promise<{ id: string; photoIds: string[] }> {
  const created = await api('POST', '/listings', {
    title: 'Surulere two-bed',
    city: 'Lagos',
    pricePerNight: 4_000_000,
    maxGuests: 4,
  });
  const photoIds: string[] = [];
  for (let i = 0; i < photos; i++) photoIds.push(await addPhoto(created.body.id));
  expect((await api('POST', `/listings/${created.body.id}/publish`)).status).toBe(200);
  return { id: created.body.id, photoIds };
}

describe("a published listing's photos", () => {
  it('keep at least one when two deletes race, round after round', async () => {
    for (let round = 0; round < 5; round++) {
      const listing = await publishedListing(2);
      const answers = await Promise.all(
        listing.photoIds.map((p) => api('DELETE', `/listings/${listing.id}/photos/${p}`)),
      );
      expect(answers.map((a) => a.status).sort()).toEqual([204, 409]);
      expect(answers.find((a) => a.status === 409)?.body.error.code).toBe('last_photo');
      const rows = await db()
        .select()
        .from(schema.listingPhotos)
        .where(eq(schema.listingPhotos.listingId, listing.id));
      expect(rows).toHaveLength(1);
      const detail = await call(stack.gateway.url, 'GET', `/listings/public/${listing.id}`);
      expect(detail.status).toBe(200);
      expect(detail.body.photos).toHaveLength(1);
      const feed = await call(stack.gateway.url, 'GET', '/listings/public?limit=50');
      const card = feed.body.listings.find((l: { id: string }) => l.id === listing.id);
      expect(card.coverPhotoUrl).toEqual(expect.stringContaining(rows[0]!.s3Key));
    }
  });

  it('answer 404 for a photo that is not there, even on a listing with one photo', async () => {
    const listing = await publishedListing(1);
    const res = await api('DELETE', `/listings/${listing.id}/photos/${crypto.randomUUID()}`);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
    expect(
      (await api('DELETE', `/listings/${listing.id}/photos/${listing.photoIds[0]}`)).status,
    ).toBe(409);
  });

  it('can all go once the listing is back to draft', async () => {
    const listing = await publishedListing(1);
    expect((await api('POST', `/listings/${listing.id}/draft`)).status).toBe(200);
    expect(
      (await api('DELETE', `/listings/${listing.id}/photos/${listing.photoIds[0]}`)).status,
    ).toBe(204);
    const republish = await api('POST', `/listings/${listing.id}/publish`);
    expect(republish.status).toBe(422);
  });
});

describe('a host who has not set a name', () => {
  it('is null in the card, the detail and /me alike', async () => {
    const listing = await publishedListing(1);
    const feed = await call(stack.gateway.url, 'GET', '/listings/public?limit=50');
    const card = feed.body.listings.find((l: { id: string }) => l.id === listing.id);
    const detail = await call(stack.gateway.url, 'GET', `/listings/public/${listing.id}`);
    const me = await api('GET', '/me');
    expect([card.host.name, detail.body.host.name, me.body.name]).toEqual([null, null, null]);
  });
});

describe('upload URLs', () => {
  it('hold the declared size: S3 refuses a file of any other size', async () => {
    const created = await api('POST', '/listings', {
      title: 'Yaba room',
      city: 'Lagos',
      pricePerNight: 1_500_000,
      maxGuests: 1,
    });
    const presign = () =>
      api('POST', `/listings/${created.body.id}/photos/upload-url`, {
        contentType: 'image/jpeg',
        sizeBytes: JPEG.length,
      });
    const bigger = Buffer.concat([JPEG, Buffer.from([0])]);
    expect((await upload((await presign()).body, bigger, 'image/jpeg')).status).toBe(400);
    expect((await upload((await presign()).body, JPEG.subarray(1), 'image/jpeg')).status).toBe(400);
    expect((await upload((await presign()).body, JPEG, 'image/jpeg')).status).toBe(204);
  });
});
