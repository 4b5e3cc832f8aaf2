import { declineBooking } from '#lib/bookings/contracts';
import { decline } from '#lib/bookings/lifecycle';
import { hostBooking } from '#lib/bookings/views';
import { conflict, notFound } from '#lib/http/errors';
import { ok } from '#lib/http/reply';
import { route } from '#lib/http/route';

/** The host declines a paid request: the dates are freed and the guest refunded in full. */
export const handler = route(declineBooking, async ({ params, body, principal }) => {
  const { moved } = await decline(params.id, principal.id, body.reason);
  const booking = await hostBooking(principal.id, params.id);
  if (!booking) throw notFound('booking');
  if (!moved) {
    throw conflict(
      'booking_not_requested',
      `This booking is ${booking.status}; only a request awaiting an answer can be declined.`,
    );
  }
  return ok(booking);
});
