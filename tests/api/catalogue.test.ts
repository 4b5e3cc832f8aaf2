import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { publishListings } from '#tests/support/catalogue-data';
import { startLocalStack } from '#tests/support/stack';

const stack = await startLocalStack({ CDN_BASE_URL: 'https://cdn.test' }, { cache: 'live' });
const data = await import('#lib/db/index');
const { invalidateCatalogue } = await import('#lib/catalogue/cache');
const { db, schema } = data;
afterAll(() => stack.close());

// 45 listings in Lagos at increasing prices, 5 in Accra; newest last.
const lagos = await publishListings(data, 45, {
  price: (i) => 1_000_000 + i * 100_000,
  guests: (i) => 1 + (i % 6),
});
const accra = await publishListings(data, 5, { city: 'Accra', minutesAgo: 200 });

describe('the public feed', () => {
  it('pages by offset, newest first, with total and hasMore', async () => {
    const first = await stack.api('GET', '/listings/public?limit=20');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ total: 50, limit: 20, offset: 0, hasMore: true });
    expect(first.body.listings).toHaveLength(20);
    expect(first.body.listings[0].id).toBe(lagos.ids.at(-1));
    const last = await stack.api('GET', '/listings/public?limit=20&offset=40');
    expect(last.body).toMatchObject({ total: 50, hasMore: false, nextCursor: null });
    expect(last.body.listings).toHaveLength(10);
  });

  it('caps limit at 50 and refuses bad parameters with 400 naming them', async () => {
    expect((await stack.api('GET', '/listings/public?limit=500')).body.limit).toBe(50);
    for (const bad of [
      'limit=abc',
      'offset=-1',
      'minPrice=-5',
      'colour=red',
      'cursor=nonsense',
      `cursor=${Buffer.from('0000-01-01T00:00:00.000Z|00000000-0000-4000-8000-000000000000').toString('base64url')}`,
      'minPrice=9&maxPrice=1',
    ]) {
      const res = await stack.api('GET', `/listings/public?${bad}`);
      expect(res.status, bad).toBe(400);
      expect(res.body.error.code, bad).toBe('validation_failed');
      expect(res.body.error.details.length, bad).toBeGreaterThan(0);
    }
  });

  it('filters by city (any case), price range and guests', async () => {
    const accraPage = await stack.api('GET', '/listings/public?city=aCCRA');
    expect(accraPage.body.total).toBe(5);
    expect(accraPage.body.listings.map((l: { id: string }) => l.id).sort()).toEqual(
      [...accra.ids].sort(),
    );

    const priced = await stack.api(
      'GET',
      '/listings/public?city=lagos&minPrice=2000000&maxPrice=2500000&guests=3',
    );
    for (const card of priced.body.listings) {
      expect(card.pricePerNight).toBeGreaterThanOrEqual(2_000_000);
      expect(card.pricePerNight).toBeLessThanOrEqual(2_500_000);
      expect(card.maxGuests).toBeGreaterThanOrEqual(3);
      expect(card.city).toBe('Lagos');
    }
    // Prices 2.0M–2.5M are listings 10–15; of those, guests ≥ 3 leaves 11, 13, 14, 15 (1 + i % 6).
    expect(priced.body.total).toBe(4);
  });

  it('continues by cursor with no duplicates and no gaps while new listings are published', async () => {
    const seen: string[] = [];
    let page = await stack.api('GET', '/listings/public?limit=7');
    seen.push(...page.body.listings.map((l: { id: string }) => l.id));
    while (page.body.nextCursor) {
      // Someone publishes between two scrolls.
      const fresh = await publishListings(data, 1, { minutesAgo: 0 });
      await invalidateCatalogue(fresh.ids[0]!);
      page = await stack.api('GET', `/listings/public?limit=7&cursor=${page.body.nextCursor}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.listings.map((l: { id: string }) => l.id));
    }
    const original = [...lagos.ids, ...accra.ids];
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => original.includes(id)).sort()).toEqual([...original].sort());
  });

  it('builds cards with CDN URLs and the host', async () => {
    const [id] = lagos.ids;
    await db()
      .insert(schema.listingPhotos)
      .values({ listingId: id!, s3Key: `listings/${id}/p0.jpg`, position: 0 });
    await invalidateCatalogue(id!);
    const res = await stack.api('GET', `/listings/public/${id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id,
      coverPhotoUrl: `https://cdn.test/listings/${id}/p0.jpg`,
      photos: [{ url: `https://cdn.test/listings/${id}/p0.jpg` }],
      host: { id: lagos.hostId, name: 'Ngozi Host' },
    });
    expect(res.body).not.toHaveProperty('address');
  });

  it('shows the rating and review count kept on the listing row, null before any review', async () => {
    const [rated, unrated] = [lagos.ids.at(-1), lagos.ids.at(-2)];
    const fresh = await stack.api('GET', `/listings/public/${unrated}`);
    expect(fresh.body).toMatchObject({ rating: null, reviewCount: 0 });
    // What publishing two guest reviews (4 and 5 stars) leaves on the row.
    await db()
      .update(schema.listings)
      .set({ reviewCount: 2, ratingSum: 9 })
      .where(eq(schema.listings.id, rated!));
    await invalidateCatalogue(rated!);
    expect((await stack.api('GET', `/listings/public/${rated}`)).body).toMatchObject({
      rating: 4.5,
      reviewCount: 2,
    });
    const cards = (await stack.api('GET', '/listings/public?city=lagos&limit=50')).body.listings;
    expect(cards.find((c: { id: string }) => c.id === rated)).toMatchObject({
      rating: 4.5,
      reviewCount: 2,
    });
    expect(cards.find((c: { id: string }) => c.id === unrated)).toMatchObject({
      rating: null,
      reviewCount: 0,
    });
  });
});

describe('listing detail and home feed', () => {
  it('answers 404 for a draft and for a listing that does not exist', async () => {
    const [draft] = await db()
      .insert(schema.listings)
      .values({
        hostId: lagos.hostId,
        title: 'Not yet',
        city: 'Lagos',
        pricePerNight: 1,
        maxGuests: 1,
      })
      .returning();
    expect((await stack.api('GET', `/listings/public/${draft!.id}`)).status).toBe(404);
    expect(
      (await stack.api('GET', '/listings/public/00000000-0000-4000-8000-000000000000')).status,
    ).toBe(404);
  });

  it('has a newest section and one per popular city', async () => {
    const res = await stack.api('GET', '/home-feed');
    expect(res.status).toBe(200);
    const keys = res.body.sections.map((s: { key: string }) => s.key);
    expect(keys).toEqual(['newest', 'city:lagos', 'city:accra']);
    expect(res.body.sections[2].listings).toHaveLength(5);
  });
});

describe('the cache', () => {
  it('serves a repeated request without Postgres, and a changed listing on the next request', async () => {
    const { ids } = await publishListings(data, 1, { city: 'Kigali', minutesAgo: 0 });
    const id = ids[0]!;
    const first = await stack.api('GET', '/listings/public?city=kigali&limit=20');
    expect(first.headers.get('x-cache')).toBe('miss');
    expect(first.body.listings[0].title).toBe('Stay 0');

    // Changed behind the API's back: the cached page does not see it, so it did not ask Postgres.
    await db()
      .update(schema.listings)
      .set({ title: 'Renamed quietly' })
      .where(eq(schema.listings.id, id));
    const second = await stack.api('GET', '/listings/public?offset=0&city=Kigali&limit=20');
    expect(second.headers.get('x-cache')).toBe('hit');
    expect(second.body.listings[0].title).toBe('Stay 0');

    // Changed through the API's own path: invalidated, and the next request shows it.
    await invalidateCatalogue(id);
    const third = await stack.api('GET', '/listings/public?city=kigali');
    expect(third.headers.get('x-cache')).toBe('miss');
    expect(third.body.listings[0].title).toBe('Renamed quietly');
    expect((await stack.api('GET', `/listings/public/${id}`)).body.title).toBe('Renamed quietly');
  });
});
