import { sql } from 'drizzle-orm';
import { encodeCursor, type FeedCursor } from '#lib/catalogue/cursor';
import { db } from '#lib/db/index';
import { notFound } from '#lib/http/errors';
import { ok } from '#lib/http/reply';
import { route } from '#lib/http/route';
import { listListingReviews } from '#lib/reviews/contracts';

interface Found {
  id: string;
  rating: number;
  comment: string;
  published_at: string;
  guest_name: string | null;
}

/** The listing's row alone comes back with nulls when it has no review (on this page). */
type Row = { [K in keyof Found]: Found[K] | null } & Record<string, unknown>;

/**
 * A page of a published listing's published guest reviews, newest first, in one statement:
 * the listing's row (none when it is not published: 404) joined to at most `limit + 1`
 * reviews read from `reviews_listing_idx` after the cursor.
 */
function reviewPage(listingId: string, limit: number, cursor: FeedCursor | undefined) {
  return db().execute<Row>(sql`
    select r.id, r.rating, r.comment, r.published_at,
      nullif(split_part(btrim(u.name), ' ', 1), '') as guest_name
    from listings l
    left join lateral (
      select r.id, r.user_id, r.rating, r.comment, r.published_at from reviews r
      where r.listing_id = l.id and r.author_role = 'user' and r.published_at is not null
        ${cursor ? sql`and (r.published_at, r.id) < (${cursor.publishedAt.toISOString()}::timestamptz, ${cursor.id}::uuid)` : sql``}
      order by r.published_at desc, r.id desc
      limit ${limit + 1}
    ) r on true
    left join users u on u.id = r.user_id
    where l.id = ${listingId} and l.status = 'published'
    order by r.published_at desc, r.id desc`);
}

/** Only the guest's first name is shown: a public page is no place for a full name. */
export const handler = route(listListingReviews, async ({ params, query }) => {
  const { rows } = await reviewPage(params.id, query.limit, query.cursor);
  if (rows.length === 0) throw notFound('listing');
  const found = rows.filter((r): r is Row & Found => r.id !== null);
  const page = found.slice(0, query.limit).map((r) => ({
    id: r.id,
    rating: r.rating,
    comment: r.comment,
    publishedAt: new Date(r.published_at),
    guest: { name: r.guest_name },
  }));
  const last = page.at(-1);
  const nextCursor =
    found.length > query.limit && last
      ? encodeCursor({ publishedAt: last.publishedAt, id: last.id })
      : null;
  return ok({ reviews: page, nextCursor }, { 'Cache-Control': 'public, max-age=60' });
});
