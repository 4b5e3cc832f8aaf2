import { and, eq } from 'drizzle-orm';
import * as z from 'zod';
import { invalidateCatalogue } from '#lib/catalogue-cache';
import { config } from '#lib/config';
import { db, schema } from '#lib/db/index';
import { notFound } from '#lib/http/errors';
import { noContent } from '#lib/http/reply';
import { caller, route } from '#lib/http/route';
import { ownListing } from '#lib/listings';
import { deleteObject } from '#lib/storage';

const { listingPhotos } = schema;

export const handler = route(
  { params: z.object({ id: z.uuid(), photoId: z.uuid() }) },
  async ({ params, principal }) => {
    const listing = await ownListing(caller(principal).id, params.id);
    const [photo] = await db()
      .delete(listingPhotos)
      .where(and(eq(listingPhotos.id, params.photoId), eq(listingPhotos.listingId, listing.id)))
      .returning({ key: listingPhotos.s3Key });
    if (!photo) throw notFound('photo');
    await invalidateCatalogue(listing.id);
    await deleteObject(config.S3_PUBLIC_BUCKET, photo.key);
    return noContent();
  },
);
