import { and, desc, eq, gte, lte, type SQL, sql } from 'drizzle-orm';
import { db, schema } from '#lib/db/index';

const { listings } = schema;

export interface FeedFilters {
  city?: string | undefined;
  minPrice?: number | undefined;
  maxPrice?: number | undefined;
  guests?: number | undefined;
}

/** Where the previous page ended: keyset on (published_at, id), newest first. */
export interface FeedCursor {
  publishedAt: Date;
  id: string;
}

/** The columns of a feed card; one row of `listings` carries them all. */
export const cardColumns = {
  id: listings.id,
  title: listings.title,
  city: listings.city,
  pricePerNight: listings.pricePerNight,
  currency: listings.currency,
  maxGuests: listings.maxGuests,
  publishedAt: listings.publishedAt,
  photoKeys: listings.photoKeys,
  hostId: listings.hostId,
  hostName: listings.hostName,
};

export function feedWhere(filters: FeedFilters, cursor?: FeedCursor): SQL | undefined {
  return and(
    eq(listings.status, 'published'),
    filters.city ? eq(sql`lower(${listings.city})`, filters.city.toLowerCase()) : undefined,
    filters.minPrice !== undefined ? gte(listings.pricePerNight, filters.minPrice) : undefined,
    filters.maxPrice !== undefined ? lte(listings.pricePerNight, filters.maxPrice) : undefined,
    filters.guests !== undefined ? gte(listings.maxGuests, filters.guests) : undefined,
    cursor
      ? sql`(${listings.publishedAt}, ${listings.id}) < (${cursor.publishedAt.toISOString()}::timestamptz, ${cursor.id}::uuid)`
      : undefined,
  );
}

/** A page of published listings, newest first, by offset or after a cursor. */
export function feedPageQuery(
  filters: FeedFilters,
  page: { limit: number; offset?: number; cursor?: FeedCursor },
) {
  const query = db()
    .select(cardColumns)
    .from(listings)
    .where(feedWhere(filters, page.cursor))
    .orderBy(desc(listings.publishedAt), desc(listings.id))
    .limit(page.limit);
  return page.offset ? query.offset(page.offset) : query;
}
