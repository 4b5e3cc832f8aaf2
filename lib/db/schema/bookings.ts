import { desc, sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  index,
  integer,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { cancellationPolicy, listings } from '#lib/db/schema/listings';
import { hosts, users } from '#lib/db/schema/principals';

/**
 * Where a booking is in its life (docs/ARCHITECTURE.md draws the arrows). A booking in
 * `pending_payment`, `requested`, `confirmed` or `completed` holds its nights: a trigger keeps
 * its row in `listing_holds` (migration 0016).
 */
export const bookingStatus = pgEnum('booking_status', [
  'pending_payment',
  'requested',
  'confirmed',
  'declined',
  'expired',
  'cancelled',
  'completed',
]);

/** Who cancelled a booking: the guest, the host (recorded against them) or an admin. */
export const cancelledBy = pgEnum('cancelled_by', ['guest', 'host', 'admin']);

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
    status: bookingStatus('status').notNull().default('pending_payment'),
    // The quote as it was when booked, minor units of `currency` (lib/bookings/pricing.ts).
    nightlyPrice: integer('nightly_price').notNull().default(0),
    subtotal: integer('subtotal').notNull().default(0),
    cleaningFee: integer('cleaning_fee').notNull().default(0),
    serviceFee: integer('service_fee').notNull().default(0),
    /** What the guest pays: subtotal + cleaning fee + service fee. */
    totalAmount: integer('total_amount').notNull(),
    hostFee: integer('host_fee').notNull().default(0),
    /** What the host is paid: subtotal + cleaning fee - host fee. */
    hostPayout: integer('host_payout').notNull().default(0),
    currency: text('currency').notNull().default('NGN'),
    /** The listing's policy when booked; a later change of the listing does not touch it. */
    cancellationPolicy: cancellationPolicy('cancellation_policy').notNull().default('moderate'),
    /** The listing's setting when booked: payment confirms it, or the host decides. */
    instantBook: boolean('instant_book').notNull().default(false),
    /** The guest's note to the host. */
    message: text('message'),
    /** When the current state times out: the payment window, then the host's deadline. */
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
    /** Why it was declined or cancelled, in the words of whoever did it. */
    statusReason: text('status_reason'),
    cancelledBy: cancelledBy('cancelled_by'),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('bookings_dates', sql`${t.checkOut} > ${t.checkIn}`),
    check('bookings_guests', sql`${t.guests} >= 1`),
    check('bookings_amount', sql`${t.totalAmount} >= 0`),
    check(
      'bookings_money_adds_up',
      sql`${t.totalAmount} = ${t.subtotal} + ${t.cleaningFee} + ${t.serviceFee} and ${t.hostPayout} = ${t.subtotal} + ${t.cleaningFee} - ${t.hostFee}`,
    ),
    // A host's, a guest's and a listing's bookings, newest stay first, keyset on (check_in, id).
    // Migration 0016 makes the host and guest ones covering: a page is an index-only scan.
    index('bookings_host_idx').on(t.hostId, desc(t.checkIn), desc(t.id)),
    index('bookings_guest_idx').on(t.guestId, desc(t.checkIn), desc(t.id)),
    index('bookings_listing_idx').on(t.listingId, desc(t.checkIn), desc(t.id)),
    // Every way out of a timed state clears expires_at, so this holds only the waiting ones:
    // the hourly catch-up finds a deadline whose job was lost without reading every booking.
    index('bookings_expiring_idx').on(t.expiresAt).where(sql`${t.expiresAt} is not null`),
    // The completion job finds confirmed stays past their check-out.
    index('bookings_confirmed_checkout_idx').on(t.checkOut).where(sql`${t.status} = 'confirmed'`),
    // Admins see the stays hosts cancelled, newest first.
    index('bookings_host_cancelled_idx')
      .on(desc(t.cancelledAt))
      .where(sql`${t.cancelledBy} = 'host'`),
  ],
);

export const holdKind = pgEnum('hold_kind', ['booking', 'block']);

/**
 * The nights a listing cannot be booked: an active booking's (kept by a trigger on
 * `bookings`) or a block the host keeps for themself. One exclusion constraint over this
 * table (migration 0016) keeps them all apart, however requests race. Nights are
 * [starts_on, ends_on): ends_on is the check-out morning, free for the next guest.
 */
export const listingHolds = pgTable(
  'listing_holds',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    listingId: uuid('listing_id')
      .notNull()
      .references(() => listings.id, { onDelete: 'cascade' }),
    kind: holdKind('kind').notNull(),
    bookingId: uuid('booking_id')
      .unique()
      .references(() => bookings.id, { onDelete: 'cascade' }),
    startsOn: date('starts_on').notNull(),
    endsOn: date('ends_on').notNull(),
    /** The host's own words on a block; never shown publicly. */
    note: text('note'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('listing_holds_dates', sql`${t.endsOn} > ${t.startsOn}`),
    check('listing_holds_kind', sql`(${t.kind} = 'booking') = (${t.bookingId} is not null)`),
  ],
);
