import { adminCancelBooking } from '#lib/bookings/contracts';
import { cancel } from '#lib/bookings/lifecycle';
import { cancellationRefused } from '#lib/bookings/refusals';
import { adminBooking } from '#lib/bookings/views';
import { notFound, validationFailed } from '#lib/http/errors';
import { ok } from '#lib/http/reply';
import { route } from '#lib/http/route';

/** Support cancels, before or after check-in, and decides the refund (at most what was paid). */
export const handler = route(adminCancelBooking, async ({ params, body }) => {
  const before = await adminBooking(params.id);
  if (!before) throw notFound('booking');
  if (body.refundAmount > before.total) {
    throw validationFailed([
      { path: 'body.refundAmount', message: `at most what the guest paid, ${before.total}` },
    ]);
  }
  const result = await cancel(params.id, {
    by: 'admin',
    refundAmount: body.refundAmount,
    reason: body.reason,
  });
  if (!result.cancelled) throw cancellationRefused(result);
  const booking = await adminBooking(params.id);
  if (!booking) throw notFound('booking');
  return ok(booking);
});
