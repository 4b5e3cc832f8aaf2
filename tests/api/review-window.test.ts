import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { inDays, until } from '#tests/support/bookings';
import { startLocalStack } from '#tests/support/stack';
import { publishedListing } from '#tests/support/uploads';

/**
 * Stays here check out today at midnight (Lagos) and their review window closes a few
 * seconds from now: the window is how long ago that midnight was, plus the time the tests
 * need to write before it closes. Config is read once per process, so this file has its own.
 */
const MARGIN_SECONDS = 30;
const today = inDays(0);
const checkedOutAt = Date.parse(`${today}T00:00:00+01:00`);
const windowSeconds = Math.ceil((Date.now() - checkedOutAt) / 1000) + MARGIN_SECONDS;
const closesAt = checkedOutAt + windowSeconds * 1000;

const stack = await startLocalStack(
  { CHECK_OUT_HOUR: '0', REVIEW_WINDOW_SECONDS: String(windowSeconds) },
  { cache: 'live' },
);
const { db, schema } = await import('#lib/db/index');
const { enqueue } = await import('#lib/jobs/enqueue');
const { scheduleReviewWindow } = await import('#lib/reviews/reviews');
afterAll(() => stack.close());

const host = await stack.signIn('host');
const guest = await stack.signIn('user');

/** A stay of `guest` that checked out today, completed. */
async function stay(listingId: string) {
  const [row] = await db()
    .insert(schema.bookings)
    .values({
      listingId,
      guestId: guest.principal.id,
      hostId: host.principal.id,
      checkIn: inDays(-2),
      checkOut: today,
      guests: 1,
      status: 'completed',
      subtotal: 9_000_000,
      totalAmount: 9_000_000,
      hostPayout: 9_000_000,
    })
    .returning({ id: schema.bookings.id });
  return row!.id;
}

const reviewsOf = (bookingId: string) =>
  db()
    .select({ role: schema.reviews.authorRole, publishedAt: schema.reviews.publishedAt })
    .from(schema.reviews)
    .where(eq(schema.reviews.bookingId, bookingId));
const countersOf = async (listingId: string) =>
  (
    await db()
      .select({ count: schema.listings.reviewCount, sum: schema.listings.ratingSum })
      .from(schema.listings)
      .where(eq(schema.listings.id, listingId))
  )[0];
const deliveredFor =
  (bookingId: string) => (d: { url: string; body: string; status: number | null }) =>
    d.url.endsWith('/jobs/publish-reviews') &&
    JSON.parse(d.body).bookingId === bookingId &&
    d.status === 200;

const [first, second, third] = [
  await publishedListing(stack, host.accessToken),
  await publishedListing(stack, host.accessToken),
  await publishedListing(stack, host.accessToken),
];
const guestOnly = await stay(first.id);
const hostOnly = await stay(second.id);
const nobody = await stay(third.id);

describe('when the review window closes', () => {
  it('keeps a lone review hidden while the window is open, even when the job comes early', async () => {
    expect(Date.now(), 'set-up took longer than MARGIN_SECONDS').toBeLessThan(closesAt - 5000);
    const mine = await stack.api('POST', `/bookings/${guestOnly}/review`, {
      token: guest.accessToken,
      body: { rating: 4, comment: 'Good value' },
    });
    expect(mine.body).toMatchObject({ published: false });
    await scheduleReviewWindow(guestOnly, today);

    const theirs = await stack.api('POST', `/host/bookings/${hostOnly}/review`, {
      token: host.accessToken,
      body: { rating: 5 },
    });
    expect(theirs.body).toMatchObject({ published: false });
    // Delivered now, long before the window closes: it publishes itself again, nothing else.
    const early = await enqueue('publish-reviews', { bookingId: hostOnly });
    await stack.qstash.waitFor((d) => d.messageId === early && d.status === 200);
    expect(await reviewsOf(hostOnly)).toEqual([{ role: 'host', publishedAt: null }]);
    expect((await stack.api('GET', `/listings/public/${first.id}/reviews`)).body.reviews).toEqual(
      [],
    );
    expect((await stack.api('GET', `/listings/public/${first.id}`)).body).toMatchObject({
      rating: null,
      reviewCount: 0,
    });
  });

  it('publishes each lone review at the end, counted once on the listing', {
    timeout: 60_000,
  }, async () => {
    const published = await until(
      () => stack.api('GET', `/listings/public/${first.id}/reviews`),
      (r) => r.body.reviews.length === 1,
      closesAt - Date.now() + 10_000,
    );
    expect(Date.now()).toBeGreaterThanOrEqual(closesAt);
    expect(published.body.reviews[0]).toMatchObject({ rating: 4, comment: 'Good value' });
    expect((await stack.api('GET', `/listings/public/${first.id}`)).body).toMatchObject({
      rating: 4,
      reviewCount: 1,
    });
    // The early job's second message published the host's review; it is not the listing's.
    const hostReview = await until(
      () => reviewsOf(hostOnly),
      (rows) => rows[0]?.publishedAt !== null,
    );
    expect(hostReview[0]?.publishedAt?.getTime()).toBeGreaterThanOrEqual(closesAt);
    expect(await countersOf(second.id)).toEqual({ count: 0, sum: 0 });

    // The job again (a new message): nothing left to publish, nothing counted twice.
    await stack.qstash.waitFor(deliveredFor(guestOnly), 1000);
    const again = await enqueue('publish-reviews', { bookingId: guestOnly });
    await stack.qstash.waitFor((d) => d.messageId === again && d.status === 200);
    expect(await countersOf(first.id)).toEqual({ count: 1, sum: 4 });
  });

  it('refuses a review after the window with 409 review_window_closed', async () => {
    for (const res of [
      await stack.api('POST', `/bookings/${nobody}/review`, {
        token: guest.accessToken,
        body: { rating: 5 },
      }),
      await stack.api('POST', `/host/bookings/${guestOnly}/review`, {
        token: host.accessToken,
        body: { rating: 5 },
      }),
    ]) {
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('review_window_closed');
    }
    expect(await reviewsOf(nobody)).toEqual([]);
  });
});
