import { type SQL, sql } from 'drizzle-orm';
import type * as z from 'zod/mini';
import { lagosInstant } from '#lib/bookings/dates';
import { invalidateCatalogue } from '#lib/catalogue/cache';
import { db } from '#lib/db/index';
import { seconds } from '#lib/db/interval';
import { conflict, notFound } from '#lib/http/errors';
import type { Wire } from '#lib/http/route';
import { cancelJobs, enqueue } from '#lib/jobs/enqueue';
import { config } from '#lib/platform/config';
import { logger } from '#lib/platform/log';
import { reportError } from '#lib/platform/sentry';
import type { authoredReview } from '#lib/reviews/contracts';

/**
 * Double-blind reviews of a completed stay. The guest reviews the listing (`author_role`
 * `user`), the host reviews the guest; each side once, while the window is open (from
 * completion to `REVIEW_WINDOW_SECONDS` after the check-out time). A review is published
 * when the other side writes too, or when the window closes (the `publish-reviews` job),
 * whichever comes first; publishing a guest review adds its rating to the listing's counters
 * in the same statement, so a card reads its rating from its own row.
 *
 * Every write and every publish of a stay first locks its booking row in the same
 * transaction (one round trip, `db().batch`), then decides in one statement. The lock
 * makes the second of two racing writers (guest and host at the same moment, or a writer
 * and the window's job) wait and then see the first one's committed review, so a pair is
 * never left hidden and a review is never written after its stay's reviews were published.
 */

export type Side = 'guest' | 'host';
export type AuthoredReview = Wire<z.input<typeof authoredReview>>;

const roleOf = (side: Side) => (side === 'guest' ? 'user' : 'host');

/** When the review window of a stay checking out on `checkOut` closes. */
export const windowEndOf = (checkOut: string): Date =>
  new Date(
    lagosInstant(checkOut, config.CHECK_OUT_HOUR).getTime() + config.REVIEW_WINDOW_SECONDS * 1000,
  );

/** The same instant in SQL, from a booking row aliased `b`. */
const windowEnd = (): SQL =>
  sql`((b.check_out + ${seconds(config.CHECK_OUT_HOUR * 3600)}) at time zone 'Africa/Lagos') + ${seconds(config.REVIEW_WINDOW_SECONDS)}`;

/**
 * Holds the stay's booking row until the transaction ends: reviews of one stay are written
 * and published one at a time. `no key update` does not block the foreign-key checks of
 * rows that point at the booking.
 */
const lockBooking = (bookingId: string, owner: SQL = sql`true`) =>
  db().execute(
    sql`select 1 from bookings b where b.id = ${bookingId} and ${owner} for no key update`,
  );

interface WriteRow extends Record<string, unknown> {
  /** The caller's booking, null when it is not theirs or does not exist. */
  status: string | null;
  closes_at: string | null;
  open: boolean | null;
  /** The review this statement wrote, if it wrote one. */
  review: {
    id: string;
    listing_id: string;
    rating: number;
    comment: string;
    published_at: string | null;
    created_at: string;
  } | null;
  counted: number;
}

/**
 * Writes one side's review of a stay and, if the other side has written already, publishes
 * both in the same statement (and counts the guest's rating on the listing, once). A stay
 * that is not the caller's is a 404, as one that does not exist.
 */
export async function writeReview(
  side: Side,
  bookingId: string,
  authorId: string,
  input: { rating: number; comment: string },
): Promise<AuthoredReview> {
  const role = roleOf(side);
  const other = side === 'guest' ? 'host' : 'user';
  const owner = side === 'guest' ? sql`b.guest_id = ${authorId}` : sql`b.host_id = ${authorId}`;
  // clock_timestamp(), not now(): the window is judged when the lock is ours, not when the
  // transaction began waiting for it.
  const [, written] = await db().batch([
    lockBooking(bookingId, owner),
    db().execute<WriteRow>(sql`
      with b as (
        select b.id, b.listing_id, b.guest_id, b.host_id, b.status, ${windowEnd()} as closes_at
        from bookings b where b.id = ${bookingId} and ${owner}
      ), ins as (
        insert into reviews (booking_id, author_role, listing_id, user_id, host_id, rating, comment, published_at)
        select b.id, ${role}::principal_role, b.listing_id, b.guest_id, b.host_id,
          ${input.rating}::smallint, ${input.comment}::text,
          case when exists (
            select 1 from reviews o where o.booking_id = b.id and o.author_role = ${other}::principal_role
          ) then now() end
        from b where b.status = 'completed' and clock_timestamp() < b.closes_at
        on conflict (booking_id, author_role) do nothing
        returning id, booking_id, author_role, listing_id, rating, comment, published_at, created_at
      ), other as (
        update reviews o set published_at = ins.published_at
        from ins
        where ins.published_at is not null and o.booking_id = ins.booking_id
          and o.author_role = ${other}::principal_role and o.published_at is null
        returning o.rating
      ), guest_review as (
        select ins.listing_id, ins.rating from ins
          where ins.author_role = 'user' and ins.published_at is not null
        union all
        select ins.listing_id, other.rating from ins, other where ins.author_role = 'host'
      ), counted as (
        update listings l set review_count = l.review_count + 1, rating_sum = l.rating_sum + g.rating
        from guest_review g where l.id = g.listing_id
        returning l.id
      )
      select b.status, b.closes_at, clock_timestamp() < b.closes_at as open,
        (select row_to_json(ins) from ins) as review, (select count(*)::int from counted) as counted
      from (select 1) one left join b on true`),
  ]);
  const row = written.rows[0];
  if (!row?.status) throw notFound('booking');
  const { review } = row;
  if (!review) {
    if (row.status !== 'completed') {
      throw conflict(
        'review_not_open',
        `This booking is ${row.status}; a stay can be reviewed once it is completed.`,
      );
    }
    if (!row.open) {
      throw conflict(
        'review_window_closed',
        `The review window of this stay closed at ${new Date(row.closes_at ?? '').toISOString()}.`,
      );
    }
    throw conflict('already_reviewed', 'You have already reviewed this stay.');
  }
  if (row.counted > 0) await invalidateCatalogue(review.listing_id);
  // Both sides have written: the window's job would find nothing left to publish.
  if (review.published_at) {
    await bestEffort(`cancel the review window of ${bookingId}`, () =>
      cancelJobs(label(bookingId)),
    );
  }
  return {
    id: review.id,
    bookingId,
    listingId: review.listing_id,
    author: side,
    rating: review.rating,
    comment: review.comment,
    published: review.published_at !== null,
    publishedAt: review.published_at ? new Date(review.published_at) : null,
    createdAt: new Date(review.created_at),
  };
}

export type WindowOutcome =
  | { booking: 'missing' }
  | { booking: 'found'; closed: false; closesAt: Date }
  | { booking: 'found'; closed: true; published: number };

/**
 * At the window's end: publishes every review of the stay still hidden, and counts a guest
 * review on the listing, in one statement that only acts once the window has closed by the
 * database's clock (a second run finds nothing hidden and counts nothing).
 */
export async function publishAtWindowEnd(bookingId: string): Promise<WindowOutcome> {
  const [, result] = await db().batch([
    lockBooking(bookingId),
    db().execute<{
      closes_at: string | null;
      closed: boolean | null;
      published: number;
      counted: number;
      listing_id: string | null;
    }>(sql`
      with b as (
        select b.id, b.listing_id, ${windowEnd()} as closes_at from bookings b where b.id = ${bookingId}
      ), pub as (
        update reviews r set published_at = now()
        from b where r.booking_id = b.id and r.published_at is null and clock_timestamp() >= b.closes_at
        returning r.author_role, r.listing_id, r.rating
      ), counted as (
        update listings l set review_count = l.review_count + 1, rating_sum = l.rating_sum + pub.rating
        from pub where pub.author_role = 'user' and l.id = pub.listing_id
        returning l.id
      )
      select b.closes_at, clock_timestamp() >= b.closes_at as closed, b.listing_id,
        (select count(*)::int from pub) as published, (select count(*)::int from counted) as counted
      from (select 1) one left join b on true`),
  ]);
  const row = result.rows[0];
  if (!row?.closes_at) return { booking: 'missing' };
  if (!row.closed) return { booking: 'found', closed: false, closesAt: new Date(row.closes_at) };
  if (row.counted > 0 && row.listing_id) await invalidateCatalogue(row.listing_id);
  return { booking: 'found', closed: true, published: row.published };
}

/** The label of a stay's window jobs, so they can be dropped together. */
const label = (bookingId: string) => `publish-reviews-${bookingId}`;

/**
 * Publishes the `publish-reviews` job for the window's end, or for as far ahead as QStash
 * takes (`QSTASH_MAX_DELAY_SECONDS`): a job that runs before the window closes publishes
 * itself again. Answers when it will run; throws when QStash refuses.
 */
export async function enqueueWindowEnd(
  bookingId: string,
  closesAt: Date,
  deduplicationId: string,
): Promise<Date> {
  const due = Math.ceil(closesAt.getTime() / 1000);
  const latest = Math.floor(Date.now() / 1000) + config.QSTASH_MAX_DELAY_SECONDS;
  const notBefore = Math.min(due, latest);
  await enqueue(
    'publish-reviews',
    { bookingId },
    { notBefore, deduplicationId, label: label(bookingId) },
  );
  return new Date(notBefore * 1000);
}

async function bestEffort(what: string, run: () => Promise<unknown>) {
  try {
    await run();
  } catch (error) {
    logger.error(`could not ${what}`, { error: error as Error });
    await reportError(error, undefined).catch(() => {});
  }
}

/**
 * Right after a stay completes: its reviews are published when the window closes, if both
 * sides have not written by then. Never throws; a failure is logged and reported.
 */
export const scheduleReviewWindow = (bookingId: string, checkOut: string): Promise<void> =>
  bestEffort(`schedule the review window of ${bookingId}`, () =>
    enqueueWindowEnd(bookingId, windowEndOf(checkOut), `publish-reviews-${bookingId}-window`),
  );
