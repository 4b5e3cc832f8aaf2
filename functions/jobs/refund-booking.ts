import { eq, sql } from 'drizzle-orm';
import { db, schema } from '#lib/db/index';
import { PermanentJobError, retryLater } from '#lib/jobs/errors';
import { jobRoute } from '#lib/jobs/route';
import { PaystackError, refundTransaction } from '#lib/payments/paystack';

const { payments, refunds } = schema;

/**
 * Asks Paystack to give a booking's refund back, once: the refund row (one per booking) was
 * written with the transition that owes it; this job only carries it to Paystack. A refund
 * Paystack already has (an earlier delivery got through but died before recording it) is
 * "fully reversed" there, and counts as asked. `refund.*` webhooks finish the story.
 */
export const handler = jobRoute(
  'refund-booking',
  async ({ bookingId }) => {
    const [refund] = await db()
      .select({
        id: refunds.id,
        amount: refunds.amount,
        status: refunds.status,
        providerRefundId: refunds.providerRefundId,
        reference: payments.providerReference,
      })
      .from(refunds)
      .innerJoin(payments, eq(payments.id, refunds.paymentId))
      .where(eq(refunds.bookingId, bookingId));
    if (!refund) throw new PermanentJobError(`booking ${bookingId} owes no refund`);
    if (refund.providerRefundId || refund.status === 'processed') return { asked: false };

    const record = (set: Partial<typeof refunds.$inferInsert>) =>
      db()
        .update(refunds)
        .set({ ...set, updatedAt: sql`now()` })
        .where(sql`${refunds.id} = ${refund.id} and ${refunds.status} <> 'processed'`);
    try {
      const asked = await refundTransaction(refund.reference, refund.amount);
      await record({ status: 'processing', providerRefundId: asked.id });
      return { asked: true };
    } catch (error) {
      if (!(error instanceof PaystackError)) throw error;
      if (error.retryable) throw retryLater(error.message);
      if (/fully reversed/i.test(error.message)) {
        await record({ status: 'processing' });
        return { asked: false };
      }
      await record({ status: 'failed', lastError: error.message.slice(0, 500) });
      throw new PermanentJobError(
        `Paystack refused the refund of booking ${bookingId}: ${error.message}`,
      );
    }
  },
  { key: ({ bookingId }) => `refund-booking:${bookingId}` },
);
