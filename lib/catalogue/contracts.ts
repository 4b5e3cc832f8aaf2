import * as z from 'zod/mini';
import { lagosToday } from '#lib/bookings/dates';
import { decodeCursor } from '#lib/catalogue/cursor';
import { anyone, contract, instant } from '#lib/http/contract';
import { bookingSettings, listingBasics } from '#lib/listings/contracts';

export const DEFAULT_FEED_LIMIT = 20;
const money = z.coerce.number().check(z.int(), z.minimum(0), z.maximum(1_000_000_000));

/** What guests said, from counters on the listing's row (no aggregate per request). */
const reviewSummary = {
  /** The mean of the published guest reviews, 1.0–5.0 to one decimal; null with none. */
  rating: z.nullable(z.number().check(z.minimum(1), z.maximum(5))),
  reviewCount: z.number().check(z.int(), z.minimum(0)),
};

/** A listing in a feed: what a card shows, with CDN URLs. */
export const card = z.strictObject({
  ...listingBasics,
  publishedAt: z.nullable(instant),
  coverPhotoUrl: z.nullable(z.url()),
  photoUrls: z.array(z.url()),
  ...reviewSummary,
  /** `name` is null until the host sets one, as in the detail and in /me. */
  host: z.strictObject({ id: z.uuid(), name: z.nullable(z.string()) }),
});

/** `?cursor=`: a `nextCursor` of a page keyed on (an instant, id), decoded; else a 400. */
export const instantCursorParam = z.pipe(
  z.string().check(z.maxLength(200)),
  z.transform((text: string, ctx) => {
    const cursor = decodeCursor(text);
    // zod/mini hands a transform the bare payload, without addIssue: push what addIssue pushed.
    if (!cursor)
      ctx.issues.push({ code: 'custom', message: 'not a cursor from nextCursor', input: text });
    return cursor ?? z.NEVER;
  }),
);

export const feedQuery = z
  .strictObject({
    limit: z.pipe(
      z._default(z.coerce.number().check(z.int(), z.minimum(1)), DEFAULT_FEED_LIMIT),
      z.transform((n: number) => Math.min(n, 50)),
    ),
    offset: z._default(z.coerce.number().check(z.int(), z.minimum(0), z.maximum(10_000)), 0),
    cursor: z.optional(instantCursorParam),
    city: z.optional(
      z.pipe(
        z.string().check(z.trim(), z.minLength(1), z.maxLength(80)),
        z.transform((c: string) => c.toLowerCase()),
      ),
    ),
    minPrice: z.optional(money),
    maxPrice: z.optional(money),
    guests: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100))),
    /** With checkOut: only listings free, and bookable, for those nights (Africa/Lagos days). */
    checkIn: z.optional(z.iso.date()),
    checkOut: z.optional(z.iso.date()),
  })
  .check(
    z.refine((q) => (q.checkIn === undefined) === (q.checkOut === undefined), {
      message: 'checkIn and checkOut go together',
      path: ['checkOut'],
    }),
    z.refine((q) => !q.checkIn || !q.checkOut || q.checkOut > q.checkIn, {
      message: 'checkOut must be after checkIn',
      path: ['checkOut'],
    }),
    z.refine((q) => !q.checkIn || q.checkIn >= lagosToday(), {
      message: 'checkIn is in the past (dates are in Africa/Lagos)',
      path: ['checkIn'],
    }),
    z.refine((q) => !(q.cursor && q.offset > 0), {
      message: 'use either cursor or offset',
      path: ['offset'],
    }),
    z.refine(
      (q) => q.minPrice === undefined || q.maxPrice === undefined || q.minPrice <= q.maxPrice,
      { message: 'minPrice is above maxPrice', path: ['minPrice'] },
    ),
  );

/**
 * A feed page: a total on offset pages (capped past 1,000 with filters), none on cursor pages
 * or date searches (counting free listings would read the whole city).
 */
export const feedPage = z.strictObject({
  listings: z.array(card),
  total: z.optional(z.number().check(z.int())),
  totalIsCapped: z.optional(z.literal(true)),
  limit: z.number().check(z.int()),
  offset: z.optional(z.number().check(z.int())),
  hasMore: z.boolean(),
  nextCursor: z.nullable(z.string()),
});

const publicListing = z.strictObject({
  ...listingBasics,
  description: z.string(),
  amenities: z.array(z.string()),
  ...bookingSettings,
  publishedAt: z.nullable(instant),
  coverPhotoUrl: z.nullable(z.url()),
  photos: z.array(z.strictObject({ url: z.url() })),
  ...reviewSummary,
  host: z.strictObject({
    id: z.uuid(),
    name: z.nullable(z.string()),
    avatarUrl: z.nullable(z.url()),
    since: instant,
  }),
});

const homeFeed = z.strictObject({
  sections: z.array(
    z.strictObject({ key: z.string(), title: z.string(), listings: z.array(card) }),
  ),
});

export const listPublicListings = contract({
  method: 'GET',
  path: '/listings/public',
  fn: 'listings/list-public-listings',
  auth: anyone,
  description: 'Public feed, paged and filtered',
  query: feedQuery,
  responses: { 200: feedPage },
});

export const getPublicListing = contract({
  method: 'GET',
  path: '/listings/public/{id}',
  fn: 'listings/get-public-listing',
  auth: anyone,
  description: 'One published listing',
  params: z.object({ id: z.uuid() }),
  responses: { 200: publicListing },
});

export const getHomeFeed = contract({
  method: 'GET',
  path: '/home-feed',
  fn: 'home-feed/get-home-feed',
  auth: anyone,
  description: 'Home screen sections',
  responses: { 200: homeFeed },
});
