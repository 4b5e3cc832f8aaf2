import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { createBooking } from '#lib/bookings/contracts';
import { move, scheduleDeadline } from '#lib/bookings/lifecycle';
import { priceFor, publishedListing } from '#lib/bookings/stay';
import { guestBooking } from '#lib/bookings/views';
import { pgCode } from '#lib/db/errors';
import { db, schema } from '#lib/db/index';
import { fromNow } from '#lib/db/interval';
import { conflict, HttpError } from '#lib/http/errors';
import { idempotent } from '#lib/http/idempotency';
import { created } from '#lib/http/reply';
import { route } from '#lib/http/route';
import { initializeTransaction, PaystackError } from '#lib/payments/paystack';
import { config } from '#lib/platform/config';
import { logger } from '#lib/platform/log';

const { bookings, payments, users } = schema;

/**
 * Books a stay: prices it on the server, holds the nights (the database refuses an overlap
 * with any other hold, whatever the race), opens a Paystack checkout and starts the payment
 * window's timer. Runs once per Idempotency-Key: a 3G retry gets the same booking back.
 */
export const handler = route(createBooking, async ({ body, principal, event }) =>
  idempotent({ principal, event, body }, async () => {
    const [[listing], [guest]] = await db().batch([
      publishedListing(body.listingId),
      db().select({ email: users.email }).from(users).where(eq(users.id, principal.id)),
    ]);
    const { listing: bookable, ...price } = priceFor(listing, body, 'body');
    const email = guest?.email ?? body.email;
    if (!email) {
      throw new HttpError(422, 'email_required', 'Paystack needs an email for the receipt.', {
        details: [{ path: 'body.email', message: 'required: the account has no email on file' }],
      });
    }

    const id = randomUUID();
    const reference = `bk-${id}`;
    try {
      await db().batch([
        db()
          .insert(bookings)
          .values({
            id,
            listingId: bookable.id,
            guestId: principal.id,
            hostId: bookable.hostId,
            checkIn: body.checkIn,
            checkOut: body.checkOut,
            guests: body.guests,
            nightlyPrice: price.nightlyPrice,
            subtotal: price.subtotal,
            cleaningFee: price.cleaningFee,
            serviceFee: price.serviceFee,
            totalAmount: price.total,
            hostFee: price.hostFee,
            hostPayout: price.hostPayout,
            currency: bookable.currency,
            instantBook: bookable.instantBook,
            cancellationPolicy: bookable.cancellationPolicy,
            message: body.message ?? null,
            expiresAt: fromNow(config.PAYMENT_WINDOW_SECONDS),
          }),
        db().insert(payments).values({
          bookingId: id,
          providerReference: reference,
          amount: price.total,
          currency: bookable.currency,
        }),
      ]);
    } catch (error) {
      if (pgCode(error) === '23P01') {
        throw conflict('dates_unavailable', 'Those dates are no longer free at this listing.');
      }
      throw error;
    }

    let checkout: Awaited<ReturnType<typeof initializeTransaction>>;
    try {
      checkout = await initializeTransaction({
        email,
        amount: price.total,
        currency: bookable.currency,
        reference,
        metadata: { bookingId: id },
      });
    } catch (error) {
      // No checkout, no booking: the nights go back at once rather than at the window's end.
      await move(id, {
        from: 'pending_payment',
        to: 'expired',
        set: sql`expires_at = null, status_reason = 'payment could not start'`,
      });
      logger.warn('Paystack could not start a checkout', { bookingId: id, reason: String(error) });
      throw new HttpError(
        503,
        'payment_unavailable',
        'Payments are unavailable just now; nothing was booked. Try again shortly.',
        {
          headers: { 'Retry-After': '5' },
          cause: error instanceof PaystackError ? error : undefined,
        },
      );
    }
    await db()
      .update(payments)
      .set({
        authorizationUrl: checkout.authorization_url,
        accessCode: checkout.access_code,
        updatedAt: sql`now()`,
      })
      .where(eq(payments.providerReference, reference));
    await scheduleDeadline(id, 'pending_payment');
    const view = await guestBooking(principal.id, id);
    if (!view) throw new Error(`booking ${id} vanished after it was made`);
    return created(view);
  }),
);
