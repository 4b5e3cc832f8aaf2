import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import type { ApiResponse } from '#tests/support/api';
import { inDays } from '#tests/support/bookings';
import { startLocalStack } from '#tests/support/stack';
import { publishedListing } from '#tests/support/uploads';

// A live cache: a card read before a review is published must not outlive the publication.
const stack = await startLocalStack({}, { cache: 'live' });
const { db, schema } = await import('#lib/db/index');
afterAll(() => stack.close());

const host = await stack.signIn('host');
const otherHost = await stack.signIn('host');
const guest = await stack.signIn('user');
const otherGuest = await stack.signIn('user');
expect(
  (await stack.api('PATCH', '/me', { token: guest.accessToken, body: { name: 'Amaka Obi' } }))
    .status,
).toBe(200);

const CITY = 'Reviewville';
const listingOf = () => publishedListing(stack, host.accessToken, { city: CITY });

/** How far back the latest stay of each listing checked out, in days. */
const lastNight = new Map<string, number>();
/**
 * A stay of `guest` at the listing that checked out in the past, inserted as the completion
 * job leaves it; each call takes the two nights before the previous one's at that listing,
 * so its stays never overlap (and stay within the 14-day window).
 */
async function stay(
  listingId: string,
  options: { checkOut?: string; status?: 'completed' | 'confirmed'; guestId?: string } = {},
) {
  const night = (lastNight.get(listingId) ?? 0) + 2;
  lastNight.set(listingId, night);
  const checkOut = options.checkOut ?? inDays(-night);
  const checkIn = new Date(Date.parse(`${checkOut}T00:00:00Z`) - 2 * 86_400_000)
    .toISOString()
    .slice(0, 10);
  const [row] = await db()
    .insert(schema.bookings)
    .values({
      listingId,
      guestId: options.guestId ?? guest.principal.id,
      hostId: host.principal.id,
      checkIn,
      checkOut,
      guests: 1,
      status: options.status ?? 'completed',
      subtotal: 9_000_000,
      totalAmount: 9_000_000,
      hostPayout: 9_000_000,
    })
    .returning({ id: schema.bookings.id });
  return row!.id;
}

const guestReview = (bookingId: string, body: unknown, token = guest.accessToken) =>
  stack.api('POST', `/bookings/${bookingId}/review`, { token, body });
const hostReview = (bookingId: string, body: unknown, token = host.accessToken) =>
  stack.api('POST', `/host/bookings/${bookingId}/review`, { token, body });
const publicReviews = (listingId: string, query = '') =>
  stack.api('GET', `/listings/public/${listingId}/reviews${query}`);

/** The listing as the public sees it: its detail and its card in the feed and on home. */
async function shown(listingId: string) {
  const [detail, feed, home] = await Promise.all([
    stack.api('GET', `/listings/public/${listingId}`),
    stack.api('GET', `/listings/public?city=${CITY}&limit=50`),
    stack.api('GET', '/home-feed'),
  ]);
  expect(detail.status).toBe(200);
  const card = feed.body.listings.find((l: { id: string }) => l.id === listingId);
  const homeCard = home.body.sections
    .flatMap((s: { listings: unknown[] }) => s.listings)
    .find((l: { id: string }) => l.id === listingId);
  const summary = (l: { rating: number | null; reviewCount: number }) => ({
    rating: l.rating,
    reviewCount: l.reviewCount,
  });
  return { detail: summary(detail.body), card: summary(card), home: summary(homeCard) };
}

const everywhere = (rating: number | null, reviewCount: number) => ({
  detail: { rating, reviewCount },
  card: { rating, reviewCount },
  home: { rating, reviewCount },
});

describe('double-blind reviews', () => {
  it("keeps the guest's review hidden until the host writes, then publishes both and counts the rating", async () => {
    const { id: listingId } = await listingOf();
    const bookingId = await stay(listingId);
    // Read (and cached) before anyone writes.
    expect(await shown(listingId)).toEqual(everywhere(null, 0));

    const mine = await guestReview(bookingId, { rating: 4, comment: '  Lovely and quiet.  ' });
    expect(mine.status).toBe(201);
    expect(mine.body).toEqual({
      id: expect.any(String),
      bookingId,
      listingId,
      author: 'guest',
      rating: 4,
      comment: 'Lovely and quiet.',
      published: false,
      publishedAt: null,
      createdAt: expect.any(String),
    });
    expect((await publicReviews(listingId)).body).toEqual({ reviews: [], nextCursor: null });
    expect(await shown(listingId)).toEqual(everywhere(null, 0));

    const theirs = await hostReview(bookingId, { rating: 2, comment: 'Left the lights on.' });
    expect(theirs.status).toBe(201);
    expect(theirs.body).toMatchObject({ author: 'host', rating: 2, published: true });
    expect(Date.parse(theirs.body.publishedAt)).toBeGreaterThan(Date.now() - 60_000);

    const list = await publicReviews(listingId);
    expect(list.status).toBe(200);
    // Only the guest's review of the listing, with their first name; the host's is of the guest.
    expect(list.body).toEqual({
      reviews: [
        {
          id: mine.body.id,
          rating: 4,
          comment: 'Lovely and quiet.',
          publishedAt: theirs.body.publishedAt,
          guest: { name: 'Amaka' },
        },
      ],
      nextCursor: null,
    });
    // Both reviews were published by the same statement, at the same instant.
    const rows = await db()
      .select({ role: schema.reviews.authorRole, at: schema.reviews.publishedAt })
      .from(schema.reviews)
      .where(eq(schema.reviews.bookingId, bookingId));
    expect(rows).toHaveLength(2);
    expect(rows[0]?.at?.getTime()).toBe(rows[1]?.at?.getTime());
    // The host's 2 stars are about the guest: the listing shows the guest's 4 alone.
    expect(await shown(listingId)).toEqual(everywhere(4, 1));
  });

  it('publishes both once, and counts once, when guest and host write at the same moment', async () => {
    const { id: listingId } = await listingOf();
    const stays = [await stay(listingId), await stay(listingId), await stay(listingId)];
    const answers = await Promise.all(
      stays.flatMap((id) => [guestReview(id, { rating: 5 }), hostReview(id, { rating: 5 })]),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(201));
    // Whoever wrote second saw the other and published the pair.
    for (let i = 0; i < stays.length; i++) {
      expect([answers[2 * i]?.body.published, answers[2 * i + 1]?.body.published].sort()).toEqual([
        false,
        true,
      ]);
    }
    expect((await publicReviews(listingId)).body.reviews).toHaveLength(3);
    const [counters] = await db()
      .select({ count: schema.listings.reviewCount, sum: schema.listings.ratingSum })
      .from(schema.listings)
      .where(eq(schema.listings.id, listingId));
    expect(counters).toEqual({ count: 3, sum: 15 });
  });

  it("publishes the pair when the other side's write is still in flight", async () => {
    const { transaction } = await import('#lib/db/transaction');
    const { id: listingId } = await listingOf();
    const bookingId = await stay(listingId);
    let answer: Promise<ApiResponse> | undefined;
    // The host's write, caught between its statement and its commit: it holds the stay's
    // booking row, as every write does, and its review is not visible to anyone yet.
    await transaction(async (tx) => {
      await tx.execute(sql`select 1 from bookings where id = ${bookingId} for no key update`);
      await tx.insert(schema.reviews).values({
        bookingId,
        authorRole: 'host',
        listingId,
        userId: guest.principal.id,
        hostId: host.principal.id,
        rating: 3,
      });
      answer = guestReview(bookingId, { rating: 5 });
      await new Promise((r) => setTimeout(r, 500));
    });
    const res = await answer;
    expect(res?.status).toBe(201);
    expect(res?.body.published).toBe(true);
    expect((await publicReviews(listingId)).body.reviews).toHaveLength(1);
    expect(await shown(listingId)).toEqual(everywhere(5, 1));
  });

  it('takes one review per side: a second is a 409, and changes nothing', async () => {
    const { id: listingId } = await listingOf();
    const bookingId = await stay(listingId);
    expect((await guestReview(bookingId, { rating: 5 })).status).toBe(201);
    expect((await hostReview(bookingId, { rating: 4 })).status).toBe(201);
    for (const again of [
      await guestReview(bookingId, { rating: 1, comment: 'Changed my mind' }),
      await hostReview(bookingId, { rating: 1 }),
    ]) {
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('already_reviewed');
    }
    const hidden = await stay(listingId);
    expect((await guestReview(hidden, { rating: 3 })).status).toBe(201);
    expect((await guestReview(hidden, { rating: 3 })).body.error.code).toBe('already_reviewed');
    expect(
      (await publicReviews(listingId)).body.reviews.map((r: { rating: number }) => r.rating),
    ).toEqual([5]);
    expect(await shown(listingId)).toEqual(everywhere(5, 1));
  });

  it("answers 404 to anyone else's stay, as to one that does not exist", async () => {
    const { id: listingId } = await listingOf();
    const bookingId = await stay(listingId);
    for (const res of [
      await guestReview(bookingId, { rating: 5 }, otherGuest.accessToken),
      await hostReview(bookingId, { rating: 5 }, otherHost.accessToken),
      await guestReview(randomUUID(), { rating: 5 }),
      await hostReview(randomUUID(), { rating: 5 }),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
    // A host is not a guest, nor a guest a host.
    expect((await guestReview(bookingId, { rating: 5 }, host.accessToken)).status).toBe(403);
    expect((await hostReview(bookingId, { rating: 5 }, guest.accessToken)).status).toBe(403);
    expect(
      (await stack.api('POST', `/bookings/${bookingId}/review`, { body: { rating: 5 } })).status,
    ).toBe(401);
    const written = await db()
      .select({ id: schema.reviews.id })
      .from(schema.reviews)
      .where(eq(schema.reviews.bookingId, bookingId));
    expect(written).toEqual([]);
  });

  it('opens only once the stay is completed, and closes 14 days after check-out', async () => {
    const { id: listingId } = await listingOf();
    const upcoming = await stay(listingId, { status: 'confirmed', checkOut: inDays(30) });
    for (const res of [
      await guestReview(upcoming, { rating: 5 }),
      await hostReview(upcoming, { rating: 5 }),
    ]) {
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({ code: 'review_not_open' });
      expect(res.body.error.message).toContain('confirmed');
    }
    const longAgo = await stay(listingId, { checkOut: inDays(-15) });
    for (const res of [
      await guestReview(longAgo, { rating: 5 }),
      await hostReview(longAgo, { rating: 5 }),
    ]) {
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('review_window_closed');
    }
    // Check-out 13 days ago: still open.
    expect(
      (await guestReview(await stay(listingId, { checkOut: inDays(-13) }), { rating: 5 })).status,
    ).toBe(201);
  });

  it('refuses a bad review with 400 naming the field', async () => {
    const { id: listingId } = await listingOf();
    const bookingId = await stay(listingId);
    for (const [body, field] of [
      [{ rating: 6 }, 'body.rating'],
      [{ rating: 0 }, 'body.rating'],
      [{ rating: 4.5 }, 'body.rating'],
      [{ rating: '5' }, 'body.rating'],
      [{ comment: 'No stars' }, 'body.rating'],
      [{ rating: 5, comment: 'x'.repeat(2001) }, 'body.comment'],
      [{ rating: 5, published: true }, 'body'],
    ] as const) {
      const res = await guestReview(bookingId, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
    }
    const badId = await stack.api('POST', '/bookings/not-a-uuid/review', {
      token: guest.accessToken,
      body: { rating: 5 },
    });
    expect(badId.body.error.details[0].path).toBe('params.id');
  });
});

describe('the public list of reviews', () => {
  it('pages newest first by cursor, and rounds the rating half up to one decimal', async () => {
    const { id: listingId } = await listingOf();
    const ids: string[] = [];
    // 5 + 5 + 4 + 3 = 17 over 4 reviews: 4.25, shown as 4.3.
    for (const rating of [5, 5, 4, 3]) {
      const bookingId = await stay(listingId);
      const mine = await guestReview(bookingId, { rating, comment: `${rating} stars` });
      expect((await hostReview(bookingId, { rating: 5 })).status).toBe(201);
      ids.push(mine.body.id);
    }
    const first = await publicReviews(listingId, '?limit=3');
    expect(first.status).toBe(200);
    expect(first.body.reviews.map((r: { id: string }) => r.id)).toEqual(ids.slice(1).reverse());
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const rest = await publicReviews(listingId, `?limit=3&cursor=${first.body.nextCursor}`);
    expect(rest.body).toEqual({
      reviews: [expect.objectContaining({ id: ids[0], rating: 5, comment: '5 stars' })],
      nextCursor: null,
    });
    // Exactly a page: no cursor to an empty one.
    expect((await publicReviews(listingId, '?limit=4')).body.nextCursor).toBeNull();
    expect(await shown(listingId)).toEqual(everywhere(4.3, 4));
  });

  it('answers 404 for a listing that is not published or does not exist, 400 for bad paging', async () => {
    const draft = await stack.api('POST', '/listings', {
      token: host.accessToken,
      body: { title: 'Not yet', city: CITY, pricePerNight: 1_000_000, maxGuests: 1 },
    });
    expect((await publicReviews(draft.body.id)).status).toBe(404);
    expect((await publicReviews(randomUUID())).status).toBe(404);
    const { id: listingId } = await listingOf();
    for (const [query, field] of [
      ['?cursor=nonsense', 'query.cursor'],
      ['?limit=0', 'query.limit'],
      ['?limit=51', 'query.limit'],
      ['?sort=oldest', 'query'],
    ] as const) {
      const res = await publicReviews(listingId, query);
      expect(res.status, query).toBe(400);
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
    }
  });
});
