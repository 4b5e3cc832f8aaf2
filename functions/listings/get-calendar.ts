import { and, asc, eq, sql } from 'drizzle-orm';
import { getCalendar } from '#lib/bookings/contracts';
import { db, schema } from '#lib/db/index';
import { ok } from '#lib/http/reply';
import { route } from '#lib/http/route';
import { ownListing } from '#lib/listings/listings';

const { bookings, listingHolds, users } = schema;

/** The host's calendar: every hold touching the range, bookings with who and blocks with why. */
export const handler = route(getCalendar, async ({ params, query, principal }) => {
  const listing = await ownListing(principal.id, params.id);
  const touches = and(
    eq(listingHolds.listingId, listing.id),
    sql`daterange(${listingHolds.startsOn}, ${listingHolds.endsOn}, '[)') && daterange(${query.from}::date, ${query.to}::date, '[)')`,
  );
  const [booked, blocks] = await db().batch([
    db()
      .select({
        id: bookings.id,
        status: bookings.status,
        checkIn: bookings.checkIn,
        checkOut: bookings.checkOut,
        guests: bookings.guests,
        guestName: users.name,
      })
      .from(listingHolds)
      .innerJoin(bookings, eq(bookings.id, listingHolds.bookingId))
      .innerJoin(users, eq(users.id, bookings.guestId))
      .where(touches)
      .orderBy(asc(listingHolds.startsOn)),
    db()
      .select({
        id: listingHolds.id,
        from: listingHolds.startsOn,
        to: listingHolds.endsOn,
        note: listingHolds.note,
        createdAt: listingHolds.createdAt,
      })
      .from(listingHolds)
      .where(and(touches, eq(listingHolds.kind, 'block')))
      .orderBy(asc(listingHolds.startsOn)),
  ]);
  return ok({ listingId: listing.id, from: query.from, to: query.to, bookings: booked, blocks });
});
