import { eq } from 'drizzle-orm';
import { invalidateCatalogue } from '#lib/catalogue/cache';
import { pgCode } from '#lib/db/errors';
import { db, schema } from '#lib/db/index';
import { conflict } from '#lib/http/errors';
import { noContent } from '#lib/http/reply';
import { route } from '#lib/http/route';
import { deleteListing } from '#lib/listings/contracts';
import { ownListing } from '#lib/listings/listings';

/**
 * Deletes a listing and its photo rows. A listing with bookings cannot go (409: the
 * bookings keep it); unpublish it instead. Its photo objects stay in the bucket: nothing
 * deletes them yet (see the closing note of the hosts issue).
 */
export const handler = route(deleteListing, async ({ params, principal }) => {
  const listing = await ownListing(principal.id, params.id);
  try {
    await db().delete(schema.listings).where(eq(schema.listings.id, listing.id));
  } catch (error) {
    if (pgCode(error) === '23503') {
      throw conflict('listing_has_bookings', 'This listing has bookings; unpublish it instead.');
    }
    throw error;
  }
  if (listing.status === 'published') await invalidateCatalogue(listing.id);
  return noContent();
});
