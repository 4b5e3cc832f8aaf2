import { eq } from 'drizzle-orm';
import { invalidateCatalogue } from '#lib/catalogue-cache';
import { db, schema } from '#lib/db/index';
import { noContent } from '#lib/http/reply';
import { caller, route } from '#lib/http/route';
import { listingId, ownListing } from '#lib/listings';

/**
 * Deletes a listing and its photo rows. A listing with bookings cannot go (409: the
 * bookings keep it); unpublish it instead. Photo objects are left to the bucket's
 * lifecycle rule, not deleted one by one here.
 */
export const handler = route({ params: listingId }, async ({ params, principal }) => {
  const listing = await ownListing(caller(principal).id, params.id);
  await db().delete(schema.listings).where(eq(schema.listings.id, listing.id));
  await invalidateCatalogue(listing.id);
  return noContent();
});
