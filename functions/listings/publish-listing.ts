import { and, eq, ne, sql } from 'drizzle-orm';
import { invalidateCatalogue } from '#lib/catalogue/cache';
import { db, schema } from '#lib/db/index';
import { HttpError } from '#lib/http/errors';
import { ok } from '#lib/http/reply';
import { route } from '#lib/http/route';
import { publishListing } from '#lib/listings/contracts';
import {
  hostView,
  limitCatalogueWrites,
  listingSuspended,
  ownListing,
} from '#lib/listings/listings';

/** Puts a listing in the public feed, at the top; refuses one that is not ready. */
export const handler = route(publishListing, async ({ params, principal }) => {
  const listing = await ownListing(principal.id, params.id);
  await limitCatalogueWrites(listing.hostId);
  if (listing.status === 'suspended') throw listingSuspended();
  const missing = [
    !listing.title.trim() && 'a title',
    listing.pricePerNight <= 0 && 'a price',
    listing.photoKeys.length === 0 && 'at least one photo',
  ].filter(Boolean);
  if (missing.length > 0) {
    throw new HttpError(422, 'listing_incomplete', `Add ${missing.join(', ')} before publishing.`);
  }
  const { listings } = schema;
  // Guarded again in the write, so a suspension or a photo deletion that lands meanwhile
  // wins; publishing a published listing keeps its date (no bumping to the top of the feed).
  const [published] = await db()
    .update(listings)
    .set({
      status: 'published',
      publishedAt: sql`case when ${listings.status} = 'published' then ${listings.publishedAt} else now() end`,
      updatedAt: sql`now()`,
    })
    .where(
      and(
        eq(listings.id, listing.id),
        ne(listings.status, 'suspended'),
        sql`cardinality(${listings.photoKeys}) > 0`,
      ),
    )
    .returning();
  if (!published) {
    // Its last photo was deleted while this request ran, or an admin suspended it.
    const now = await ownListing(principal.id, params.id);
    if (now.status === 'suspended') throw listingSuspended();
    throw new HttpError(422, 'listing_incomplete', 'Add at least one photo before publishing.');
  }
  // Publishing a published listing changes nothing anyone sees.
  if (listing.status !== 'published') await invalidateCatalogue(listing.id);
  return ok(await hostView(published));
});
