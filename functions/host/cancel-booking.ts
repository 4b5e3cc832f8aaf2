import { hostCancelBooking } from '#lib/bookings/contracts';
import { cancel } from '#lib/bookings/lifecycle';
import { cancellationRefused } from '#lib/bookings/refusals';
import { hostBooking } from '#lib/bookings/views';
import { notFound } from '#lib/http/errors';
import { ok } from '#lib/http/reply';
import { route } from '#lib/http/route';

/** The host cancels a confirmed stay: the guest gets everything back, and it counts against the host. */
export const handler = route(hostCancelBooking, async ({ params, body, principal }) => {
  const result = await cancel(params.id, { by: 'host', hostId: principal.id, reason: body.reason });
  if (!result.cancelled) throw cancellationRefused(result);
  const booking = await hostBooking(principal.id, params.id);
  if (!booking) throw notFound('booking');
  return ok(booking);
});
