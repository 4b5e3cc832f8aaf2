import { and, eq, sql } from 'drizzle-orm';
import { invalidateCatalogue } from '#lib/catalogue/cache';
import { db, schema } from '#lib/db/index';
import { notFound } from '#lib/http/errors';
import { ok } from '#lib/http/reply';
import { route } from '#lib/http/route';
import { unsuspendListing } from '#lib/listings/contracts';

const { listings } = schema;

/**
 * Lifts a suspension: a listing that was published when suspended returns to the feed (a
 * host's draft has no publication date), others to draft, as does one left with no photo.
 */
export const handler = route(unsuspendListing, async ({ params }) => {
  const [listing] = await db()
    .update(listings)
    .set({
      status: sql`(case when ${listings.publishedAt} is null or cardinality(${listings.photoKeys}) = 0 then 'draft' else 'published' end)::listing_status`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(listings.id, params.id), eq(listings.status, 'suspended')))
    .returning({ id: listings.id, status: listings.status });
  if (!listing) throw notFound('suspended listing');
  await invalidateCatalogue(listing.id);
  return ok(listing);
});
