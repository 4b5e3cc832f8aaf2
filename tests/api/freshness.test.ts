import { afterAll, describe, expect, it } from 'vitest';
import { startLocalStack } from '#tests/support/stack';
import { JPEG, upload } from '#tests/support/uploads';

// A host's change must reach the public catalogue at once, even where a guest has already
// loaded (and so cached) the page. Every test warms a page until the cache serves it, and
// only then makes the change it expects to see: a test that changes a page nobody cached
// passes without any invalidation at all.
const stack = await startLocalStack({}, { cache: 'live' });
afterAll(() => stack.close());

const host = await stack.signIn('host');
const token = host.accessToken;

/** A draft of `host` with one photo, ready to publish. */
async function draftWithPhoto(title: string): Promise<string> {
  const created = await stack.api('POST', '/listings', {
    token,
    body: {
      title,
      city: 'Lagos',
      pricePerNight: 4_500_000,
      maxGuests: 2,
    },
  });
  expect(created.status).toBe(201);
  const id: string = created.body.id;
  const presigned = await stack.api('POST', `/listings/${id}/photos/upload-url`, {
    token,
    body: {
      contentType: 'image/jpeg',
      sizeBytes: JPEG.length,
    },
  });
  expect(presigned.status).toBe(201);
  expect((await upload(presigned.body, JPEG, 'image/jpeg')).status).toBe(204);
  const attached = await stack.api('POST', `/listings/${id}/photos`, {
    token,
    body: { key: presigned.body.key },
  });
  expect(attached.status).toBe(201);
  return id;
}

async function publishedListing(title: string): Promise<string> {
  const id = await draftWithPhoto(title);
  expect((await stack.api('POST', `/listings/${id}/publish`, { token })).status).toBe(200);
  return id;
}

/** Loads a public page until the cache serves it, as guests scrolling the app do. */
async function warm(path: string) {
  await stack.api('GET', path);
  const cached = await stack.api('GET', path);
  expect(cached.status, path).toBe(200);
  expect(cached.headers.get('x-cache'), path).toBe('hit');
  return cached.body;
}

const feedIds = (body: { listings: Array<{ id: string }> }) => body.listings.map((l) => l.id);
const cardOf = (body: { listings: Array<{ id: string; title: string }> }, id: string) =>
  body.listings.find((l) => l.id === id);

describe('the public catalogue after a host changes a listing it already served', () => {
  it('shows a retitled listing in the feed, the home feed and its detail at once', async () => {
    const id = await publishedListing('Lekki loft');
    expect(cardOf(await warm('/listings/public'), id)?.title).toBe('Lekki loft');
    expect((await warm(`/listings/public/${id}`)).title).toBe('Lekki loft');
    const home = await warm('/home-feed');
    expect(home.sections[0].listings.map((l: { title: string }) => l.title)).toContain(
      'Lekki loft',
    );

    const renamed = await stack.api('PATCH', `/listings/${id}`, {
      token,
      body: {
        title: 'Lekki loft by the sea',
      },
    });
    expect(renamed.status).toBe(200);

    expect(cardOf((await stack.api('GET', '/listings/public')).body, id)?.title).toBe(
      'Lekki loft by the sea',
    );
    expect((await stack.api('GET', `/listings/public/${id}`)).body.title).toBe(
      'Lekki loft by the sea',
    );
    const newest = (await stack.api('GET', '/home-feed')).body.sections[0].listings;
    expect(newest.map((l: { title: string }) => l.title)).toContain('Lekki loft by the sea');
  });

  it('shows a newly published draft in the feed and its detail at once', async () => {
    const id = await draftWithPhoto('Yaba studio');
    // Guests have the feed without it, and the draft's detail answered 404 (twice, so
    // that a cached "not found" is what the second one read).
    expect(feedIds(await warm('/listings/public'))).not.toContain(id);
    expect((await stack.api('GET', `/listings/public/${id}`)).status).toBe(404);
    expect((await stack.api('GET', `/listings/public/${id}`)).status).toBe(404);

    expect((await stack.api('POST', `/listings/${id}/publish`, { token })).status).toBe(200);

    const feed = await stack.api('GET', '/listings/public');
    expect(feed.body.listings[0]).toMatchObject({ id, title: 'Yaba studio' });
    const detail = await stack.api('GET', `/listings/public/${id}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ id, title: 'Yaba studio' });
  });

  it('drops an unpublished listing from the feed and its detail at once', async () => {
    const id = await publishedListing('Surulere room');
    expect(feedIds(await warm('/listings/public'))).toContain(id);
    await warm(`/listings/public/${id}`);

    expect((await stack.api('POST', `/listings/${id}/draft`, { token })).status).toBe(200);

    expect(feedIds((await stack.api('GET', '/listings/public')).body)).not.toContain(id);
    expect((await stack.api('GET', `/listings/public/${id}`)).status).toBe(404);
  });

  it('still serves an unchanged page from the cache', async () => {
    // The counterpart of the above: the freshness does not come from never caching.
    const id = await publishedListing('Ikeja flat');
    await warm(`/listings/public/${id}`);
    const again = await stack.api('GET', `/listings/public/${id}`);
    expect(again.headers.get('x-cache')).toBe('hit');
    expect(again.body.title).toBe('Ikeja flat');
  });
});
