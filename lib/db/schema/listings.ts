import { desc, sql } from 'drizzle-orm';
import {
  boolean,
  check,
  customType,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { hosts, users } from '#lib/db/schema/principals';

/** Postgres's set of date ranges; read as its text form, which nothing here parses. */
const datemultirange = customType<{ data: string; driverData: string }>({
  dataType: () => 'datemultirange',
});

export const listingStatus = pgEnum('listing_status', ['draft', 'published', 'suspended']);

/** How much of a stay a guest gets back on cancelling; the booking keeps the listing's at booking time. */
export const cancellationPolicy = pgEnum('cancellation_policy', ['flexible', 'moderate', 'firm']);

export const listings = pgTable(
  'listings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    hostId: uuid('host_id')
      .notNull()
      .references(() => hosts.id, { onDelete: 'restrict' }),
    status: listingStatus('status').notNull().default('draft'),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    city: text('city').notNull(),
    address: text('address').notNull().default(''),
    /** Minor units (kobo for NGN). */
    pricePerNight: integer('price_per_night').notNull(),
    currency: text('currency').notNull().default('NGN'),
    maxGuests: integer('max_guests').notNull(),
    amenities: text('amenities').array().notNull().default(sql`'{}'::text[]`),
    /** Paid bookings confirm at once; otherwise the host accepts or declines each request. */
    instantBook: boolean('instant_book').notNull().default(false),
    cancellationPolicy: cancellationPolicy('cancellation_policy').notNull().default('moderate'),
    /** Minor units, once per stay. */
    cleaningFee: integer('cleaning_fee').notNull().default(0),
    minNights: integer('min_nights').notNull().default(1),
    maxNights: integer('max_nights').notNull().default(30),
    // Millisecond precision, so a feed cursor carried as a JS Date is exact.
    publishedAt: timestamp('published_at', { withTimezone: true, precision: 3 }),
    // Copies kept by triggers (migration 0003) so a feed card is one row of one table:
    // the host's name, and the listing's photo keys in display order.
    hostName: text('host_name').notNull().default(''),
    photoKeys: text('photo_keys').array().notNull().default(sql`'{}'::text[]`),
    // The nights held (bookings and blocks) from today on, merged: a copy of listing_holds
    // kept by a trigger (migration 0017), so a date search reads no other table. The holds
    // and their exclusion constraint decide a booking; this only filters the feed.
    held: datemultirange('held').notNull().default(sql`'{}'::datemultirange`),
    // Published guest reviews, kept when a review is published (lib/reviews), so a card
    // shows its rating without an aggregate: rating = ratingSum / reviewCount.
    reviewCount: integer('review_count').notNull().default(0),
    ratingSum: integer('rating_sum').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('listings_price', sql`${t.pricePerNight} >= 0`),
    check('listings_max_guests', sql`${t.maxGuests} between 1 and 100`),
    check('listings_currency', sql`${t.currency} ~ '^[A-Z]{3}$'`),
    check('listings_cleaning_fee', sql`${t.cleaningFee} >= 0`),
    check(
      'listings_ratings',
      sql`${t.ratingSum} between ${t.reviewCount} and 5 * ${t.reviewCount}`,
    ),
    check(
      'listings_nights',
      sql`1 <= ${t.minNights} and ${t.minNights} <= ${t.maxNights} and ${t.maxNights} <= 365`,
    ),
    check('listings_published_at', sql`${t.status} <> 'published' or ${t.publishedAt} is not null`),
    // The public feed, newest first, with the keyset tiebreaker: first page and cursor pages.
    index('listings_feed_idx')
      .on(desc(t.publishedAt), desc(t.id))
      .where(sql`${t.status} = 'published'`),
    // The feed filtered by city (case-insensitive), newest first.
    index('listings_city_feed_idx')
      .on(sql`lower(${t.city})`, desc(t.publishedAt), desc(t.id))
      .where(sql`${t.status} = 'published'`),
    // Price and guest filters without a city: the feed's capped total becomes an index-only
    // range scan over prices (guests checked in the index), and a rare filter's page a
    // short bitmap scan, instead of reading the table newest first until enough rows match.
    index('listings_price_guests_idx')
      .on(t.pricePerNight, t.maxGuests)
      .where(sql`${t.status} = 'published'`),
    // A host's own listings, all statuses, newest first.
    index('listings_host_idx').on(t.hostId, desc(t.createdAt)),
  ],
);

export const listingPhotos = pgTable(
  'listing_photos',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    listingId: uuid('listing_id')
      .notNull()
      .references(() => listings.id, { onDelete: 'cascade' }),
    s3Key: text('s3_key').notNull().unique(),
    position: integer('position').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('listing_photos_listing_idx').on(t.listingId, t.position),
    check('listing_photos_position', sql`${t.position} >= 0`),
  ],
);

export const wishlistItems = pgTable(
  'wishlist_items',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    listingId: uuid('listing_id')
      .notNull()
      .references(() => listings.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.listingId] })],
);

/**
 * How many listings are published, in all ('') and per city (lower-cased), kept by a
 * trigger (migration 0009) so the public feed's total costs one row, not a count.
 */
export const listingCounts = pgTable('listing_counts', {
  key: text('key').primaryKey(),
  published: integer('published').notNull().default(0),
});
