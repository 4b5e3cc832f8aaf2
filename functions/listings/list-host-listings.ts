import { desc, eq, sql } from 'drizzle-orm';
import { summaryColumns } from '#lib/catalogue/feed';
import { db, schema } from '#lib/db/index';
import { ok } from '#lib/http/reply';
import { route } from '#lib/http/route';
import { listHostListings } from '#lib/listings/contracts';

const { listings } = schema;

/** The host's own listings, every status, newest first. */
export const handler = route(listHostListings, async ({ query, principal: host }) => {
  const rows = await db()
    .select({
      ...summaryColumns,
      status: listings.status,
      createdAt: listings.createdAt,
      total: sql<number>`count(*) over ()::int`,
    })
    .from(listings)
    .where(eq(listings.hostId, host.id))
    .orderBy(desc(listings.createdAt))
    .limit(query.limit)
    .offset(query.offset);
  const total = rows[0]?.total ?? 0;
  return ok({
    listings: rows.map(({ total: _, ...row }) => row),
    total,
    limit: query.limit,
    offset: query.offset,
    hasMore: query.offset + rows.length < total,
  });
});
