import { and, eq } from 'drizzle-orm';
import * as z from 'zod';
import { invalidateCatalogue } from '#lib/catalogue-cache';
import { config } from '#lib/config';
import { pgConstraint } from '#lib/db/errors';
import { db, schema } from '#lib/db/index';
import { HttpError, notFound } from '#lib/http/errors';
import { noContent } from '#lib/http/reply';
import { caller, route } from '#lib/http/route';
import { limitCatalogueWrites, ownListing } from '#lib/listings';
import { logger } from '#lib/log';
import { deleteObject } from '#lib/storage';

const { listingPhotos } = schema;

/** Removes a photo from a listing (its row at once, its object from S3 as well as it can). */
export const handler = route(
  { params: z.object({ id: z.uuid(), photoId: z.uuid() }) },
  async ({ params, principal }) => {
    const listing = await ownListing(caller(principal).id, params.id);
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
        throw new HttpError(
          409,
          'last_photo',
          'A published listing needs a photo; add another first.',
        );
      });
    if (!photo) throw notFound('photo');
    if (listing.status === 'published') await invalidateCatalogue(listing.id);
    // The photo is gone for clients once its row is; the object is best-effort.
    await deleteObject(config.S3_PUBLIC_BUCKET, photo.key).catch((error: unknown) => {
      logger.warn('photo object not deleted', { key: photo.key, reason: String(error) });
    });
    return noContent();
  },
);
