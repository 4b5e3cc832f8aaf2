import { getBooking } from '#lib/bookings/contracts';
import { guestBooking } from '#lib/bookings/views';
import { notFound } from '#lib/http/errors';
import { ok } from '#lib/http/reply';
import { route } from '#lib/http/route';

export const handler = route(getBooking, async ({ params, principal }) => {
  const booking = await guestBooking(principal.id, params.id);
  if (!booking) throw notFound('booking');
  return ok(booking);
});
