import { desc, sql } from 'drizzle-orm';
import { check, index, integer, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { bookings } from '#lib/db/schema/bookings';
import { hosts } from '#lib/db/schema/principals';

/**
 * Where a host is paid. Sensitive: the full account number goes to the payment provider,
 * which returns a recipient code; only that and the last four digits are kept.
 */
export const hostPayoutAccounts = pgTable('host_payout_accounts', {
  hostId: uuid('host_id')
    .primaryKey()
    .references(() => hosts.id, { onDelete: 'cascade' }),
  bankCode: text('bank_code').notNull(),
  bankName: text('bank_name').notNull().default(''),
  accountLast4: text('account_last4').notNull(),
  accountName: text('account_name').notNull(),
  recipientCode: text('recipient_code').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * scheduled (due at `scheduled_for`) → processing (asked of Paystack, its answer pending) →
 * paid | failed (retries spent; an admin may retry). on_hold: no payout account yet, released
 * when the host adds one. cancelled: the stay was cancelled before the payout ran.
 */
export const payoutStatus = pgEnum('payout_status', [
  'scheduled',
  'processing',
  'paid',
  'failed',
  'on_hold',
  'cancelled',
]);

export const payouts = pgTable(
  'payouts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    hostId: uuid('host_id')
      .notNull()
      .references(() => hosts.id, { onDelete: 'restrict' }),
    bookingId: uuid('booking_id')
      .unique()
      .references(() => bookings.id, { onDelete: 'restrict' }),
    /** Our reference, sent to the provider as its idempotency key. */
    reference: text('reference').notNull().unique(),
    amount: integer('amount').notNull(),
    currency: text('currency').notNull().default('NGN'),
    status: payoutStatus('status').notNull().default('scheduled'),
    scheduledFor: timestamp('scheduled_for', { withTimezone: true }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    /** Paystack's code for the transfer under way. */
    transferCode: text('transfer_code'),
    /** When the transfer was last asked of Paystack: the hourly job reconciles old ones. */
    requestedAt: timestamp('requested_at', { withTimezone: true }),
    lastError: text('last_error'),
    paidAt: timestamp('paid_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('payouts_amount', sql`${t.amount} > 0`),
    check('payouts_attempts', sql`${t.attempts} >= 0`),
    // The payout run picks due payouts in time order.
    index('payouts_due_idx').on(t.scheduledFor).where(sql`${t.status} = 'scheduled'`),
    index('payouts_host_idx').on(t.hostId, desc(t.createdAt)),
    // The hourly reconciliation asks Paystack about transfers pending for over an hour.
    index('payouts_processing_idx').on(t.requestedAt).where(sql`${t.status} = 'processing'`),
    // Admins list payouts by status.
    index('payouts_status_idx').on(t.status, desc(t.createdAt)),
  ],
);
