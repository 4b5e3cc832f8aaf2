import { eq, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { startSentryIngest } from '#local/emulators/sentry/index';
import { book, inDays, payAtCheckout } from '#tests/support/bookings';
import { startLocalStack } from '#tests/support/stack';
import { publishedListing } from '#tests/support/uploads';

const ingest = await startSentryIngest();
const stack = await startLocalStack({ SENTRY_DSN: ingest.dsn });
const { db, schema } = await import('#lib/db/index');
afterAll(async () => {
  await stack.close();
  await ingest.close();
});

describe('verify before value', () => {
  it('confirms nothing when Paystack was paid another amount than the booking asks, and reports it', async () => {
    const host = await stack.signIn('host');
    const guest = await stack.signIn('user', 'kemi@example.com');
    const { id: listingId } = await publishedListing(stack, host.accessToken, {
      instantBook: true,
    });
    const res = await book(stack, guest.accessToken, {
      listingId,
      checkIn: inDays(10),
      checkOut: inDays(12),
    });
    expect(res.status).toBe(201);
    // As if the amount had been tampered with between our record and Paystack's charge.
    await db()
      .update(schema.payments)
      .set({ amount: sql`${schema.payments.amount} + 1` })
      .where(eq(schema.payments.providerReference, res.body.payment.reference));
    await payAtCheckout(res.body.payment.authorizationUrl, 'success');
    const verified = await stack.api('POST', `/bookings/${res.body.id}/payment/verify`, {
      token: guest.accessToken,
    });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({
      status: 'pending_payment',
      payment: { status: 'pending' },
    });
    await expect
      .poll(
        () =>
          ingest
            .events()
            .map((e) => JSON.stringify(e.payload))
            .join('\n'),
        { timeout: 5000 },
      )
      .toContain(`payment ${res.body.payment.reference} verified as ${res.body.total} NGN`);
  });
});
