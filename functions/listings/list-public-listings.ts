import type * as z from 'zod/mini';
import { cachedCatalogue, clientOf, type Keep } from '#lib/catalogue/cache';
import { DEFAULT_FEED_LIMIT, type feedQuery, listPublicListings } from '#lib/catalogue/contracts';
import { type FeedPage, loadFeedPage } from '#lib/catalogue/feed';
import { ok } from '#lib/http/reply';
import { route } from '#lib/http/route';

const FEED_TTL_SECONDS = 120;
/**
 * A date search goes stale as stays are booked: 30 s here and the 30 s a client may keep it
 * make it at most a minute old. The booking itself is decided by the database.
 */
const DATE_SEARCH_TTL_SECONDS = 30;
/** How deep the default feed keeps outage copies, in pages of DEFAULT_FEED_LIMIT. */
const OUTAGE_PAGES = 10;
/** The cache key is the validated, normalized query: defaults applied, city lower-cased. */
function feedKey(q: z.output<typeof feedQuery>): string {
  const cursor = q.cursor ? `${q.cursor.publishedAt.toISOString()}|${q.cursor.id}` : '';
  return `feed:l=${q.limit}:o=${q.offset}:c=${cursor}:city=${q.city ?? ''}:min=${q.minPrice ?? ''}:max=${q.maxPrice ?? ''}:g=${q.guests ?? ''}${q.checkIn ? `:in=${q.checkIn}:out=${q.checkOut}` : ''}`;
}

/**
 * A default feed page (all or one city, the first pages at the default size) that has
 * cards is worth serving in an outage; there are at most OUTAGE_PAGES of them per city
 * that has listings, whoever asks. Every other page (price or guest filters, cursors, odd
 * sizes and offsets, a city with nothing in it) has a key the client makes up: it is kept
 * briefly, within the client's budget, and never stale.
 */
function keepOf(q: z.output<typeof feedQuery>, page: FeedPage): Keep {
  const defaultPage =
    q.cursor === undefined &&
    q.minPrice === undefined &&
    q.maxPrice === undefined &&
    q.guests === undefined &&
    q.checkIn === undefined &&
    q.limit === DEFAULT_FEED_LIMIT &&
    q.offset % DEFAULT_FEED_LIMIT === 0 &&
    q.offset < OUTAGE_PAGES * DEFAULT_FEED_LIMIT;
  return defaultPage && page.listings.length > 0 ? 'outage' : 'budgeted';
}

/** The public feed: newest published listings, filtered, by offset or cursor. */
export const handler = route(listPublicListings, async ({ query: q, event }) => {
  const stay = q.checkIn && q.checkOut ? { checkIn: q.checkIn, checkOut: q.checkOut } : undefined;
  const filters = {
    city: q.city,
    minPrice: q.minPrice,
    maxPrice: q.maxPrice,
    guests: q.guests,
    stay,
  };
  const page = await cachedCatalogue(
    feedKey(q),
    stay ? DATE_SEARCH_TTL_SECONDS : FEED_TTL_SECONDS,
    () => loadFeedPage(filters, { limit: q.limit, offset: q.offset, cursor: q.cursor }),
    { keep: (value) => keepOf(q, value), client: clientOf(event.requestContext.http.sourceIp) },
  );
  return ok(page.value, { 'Cache-Control': 'public, max-age=30', 'X-Cache': page.cache });
});
