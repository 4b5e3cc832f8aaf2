import { and, eq, sql } from 'drizzle-orm';
import { invalidateCatalogue } from '#lib/catalogue-cache';
import { db, schema } from '#lib/db/index';
import { HttpError } from '#lib/http/errors';
import { ok } from '#lib/http/reply';
import { caller, route } from '#lib/http/route';
import { hostView, limitCatalogueWrites, listingId, ownListing } from '#lib/listings';

/** Takes a listing out of the public feed, back to draft. */
export const handler = route({ params: listingId }, async ({ params, principal }) => {
  const listing = await ownListing(caller(principal).id, params.id);
  await limitCatalogueWrites(listing.hostId);
  const [draft] = await db()
    .update(schema.listings)
    .set({ status: 'draft', publishedAt: null, updatedAt: sql`now()` })
    .where(and(eq(schema.listings.id, listing.id), sql`${schema.listings.status} <> 'suspended'`))
    .returning();
  if (!draft) throw new HttpError(409, 'listing_suspended', 'An admin suspended this listing.');
  if (listing.status === 'published') await invalidateCatalogue(listing.id);
  return ok(await hostView(draft));
});
