import * as z from 'zod';
import { decodeCursor, loadFeedPage } from '#lib/catalogue';
import { cachedCatalogue } from '#lib/catalogue-cache';
import { ok } from '#lib/http/reply';
import { route } from '#lib/http/route';

const FEED_TTL_SECONDS = 120;
const money = z.coerce.number().int().min(0).max(1_000_000_000);

const query = z
  .strictObject({
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .default(20)
      .transform((n) => Math.min(n, 50)),
    offset: z.coerce.number().int().min(0).max(10_000).default(0),
    cursor: z
      .string()
      .max(200)
      .transform((text, ctx) => {
        const cursor = decodeCursor(text);
        if (!cursor) ctx.addIssue({ code: 'custom', message: 'not a cursor from nextCursor' });
        return cursor ?? z.NEVER;
      })
      .optional(),
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
  })
  .refine((q) => !(q.cursor && q.offset > 0), {
    message: 'use either cursor or offset',
    path: ['offset'],
  })
  .refine((q) => q.minPrice === undefined || q.maxPrice === undefined || q.minPrice <= q.maxPrice, {
    message: 'minPrice is above maxPrice',
    path: ['minPrice'],
  });

/** The cache key is the validated, normalized query: defaults applied, city lower-cased. */
function feedKey(q: z.output<typeof query>): string {
  const cursor = q.cursor ? `${q.cursor.publishedAt.toISOString()}|${q.cursor.id}` : '';
  return `feed:l=${q.limit}:o=${q.offset}:c=${cursor}:city=${q.city ?? ''}:min=${q.minPrice ?? ''}:max=${q.maxPrice ?? ''}:g=${q.guests ?? ''}`;
}

/** The public feed: newest published listings, filtered, by offset or cursor. */
export const handler = route({ query }, async ({ query: q }) => {
  const filters = { city: q.city, minPrice: q.minPrice, maxPrice: q.maxPrice, guests: q.guests };
  const page = await cachedCatalogue(feedKey(q), FEED_TTL_SECONDS, () =>
    loadFeedPage(filters, { limit: q.limit, offset: q.offset, cursor: q.cursor }),
  );
  return ok(page.value, { 'Cache-Control': 'public, max-age=30', 'X-Cache': page.cache });
});
