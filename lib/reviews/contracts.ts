/** Reviews: the routes where each side of a completed stay reviews the other, and the public list. */
import * as z from 'zod/mini';
import { instantCursorParam } from '#lib/catalogue/contracts';
import { anyone, contract, instant, signedIn } from '#lib/http/contract';

const byId = z.object({ id: z.uuid() });

/** What either side writes about the other. */
const reviewBody = z.strictObject({
  /** Whole stars, 1 to 5. */
  rating: z.number().check(z.int(), z.minimum(1), z.maximum(5)),
  comment: z._default(z.string().check(z.trim(), z.maxLength(2000)), ''),
});

/**
 * A review as its author sees it. Double-blind: it stays hidden from everyone else
 * (`published: false`) until the other side has written too, or the review window closes.
 */
export const authoredReview = z.strictObject({
  id: z.uuid(),
  bookingId: z.uuid(),
  listingId: z.uuid(),
  /** Who wrote it: the guest (of the listing) or the host (of the guest). */
  author: z.enum(['guest', 'host']),
  rating: z.number().check(z.int()),
  comment: z.string(),
  published: z.boolean(),
  publishedAt: z.nullable(instant),
  createdAt: instant,
});

/** A guest's published review of a listing, as the public sees it. */
const publicReview = z.strictObject({
  id: z.uuid(),
  rating: z.number().check(z.int()),
  comment: z.string(),
  publishedAt: instant,
  /** The guest's first name only; null once they erased their account or never set one. */
  guest: z.strictObject({ name: z.nullable(z.string()) }),
});

export const reviewBooking = contract({
  method: 'POST',
  path: '/bookings/{id}/review',
  fn: 'bookings/review-booking',
  auth: signedIn('user'),
  description:
    'The guest reviews a completed stay, once, within the review window; hidden until the host has reviewed too or the window closes',
  params: byId,
  body: reviewBody,
  responses: { 201: authoredReview },
});

export const reviewGuest = contract({
  method: 'POST',
  path: '/host/bookings/{id}/review',
  fn: 'host/review-guest',
  auth: signedIn('host'),
  description:
    'The host reviews the guest of a completed stay, once, within the review window; hidden until the guest has reviewed too or the window closes',
  params: byId,
  body: reviewBody,
  responses: { 201: authoredReview },
});

export const listListingReviews = contract({
  method: 'GET',
  path: '/listings/public/{id}/reviews',
  fn: 'listings/list-listing-reviews',
  auth: anyone,
  description: "A published listing's published guest reviews, newest first (keyset paging)",
  params: byId,
  query: z.strictObject({
    /** `nextCursor` of the previous page. */
    cursor: z.optional(instantCursorParam),
    limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(50)), 20),
  }),
  responses: {
    200: z.strictObject({
      reviews: z.array(publicReview),
      /** Pass as `cursor` for the next page; null on the last. */
      nextCursor: z.nullable(z.string()),
    }),
  },
});
