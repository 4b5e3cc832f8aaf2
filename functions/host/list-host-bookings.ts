import { listHostBookings } from '#lib/bookings/contracts';
import { decodeBookingCursor, hostBookingsQuery, pageOf } from '#lib/bookings/queries';
import { ok } from '#lib/http/reply';
import { route } from '#lib/http/route';

export const handler = route(listHostBookings, async ({ query, principal }) => {
  const cursor = query.cursor ? decodeBookingCursor(query.cursor) : undefined;
  const page = hostBookingsQuery(principal.id, { ...query, cursor, limit: query.limit + 1 });
  return ok(await pageOf(page, query.limit));
});
