import { desc, eq } from 'drizzle-orm';
import { db, schema } from '#lib/db/index';

const { bookings } = schema;

/**
 * What a booking list shows. The host and guest indexes carry exactly these columns
 * (migration 0006), so a list is an index-only scan.
 */
export const bookingListColumns = {
  id: bookings.id,
  listingId: bookings.listingId,
  guestId: bookings.guestId,
  hostId: bookings.hostId,
  checkIn: bookings.checkIn,
  checkOut: bookings.checkOut,
  guests: bookings.guests,
  status: bookings.status,
  totalAmount: bookings.totalAmount,
  currency: bookings.currency,
  createdAt: bookings.createdAt,
};

/** A host's bookings, latest stay first. */
export function hostBookingsQuery(hostId: string, limit: number) {
  return db()
    .select(bookingListColumns)
    .from(bookings)
    .where(eq(bookings.hostId, hostId))
    .orderBy(desc(bookings.checkIn))
    .limit(limit);
}

/** A guest's bookings, latest stay first. */
export function guestBookingsQuery(guestId: string, limit: number) {
  return db()
    .select(bookingListColumns)
    .from(bookings)
    .where(eq(bookings.guestId, guestId))
    .orderBy(desc(bookings.checkIn))
    .limit(limit);
}
