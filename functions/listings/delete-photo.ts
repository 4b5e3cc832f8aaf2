import { and, eq } from 'drizzle-orm';
import { invalidateCatalogue } from '#lib/catalogue/cache';
import { pgConstraint } from '#lib/db/errors';
import { db, schema } from '#lib/db/index';
import { conflict, notFound } from '#lib/http/errors';
import { noContent } from '#lib/http/reply';
import { route } from '#lib/http/route';
import { deletePhoto } from '#lib/listings/contracts';
import { limitCatalogueWrites, ownListing } from '#lib/listings/listings';
import { config } from '#lib/platform/config';
import { logger } from '#lib/platform/log';
import { deleteObject } from '#lib/platform/storage/objects';

const { listingPhotos } = schema;

/** Removes a photo from a listing (its row at once, its object from S3 as well as it can). */
export const handler = route(deletePhoto, async ({ params, principal }) => {
  const listing = await ownListing(principal.id, params.id);
  await limitCatalogueWrites(listing.hostId);
  // A published listing keeps at least one photo, as publishing required. The database
  // decides it in the delete (a check on the listing's trigger-kept photo keys), so two
  // deletes that race cannot both pass.
  const [photo] = await db()
    .delete(listingPhotos)
    .where(and(eq(listingPhotos.id, params.photoId), eq(listingPhotos.listingId, listing.id)))
    .returning({ key: listingPhotos.s3Key })
    .catch((error: unknown) => {
      if (pgConstraint(error) !== 'listings_published_photo') throw error;
      throw conflict('last_photo', 'A published listing needs a photo; add another first.');
    });
  if (!photo) throw notFound('photo');
  if (listing.status === 'published') await invalidateCatalogue(listing.id);
  // The photo is gone for clients once its row is; the object is best-effort.
  await deleteObject(config.S3_PUBLIC_BUCKET, photo.key).catch((error: unknown) => {
    logger.warn('photo object not deleted', { key: photo.key, reason: String(error) });
  });
  return noContent();
});
