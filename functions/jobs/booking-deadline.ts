import { and, eq, sql } from 'drizzle-orm';
import { expire } from '#lib/bookings/lifecycle';
import { db, schema } from '#lib/db/index';
import { retryLater } from '#lib/jobs/errors';
import { jobRoute } from '#lib/jobs/route';

const { bookings } = schema;

/**
 * A booking's deadline, delivered by QStash after the payment window or the host's time to
 * answer. If the booking is still waiting, it expires (a paid request is refunded); if it has
 * moved on, nothing happens. Keyed by booking and state, so a redelivery does nothing.
 */
export const handler = jobRoute(
  'booking-deadline',
  async ({ bookingId, status }) => {
    const { moved } = await expire(bookingId, status);
    if (moved) return { expired: true };
    const [early] = await db()
      .select({ id: bookings.id })
      .from(bookings)
      .where(
        and(
          eq(bookings.id, bookingId),
          eq(bookings.status, status),
          sql`${bookings.expiresAt} > now()`,
        ),
      );
    // Delivered before the deadline (clocks differ): QStash asks again after a back-off.
    if (early) throw retryLater('the deadline has not passed yet');
    return { expired: false };
  },
  { key: ({ bookingId, status }) => `booking-deadline:${bookingId}:${status}` },
);
