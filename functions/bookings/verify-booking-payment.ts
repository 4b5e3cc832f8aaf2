import { eq } from 'drizzle-orm';
import { verifyBookingPayment } from '#lib/bookings/contracts';
import { settlePayment } from '#lib/bookings/lifecycle';
import { guestBooking } from '#lib/bookings/views';
import { db, schema } from '#lib/db/index';
import { notFound } from '#lib/http/errors';
import { ok } from '#lib/http/reply';
import { route } from '#lib/http/route';
import { paystackUnavailable } from '#lib/payments/errors';

const { payments } = schema;

/**
 * Back from Paystack's checkout, the app asks here rather than wait for the webhook: the same
 * verification and the same once-only settlement, then the booking as it now stands.
 */
export const handler = route(verifyBookingPayment, async ({ params, principal }) => {
  const booking = await guestBooking(principal.id, params.id);
  if (!booking) throw notFound('booking');
  if (booking.status === 'pending_payment' || booking.status === 'expired') {
    const [payment] = await db()
      .select({ reference: payments.providerReference })
      .from(payments)
      .where(eq(payments.bookingId, params.id));
    if (payment) await settlePayment(payment.reference).catch(paystackUnavailable);
  }
  const now = await guestBooking(principal.id, params.id);
  if (!now) throw notFound('booking');
  return ok(now);
});
