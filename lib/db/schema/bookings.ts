import { desc, sql } from 'drizzle-orm';
import {
  check,
  date,
  index,
  integer,
  pgEnum,
  pgTable,
  smallint,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { listings } from './listings.ts';
import { hosts, users } from './principals.ts';

/** pending and confirmed bookings hold their dates; no two of them may overlap. */
export const bookingStatus = pgEnum('booking_status', [
  'pending',
  'confirmed',
  'cancelled',
  'completed',
]);

export const bookings = pgTable(
  'bookings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    listingId: uuid('listing_id')
      .notNull()
      .references(() => listings.id, { onDelete: 'restrict' }),
    guestId: uuid('guest_id')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    hostId: uuid('host_id')
      .notNull()
      .references(() => hosts.id, { onDelete: 'restrict' }),
    checkIn: date('check_in').notNull(),
    checkOut: date('check_out').notNull(),
    guests: integer('guests').notNull(),
    status: bookingStatus('status').notNull().default('pending'),
    /** Minor units. */
    totalAmount: integer('total_amount').notNull(),
    currency: text('currency').notNull().default('NGN'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('bookings_dates', sql`${t.checkOut} > ${t.checkIn}`),
    check('bookings_guests', sql`${t.guests} >= 1`),
    check('bookings_amount', sql`${t.totalAmount} >= 0`),
    // A host's and a guest's bookings, newest stay first. The overlap exclusion constraint
    // (btree_gist) is added by hand in a migration: drizzle cannot declare it.
    index('bookings_host_idx').on(t.hostId, desc(t.checkIn)),
    index('bookings_guest_idx').on(t.guestId, desc(t.checkIn)),
  ],
);

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
    paidAt: timestamp('paid_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('payments_amount', sql`${t.amount} > 0`),
    index('payments_booking_idx').on(t.bookingId),
  ],
);

/**
 * Where a host is paid. Sensitive: the full account number goes to the payment provider,
 * which returns a recipient code; only that and the last four digits are kept.
 */
export const hostPayoutAccounts = pgTable('host_payout_accounts', {
  hostId: uuid('host_id')
    .primaryKey()
    .references(() => hosts.id, { onDelete: 'cascade' }),
  bankCode: text('bank_code').notNull(),
  accountLast4: text('account_last4').notNull(),
  accountName: text('account_name').notNull(),
  recipientCode: text('recipient_code').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const payoutStatus = pgEnum('payout_status', ['scheduled', 'processing', 'paid', 'failed']);

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
  ],
);

export const reviews = pgTable(
  'reviews',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    bookingId: uuid('booking_id')
      .notNull()
      .unique()
      .references(() => bookings.id, { onDelete: 'cascade' }),
    listingId: uuid('listing_id')
      .notNull()
      .references(() => listings.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    rating: smallint('rating').notNull(),
    comment: text('comment').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('reviews_rating', sql`${t.rating} between 1 and 5`),
    index('reviews_listing_idx').on(t.listingId, desc(t.createdAt)),
  ],
);
