import { and, eq } from 'drizzle-orm';
import { cachedCatalogue, clientOf, listingDetailKey } from '#lib/catalogue/cache';
import { getPublicListing } from '#lib/catalogue/contracts';
import { db, schema } from '#lib/db/index';
import { notFound } from '#lib/http/errors';
import { ok } from '#lib/http/reply';
import { route } from '#lib/http/route';
import { photoUrlsOf, publicUrl } from '#lib/platform/storage/urls';
import { ratingOf } from '#lib/reviews/rating';

const DETAIL_TTL_SECONDS = 300;
const { listings, hosts } = schema;

/**
 * One published listing in full. The street address is left out: guests get it with
 * their booking, not from a public page.
 */
async function loadListing(id: string) {
  const [row] = await db()
    .select({
      id: listings.id,
      title: listings.title,
      description: listings.description,
      city: listings.city,
      pricePerNight: listings.pricePerNight,
      currency: listings.currency,
      maxGuests: listings.maxGuests,
      amenities: listings.amenities,
      instantBook: listings.instantBook,
      cancellationPolicy: listings.cancellationPolicy,
      cleaningFee: listings.cleaningFee,
      minNights: listings.minNights,
      maxNights: listings.maxNights,
      publishedAt: listings.publishedAt,
      photoKeys: listings.photoKeys,
      reviewCount: listings.reviewCount,
      ratingSum: listings.ratingSum,
      host: { id: hosts.id, name: hosts.name, avatarKey: hosts.avatarKey, since: hosts.createdAt },
    })
    .from(listings)
    .innerJoin(hosts, eq(hosts.id, listings.hostId))
    .where(and(eq(listings.id, id), eq(listings.status, 'published')));
  if (!row) return null;
  const { photoKeys, host, ratingSum, reviewCount, ...listing } = row;
  const { coverPhotoUrl, photoUrls } = photoUrlsOf(photoKeys);
  return {
    ...listing,
    coverPhotoUrl,
    photos: photoUrls.map((url) => ({ url })),
    rating: ratingOf(ratingSum, reviewCount),
    reviewCount,
    host: {
      id: host.id,
      name: host.name,
      avatarUrl: host.avatarKey ? publicUrl(host.avatarKey) : null,
      since: host.since,
    },
  };
}

// A listing that does not exist is not stored at all: random ids would otherwise fill the
// cache, and its lookup is one primary-key probe.
export const handler = route(getPublicListing, async ({ params, event }) => {
  const found = await cachedCatalogue(
    listingDetailKey(params.id),
    DETAIL_TTL_SECONDS,
    () => loadListing(params.id),
    {
      keep: (listing) => (listing ? 'outage' : 'nothing'),
      client: clientOf(event.requestContext.http.sourceIp),
    },
  );
  if (!found.value) throw notFound('listing');
  return ok(found.value, { 'Cache-Control': 'public, max-age=60', 'X-Cache': found.cache });
});
