import { cancelBooking } from '#lib/bookings/contracts';
import { cancel } from '#lib/bookings/lifecycle';
import { cancellationRefused } from '#lib/bookings/refusals';
import { guestBooking } from '#lib/bookings/views';
import { notFound } from '#lib/http/errors';
import { ok } from '#lib/http/reply';
import { route } from '#lib/http/route';

/** The guest cancels; what comes back follows the policy the booking kept. */
export const handler = route(cancelBooking, async ({ params, body, principal }) => {
  const result = await cancel(params.id, {
    by: 'guest',
    guestId: principal.id,
    reason: body.reason,
  });
  if (!result.cancelled) throw cancellationRefused(result);
  const booking = await guestBooking(principal.id, params.id);
  if (!booking) throw notFound('booking');
  return ok(booking);
});
