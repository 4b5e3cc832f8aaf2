import { eq, sql } from 'drizzle-orm';
import { paystackWebhookContract } from '#lib/bookings/contracts';
import { settlePayment } from '#lib/bookings/lifecycle';
import { db, schema } from '#lib/db/index';
import { ok } from '#lib/http/reply';
import { route } from '#lib/http/route';
import { paystackUnavailable } from '#lib/payments/errors';
import { settleTransfer } from '#lib/payouts/payouts';
import { logger } from '#lib/platform/log';

const { payments, refunds } = schema;

/**
 * Paystack's events, signed (the contract's auth checked `x-paystack-signature` on the raw
 * body). Paystack retries until it gets a 200, so every event is settled once in the
 * database and a repeat answers 200 with no second effect; events we do not use get 200.
 */
export const handler = route(paystackWebhookContract, async ({ body }) => {
  const data = body.data as Record<string, unknown>;
  switch (body.event) {
    case 'charge.success': {
      if (typeof data.reference === 'string') {
        const { outcome, bookingId } = await settlePayment(data.reference).catch(
          paystackUnavailable,
        );
        logger.info('charge.success', { outcome, bookingId });
      }
      break;
    }
    case 'refund.processed':
    case 'refund.failed': {
      const reference = data.transaction_reference;
      if (typeof reference !== 'string') break;
      const processed = body.event === 'refund.processed';
      const [payment] = await db()
        .select({ id: payments.id })
        .from(payments)
        .where(eq(payments.providerReference, reference));
      if (!payment) break;
      await db().batch([
        db()
          .update(refunds)
          .set({
            status: processed ? 'processed' : 'failed',
            ...(processed
              ? { processedAt: sql`now()` }
              : { lastError: 'Paystack reported the refund failed' }),
            updatedAt: sql`now()`,
          })
          // A late `failed` never undoes a `processed`.
          .where(sql`${refunds.paymentId} = ${payment.id} and ${refunds.status} <> 'processed'`),
        ...(processed
          ? [
              db()
                .update(payments)
                .set({ status: 'refunded', updatedAt: sql`now()` })
                .where(eq(payments.id, payment.id)),
            ]
          : []),
      ]);
      break;
    }
    case 'transfer.success':
    case 'transfer.failed':
    case 'transfer.reversed': {
      if (typeof data.reference !== 'string') break;
      await settleTransfer(data.reference, body.event.slice('transfer.'.length), {
        transferCode: typeof data.transfer_code === 'string' ? data.transfer_code : undefined,
        reason: typeof data.gateway_response === 'string' ? data.gateway_response : undefined,
      });
      break;
    }
    default:
      logger.info('Paystack event ignored', { event: body.event });
  }
  return ok({ received: true as const });
});
