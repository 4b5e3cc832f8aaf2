import * as z from 'zod';
import { lagosToday } from '#lib/bookings/dates';
import { decodeCursor } from '#lib/catalogue/cursor';
import { anyone, contract, instant } from '#lib/http/contract';
import { bookingSettings, listingBasics } from '#lib/listings/contracts';

export const DEFAULT_FEED_LIMIT = 20;
const money = z.coerce.number().int().min(0).max(1_000_000_000);

/** What guests said, from counters on the listing's row (no aggregate per request). */
const reviewSummary = {
  /** The mean of the published guest reviews, 1.0–5.0 to one decimal; null with none. */
  rating: z.number().min(1).max(5).nullable(),
  reviewCount: z.number().int().min(0),
};

/** A listing in a feed: what a card shows, with CDN URLs. */
export const card = z.strictObject({
  ...listingBasics,
  publishedAt: z.nullable(instant),
  coverPhotoUrl: z.url().nullable(),
  photoUrls: z.array(z.url()),
  ...reviewSummary,
  /** `name` is null until the host sets one, as in the detail and in /me. */
  host: z.strictObject({ id: z.uuid(), name: z.string().nullable() }),
});

/** `?cursor=`: a `nextCursor` of a page keyed on (an instant, id), decoded; else a 400. */
export const instantCursorParam = z
  .string()
  .max(200)
  .transform((text, ctx) => {
    const cursor = decodeCursor(text);
    if (!cursor) ctx.addIssue({ code: 'custom', message: 'not a cursor from nextCursor' });
    return cursor ?? z.NEVER;
  });

export const feedQuery = z
  .strictObject({
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .default(DEFAULT_FEED_LIMIT)
      .transform((n) => Math.min(n, 50)),
    offset: z.coerce.number().int().min(0).max(10_000).default(0),
    cursor: instantCursorParam.optional(),
    city: z
      .string()
      .trim()
      .min(1)
      .max(80)
      .transform((c) => c.toLowerCase())
      .optional(),
    minPrice: money.optional(),
    maxPrice: money.optional(),
    guests: z.coerce.number().int().min(1).max(100).optional(),
    /** With checkOut: only listings free, and bookable, for those nights (Africa/Lagos days). */
    checkIn: z.iso.date().optional(),
    checkOut: z.iso.date().optional(),
  })
  .refine((q) => (q.checkIn === undefined) === (q.checkOut === undefined), {
    message: 'checkIn and checkOut go together',
    path: ['checkOut'],
  })
  .refine((q) => !q.checkIn || !q.checkOut || q.checkOut > q.checkIn, {
    message: 'checkOut must be after checkIn',
    path: ['checkOut'],
  })
  .refine((q) => !q.checkIn || q.checkIn >= lagosToday(), {
    message: 'checkIn is in the past (dates are in Africa/Lagos)',
    path: ['checkIn'],
  })
  .refine((q) => !(q.cursor && q.offset > 0), {
    message: 'use either cursor or offset',
    path: ['offset'],
  })
  .refine((q) => q.minPrice === undefined || q.maxPrice === undefined || q.minPrice <= q.maxPrice, {
    message: 'minPrice is above maxPrice',
    path: ['minPrice'],
  });

/**
 * A feed page: a total on offset pages (capped past 1,000 with filters), none on cursor pages
 * or date searches (counting free listings would read the whole city).
 */
export const feedPage = z.strictObject({
  listings: z.array(card),
  total: z.number().int().optional(),
  totalIsCapped: z.literal(true).optional(),
  limit: z.number().int(),
  offset: z.number().int().optional(),
  hasMore: z.boolean(),
  nextCursor: z.string().nullable(),
});

const publicListing = z.strictObject({
  ...listingBasics,
  description: z.string(),
  amenities: z.array(z.string()),
  ...bookingSettings,
  publishedAt: z.nullable(instant),
  coverPhotoUrl: z.url().nullable(),
  photos: z.array(z.strictObject({ url: z.url() })),
  ...reviewSummary,
  host: z.strictObject({
    id: z.uuid(),
    name: z.string().nullable(),
    avatarUrl: z.url().nullable(),
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
