import { and, eq } from 'drizzle-orm';
import { enforceLimits } from '#lib/auth/rate-limit';
import { db, schema } from '#lib/db/index';
import { conflict, notFound } from '#lib/http/errors';
import { publicUrl } from '#lib/platform/storage/urls';

const { listings, listingPhotos } = schema;

export type Listing = typeof listings.$inferSelect;

/**
 * The caller's own listing. Another host's listing is a 404, exactly as one that does not
 * exist: a host cannot even learn that an id is taken.
 */
export async function ownListing(hostId: string, id: string): Promise<Listing> {
  const [row] = await db()
    .select()
    .from(listings)
    .where(and(eq(listings.id, id), eq(listings.hostId, hostId)));
  if (!row) throw notFound('listing');
  return row;
}

/**
 * A host's writes that can change what the catalogue shows, each of which may empty the
 * cache: limited, so no one can keep it cold.
 */
export const limitCatalogueWrites = (hostId: string) =>
  enforceLimits([{ key: `catalogue-writes:${hostId}`, max: 120, windowSeconds: 3600 }]);

/**
 * Whether writing `changes` to this listing changes something the public sees: only a
 * published listing is in the catalogue, and only a value that differs changes it.
 */
export function showsChange(listing: Listing, changes: Partial<Listing>): boolean {
  if (listing.status !== 'published') return false;
  return Object.entries(changes).some(
    ([field, value]) => JSON.stringify(listing[field as keyof Listing]) !== JSON.stringify(value),
  );
}

/** A listing as its host sees it, with its photos. */
export async function hostView(listing: Listing) {
  const photos = await db()
    .select({ id: listingPhotos.id, key: listingPhotos.s3Key, position: listingPhotos.position })
    .from(listingPhotos)
    .where(eq(listingPhotos.listingId, listing.id))
    .orderBy(listingPhotos.position, listingPhotos.createdAt);
  // Copies and counters kept for the feed, not fields the host edits.
  const {
    hostName: _,
    photoKeys: __,
    held: ___,
    reviewCount: _n,
    ratingSum: _s,
    ...fields
  } = listing;
  return {
    ...fields,
    photos: photos.map((p) => ({ id: p.id, url: publicUrl(p.key), position: p.position })),
  };
}

/** A host's change to a listing an admin suspended: refused, whatever the change. */
export const listingSuspended = () =>
  conflict('listing_suspended', 'An admin suspended this listing; only an admin can lift that.');
