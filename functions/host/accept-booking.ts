import { acceptBooking } from '#lib/bookings/contracts';
import { accept } from '#lib/bookings/lifecycle';
import { hostBooking } from '#lib/bookings/views';
import { conflict, notFound } from '#lib/http/errors';
import { ok } from '#lib/http/reply';
import { route } from '#lib/http/route';

/** The host accepts a paid request before its deadline: the stay is confirmed. */
export const handler = route(acceptBooking, async ({ params, principal }) => {
  const { moved } = await accept(params.id, principal.id);
  const booking = await hostBooking(principal.id, params.id);
  if (!booking) throw notFound('booking');
  if (!moved) {
    throw conflict(
      'booking_not_requested',
      `This booking is ${booking.status}; only a request awaiting an answer can be accepted.`,
    );
  }
  return ok(booking);
});
