import { getHostBooking } from '#lib/bookings/contracts';
import { hostBooking } from '#lib/bookings/views';
import { notFound } from '#lib/http/errors';
import { ok } from '#lib/http/reply';
import { route } from '#lib/http/route';

export const handler = route(getHostBooking, async ({ params, principal }) => {
  const booking = await hostBooking(principal.id, params.id);
  if (!booking) throw notFound('booking');
  return ok(booking);
});
