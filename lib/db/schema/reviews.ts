import { desc, sql } from 'drizzle-orm';
import {
  check,
  index,
  pgTable,
  smallint,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { bookings } from '#lib/db/schema/bookings';
import { listings } from '#lib/db/schema/listings';
import { hosts, principalRole, users } from '#lib/db/schema/principals';

/**
 * What each side of a completed stay says: the guest (`user`) of the listing, the host of the
 * guest. Double-blind: a review is published (`published_at`) once both have written, or
 * when the window closes, whichever comes first; until then only its author sees it.
 */
export const reviews = pgTable(
  'reviews',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    bookingId: uuid('booking_id')
      .notNull()
      .references(() => bookings.id, { onDelete: 'cascade' }),
    /** Who wrote it: `user` (the guest, of the listing) or `host` (of the guest). */
    authorRole: principalRole('author_role').notNull(),
    listingId: uuid('listing_id')
      .notNull()
      .references(() => listings.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    hostId: uuid('host_id')
      .notNull()
      .references(() => hosts.id, { onDelete: 'cascade' }),
    rating: smallint('rating').notNull(),
    comment: text('comment').notNull().default(''),
    publishedAt: timestamp('published_at', { withTimezone: true, precision: 3 }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('reviews_rating', sql`${t.rating} between 1 and 5`),
    check('reviews_author', sql`${t.authorRole} in ('user', 'host')`),
    // One review per side per stay: a second is a 409.
    unique('reviews_booking_author').on(t.bookingId, t.authorRole),
    // A listing's published guest reviews, newest first, keyset on (published_at, id).
    index('reviews_listing_idx')
      .on(t.listingId, desc(t.publishedAt), desc(t.id))
      .where(sql`${t.authorRole} = 'user' and ${t.publishedAt} is not null`),
  ],
);
