import { listBookings } from '#lib/bookings/contracts';
import { decodeBookingCursor, guestBookingsQuery, pageOf } from '#lib/bookings/queries';
import { ok } from '#lib/http/reply';
import { route } from '#lib/http/route';

export const handler = route(listBookings, async ({ query, principal }) => {
  const cursor = query.cursor ? decodeBookingCursor(query.cursor) : undefined;
  const page = guestBookingsQuery(principal.id, { ...query, cursor, limit: query.limit + 1 });
  return ok(await pageOf(page, query.limit));
});
