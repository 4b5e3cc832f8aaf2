import { eq } from 'drizzle-orm';
import { db, schema } from '#lib/db/index';
import { enqueue } from '#lib/jobs/enqueue';
import { logger } from '#lib/platform/log';
import { reportError } from '#lib/platform/sentry';

const { bookings, hosts, listings, users } = schema;

/** What happened to a booking that the other side hears about. */
export type BookingEvent = 'requested' | 'confirmed' | 'declined' | 'expired' | 'cancelled';

type Side = 'guest' | 'host';

interface Detail {
  /** Whether the guest had paid (an expired request is refunded; an unpaid hold is not). */
  paid?: boolean;
  /** Who cancelled. */
  by?: 'guest' | 'host' | 'admin';
}

function message(event: BookingEvent, to: Side, stay: string, { paid = true, by }: Detail) {
  switch (event) {
    case 'cancelled':
      if (by === 'guest')
        return { title: 'Booking cancelled', body: `The guest cancelled ${stay}.` };
      return to === 'guest'
        ? {
            title: 'Booking cancelled',
            body: `${by === 'host' ? 'The host' : 'Support'} cancelled ${stay}. Any refund is on its way.`,
          }
        : {
            title: 'Booking cancelled',
            body: `${by === 'host' ? 'You' : 'Support'} cancelled ${stay}.`,
          };
    case 'requested':
      return { title: 'New booking request', body: `${stay}. Accept or decline it within a day.` };
    case 'confirmed':
      return to === 'guest'
        ? { title: 'Booking confirmed', body: `${stay} is yours.` }
        : { title: 'New booking', body: `${stay} is booked.` };
    case 'declined':
      return {
        title: 'Booking declined',
        body: `The host declined ${stay}. Your payment is refunded in full.`,
      };
    case 'expired':
      if (to === 'host')
        return { title: 'Request expired', body: `${stay} was not answered in time.` };
      return paid
        ? {
            title: 'Booking expired',
            body: `The host did not answer for ${stay}; you are refunded in full.`,
          }
        : {
            title: 'Booking expired',
            body: `${stay} was not paid in time; the dates are released.`,
          };
  }
}

/**
 * Tells each side of a booking what happened, through the jobs: a push, and an SMS to a phone
 * or else an email. Called once per transition, by whoever won it; the deduplication ids
 * make a repeated publish deliver once. A failure to publish is reported, never thrown: the
 * transition has happened whatever the notification does.
 */
export async function tell(
  bookingId: string,
  event: BookingEvent,
  sides: Side[],
  detail: Detail = {},
) {
  try {
    const [row] = await db()
      .select({
        checkIn: bookings.checkIn,
        checkOut: bookings.checkOut,
        title: listings.title,
        guest: { id: users.id, phone: users.phone, email: users.email },
        host: { id: hosts.id, phone: hosts.phone, email: hosts.email },
      })
      .from(bookings)
      .innerJoin(listings, eq(listings.id, bookings.listingId))
      .innerJoin(users, eq(users.id, bookings.guestId))
      .innerJoin(hosts, eq(hosts.id, bookings.hostId))
      .where(eq(bookings.id, bookingId));
    if (!row) return;
    const stay = `${row.title}, ${row.checkIn} to ${row.checkOut}`;
    await Promise.all(
      sides.map(async (side) => {
        const who = row[side];
        const { title, body } = message(event, side, stay, detail);
        const dedup = `booking-${bookingId}-${event}-${side}`;
        const role = side === 'guest' ? 'user' : 'host';
        await enqueue(
          'send-push',
          { role, principalId: who.id, title, body, data: { bookingId, event } },
          { deduplicationId: `${dedup}-push` },
        );
        if (who.phone) {
          await enqueue(
            'send-sms',
            { to: who.phone, text: `${title}: ${body}` },
            { deduplicationId: `${dedup}-sms` },
          );
        } else if (who.email) {
          await enqueue(
            'send-email',
            { to: who.email, subject: title, text: body },
            { deduplicationId: `${dedup}-email` },
          );
        }
      }),
    );
  } catch (error) {
    logger.error('could not tell a booking event', { bookingId, event, error: error as Error });
    await reportError(error, undefined).catch(() => {});
  }
}
