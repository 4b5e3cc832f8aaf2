import { desc, sql } from 'drizzle-orm';
import {
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
import { listings } from '#lib/db/schema/listings';
import { hosts, users } from '#lib/db/schema/principals';

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
