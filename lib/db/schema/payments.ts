import { sql } from 'drizzle-orm';
import { check, index, integer, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { bookings } from '#lib/db/schema/bookings';

export const paymentStatus = pgEnum('payment_status', [
  'pending',
  'succeeded',
  'failed',
  'refunded',
]);

export const payments = pgTable(
  'payments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    bookingId: uuid('booking_id')
      .notNull()
      .references(() => bookings.id, { onDelete: 'restrict' }),
    provider: text('provider').notNull().default('paystack'),
    /** The provider's reference; a webhook delivered twice finds the same row. */
    providerReference: text('provider_reference').notNull().unique(),
    amount: integer('amount').notNull(),
    currency: text('currency').notNull().default('NGN'),
    status: paymentStatus('status').notNull().default('pending'),
    /** Where the guest pays (Paystack's checkout), as initialize returned it. */
    authorizationUrl: text('authorization_url'),
    accessCode: text('access_code'),
    paidAt: timestamp('paid_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('payments_amount', sql`${t.amount} > 0`),
    index('payments_booking_idx').on(t.bookingId),
  ],
);

export const refundStatus = pgEnum('refund_status', [
  'pending',
  'processing',
  'processed',
  'failed',
]);

/**
 * Money going back to a guest: at most one refund per booking, so however often the refund
 * job is delivered, Paystack is asked once. `refund.*` webhooks move its status.
 */
export const refunds = pgTable(
  'refunds',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    bookingId: uuid('booking_id')
      .notNull()
      .unique()
      .references(() => bookings.id, { onDelete: 'restrict' }),
    paymentId: uuid('payment_id')
      .notNull()
      .references(() => payments.id, { onDelete: 'restrict' }),
    /** Minor units of `currency`. */
    amount: integer('amount').notNull(),
    currency: text('currency').notNull().default('NGN'),
    /**
     * The part of `amount` that comes out of the host's payout: the nights and cleaning fee
     * given back (a refunded service fee is the marketplace's). The payout is
     * hostPayout − host_part.
     */
    hostPart: integer('host_part').notNull().default(0),
    /** Why: declined, expired, paid_late, cancelled. */
    reason: text('reason').notNull(),
    status: refundStatus('status').notNull().default('pending'),
    /** Paystack's id for the refund, once it has accepted it. */
    providerRefundId: text('provider_refund_id'),
    lastError: text('last_error'),
    processedAt: timestamp('processed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('refunds_amount', sql`${t.amount} > 0`),
    check('refunds_host_part', sql`${t.hostPart} between 0 and ${t.amount}`),
  ],
);
