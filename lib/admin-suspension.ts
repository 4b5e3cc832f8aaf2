import { and, eq, sql } from 'drizzle-orm';
import * as z from 'zod';
import { invalidateCatalogue } from '#lib/catalogue-cache';
import { db, schema } from '#lib/db/index';
import { notFound } from '#lib/http/errors';
import { ok } from '#lib/http/reply';
import { route } from '#lib/http/route';

const { listings } = schema;

/**
 * The handler that suspends a listing (it leaves the public feed at once) or lifts the
 * suspension: a listing that was published when suspended returns to the feed (a host's
 * draft has no publication date), others to draft, as does one left with no photo.
 */
export const setSuspension = (suspend: boolean) =>
  route({ params: z.object({ id: z.uuid() }) }, async ({ params }) => {
    const status = suspend
      ? sql`'suspended'::listing_status`
      : sql`(case when ${listings.publishedAt} is null or cardinality(${listings.photoKeys}) = 0 then 'draft' else 'published' end)::listing_status`;
    const [listing] = await db()
      .update(listings)
      .set({ status, updatedAt: sql`now()` })
      .where(
        suspend
          ? eq(listings.id, params.id)
          : and(eq(listings.id, params.id), eq(listings.status, 'suspended')),
      )
      .returning({ id: listings.id, status: listings.status });
    if (!listing) throw notFound(suspend ? 'listing' : 'suspended listing');
    await invalidateCatalogue(listing.id);
    return ok(listing);
  });
