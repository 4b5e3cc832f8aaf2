import { and, desc, eq, gte, lte, type SQL, sql } from 'drizzle-orm';
import type * as z from 'zod/mini';
import { nightsBetween } from '#lib/bookings/dates';
import type { card, feedPage } from '#lib/catalogue/contracts';
import { encodeCursor, type FeedCursor } from '#lib/catalogue/cursor';
import { db, schema } from '#lib/db/index';
import { photoUrlsOf } from '#lib/platform/storage/urls';
import { ratingOf } from '#lib/reviews/rating';

const { listings, listingCounts } = schema;

export interface FeedFilters {
  city?: string | undefined;
  minPrice?: number | undefined;
  maxPrice?: number | undefined;
  guests?: number | undefined;
  /** Only listings free and bookable for these nights. */
  stay?: { checkIn: string; checkOut: string } | undefined;
}

/** The columns every list of listings shows (a feed card, the host's own list). */
export const summaryColumns = {
  id: listings.id,
  title: listings.title,
  city: listings.city,
  pricePerNight: listings.pricePerNight,
  currency: listings.currency,
  maxGuests: listings.maxGuests,
  publishedAt: listings.publishedAt,
};

/** The columns of a feed card; one row of `listings` carries them all. */
export const cardColumns = {
  ...summaryColumns,
  photoKeys: listings.photoKeys,
  hostId: listings.hostId,
  hostName: listings.hostName,
  reviewCount: listings.reviewCount,
  ratingSum: listings.ratingSum,
};

/** A card's row, typed from the table, so it cannot drift from `cardColumns`. */
type CardRow = Pick<typeof listings.$inferSelect, keyof typeof cardColumns>;

/** A card as its contract describes it. */
export type Card = z.output<typeof card>;

/** A card as clients see it: CDN URLs built from keys, no S3 call. */
export function toCard(row: CardRow): Card {
  return {
    id: row.id,
    title: row.title,
    city: row.city,
    pricePerNight: row.pricePerNight,
    currency: row.currency,
    maxGuests: row.maxGuests,
    publishedAt: row.publishedAt ? new Date(row.publishedAt).toISOString() : null,
    ...photoUrlsOf(row.photoKeys),
    rating: ratingOf(row.ratingSum, row.reviewCount),
    reviewCount: row.reviewCount,
    host: { id: row.hostId, name: row.hostName || null },
  };
}

/**
 * Free for the nights and within the listing's min and max nights. `held` is the listing's
 * own copy of its holds (migration 0017), so the search reads no other table.
 */
function freeFor(stay: { checkIn: string; checkOut: string }): SQL {
  const nights = nightsBetween(stay.checkIn, stay.checkOut);
  return and(
    lte(listings.minNights, nights),
    gte(listings.maxNights, nights),
    sql`not (${listings.held} && daterange(${stay.checkIn}::date, ${stay.checkOut}::date, '[)'))`,
  ) as SQL;
}

function feedWhere(filters: FeedFilters, cursor?: FeedCursor): SQL | undefined {
  return and(
    eq(listings.status, 'published'),
    filters.city ? eq(sql`lower(${listings.city})`, filters.city.toLowerCase()) : undefined,
    filters.minPrice !== undefined ? gte(listings.pricePerNight, filters.minPrice) : undefined,
    filters.maxPrice !== undefined ? lte(listings.pricePerNight, filters.maxPrice) : undefined,
    filters.guests !== undefined ? gte(listings.maxGuests, filters.guests) : undefined,
    filters.stay ? freeFor(filters.stay) : undefined,
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

/** Totals past this are counted only this far (`totalIsCapped`) when no counter covers the filters. */
export const TOTAL_CAP = 1000;

/** Whether a trigger-kept counter covers the filters: only the city, or nothing, is filtered. */
const usesCounter = (filters: FeedFilters) =>
  filters.minPrice === undefined && filters.maxPrice === undefined && filters.guests === undefined;

/**
 * How the total of a filtered feed is read, in the same statement as the page: the
 * trigger-kept counter when only the city is filtered (one row), else a count capped at
 * TOTAL_CAP. Cursor pages do not report a total.
 */
function totalExpression(filters: FeedFilters): SQL {
  if (usesCounter(filters)) {
    const key = filters.city?.toLowerCase() ?? '';
    return sql`coalesce((select ${listingCounts.published} from ${listingCounts} where ${listingCounts.key} = ${key}), 0)`;
  }
  return sql`(select count(*)::int from (select 1 from ${listings} where ${feedWhere(filters)} limit ${TOTAL_CAP + 1}) capped)`;
}

/** A page of the feed with its total on every row: one statement. */
export function feedPageWithTotalQuery(
  filters: FeedFilters,
  page: { limit: number; offset: number },
) {
  return db()
    .select({ ...cardColumns, total: sql<number>`(${totalExpression(filters)})`.as('total') })
    .from(listings)
    .where(feedWhere(filters))
    .orderBy(desc(listings.publishedAt), desc(listings.id))
    .limit(page.limit)
    .offset(page.offset);
}

export type FeedPage = z.output<typeof feedPage>;

/**
 * One page of the public feed and its total in ONE statement (one round trip): one row
 * more than the page is read to know whether there is a next one.
 */
export async function loadFeedPage(
  filters: FeedFilters,
  page: { limit: number; offset: number; cursor?: FeedCursor | undefined },
): Promise<FeedPage> {
  const rows =
    page.cursor || filters.stay
      ? (
          await feedPageQuery(filters, {
            limit: page.limit + 1,
            ...(page.cursor ? { cursor: page.cursor } : { offset: page.offset }),
          })
        ).map((r) => ({
          ...r,
          total: 0,
        }))
      : await feedPageWithTotalQuery(filters, { limit: page.limit + 1, offset: page.offset });
  const hasMore = rows.length > page.limit;
  const cards = rows.slice(0, page.limit).map(toCard);
  const last = rows[page.limit - 1];
  const nextCursor =
    hasMore && last?.publishedAt
      ? encodeCursor({ publishedAt: new Date(last.publishedAt), id: last.id })
      : null;
  if (page.cursor) return { listings: cards, limit: page.limit, hasMore, nextCursor };
  if (filters.stay) {
    return { listings: cards, limit: page.limit, offset: page.offset, hasMore, nextCursor };
  }
  let total = rows[0]?.total;
  if (total === undefined) total = page.offset === 0 ? 0 : await countOnly(filters);
  const capped = !usesCounter(filters) && total > TOTAL_CAP;
  return {
    listings: cards,
    total: capped ? TOTAL_CAP : total,
    ...(capped ? { totalIsCapped: true as const } : {}),
    limit: page.limit,
    offset: page.offset,
    hasMore,
    nextCursor,
  };
}

/** The total alone, for an offset past the end (the page had no row to carry it). */
async function countOnly(filters: FeedFilters): Promise<number> {
  const [row] = await db()
    .select({ total: sql<number>`(${totalExpression(filters)})` })
    .from(sql`(select 1) one`);
  return row?.total ?? 0;
}
