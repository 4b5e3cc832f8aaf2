import { count, eq } from 'drizzle-orm';
import * as z from 'zod';
import { publicUrl } from '#lib/auth/principals';
import { invalidateCatalogue } from '#lib/catalogue-cache';
import { config } from '#lib/config';
import { db, onlyRow, schema } from '#lib/db/index';
import { badRequest } from '#lib/http/errors';
import { created } from '#lib/http/reply';
import { caller, route } from '#lib/http/route';
import { limitCatalogueWrites, listingId, ownListing } from '#lib/listings';
import { checkUpload, IMAGE_TYPES, MAX_UPLOAD_BYTES } from '#lib/storage';

const { listingPhotos } = schema;

/** Attaches an uploaded photo: an image, by its first bytes, under this listing's prefix. */
export const handler = route(
  { params: listingId, body: z.strictObject({ key: z.string().min(1).max(300) }) },
  async ({ params, body, principal }) => {
    const listing = await ownListing(caller(principal).id, params.id);
    await limitCatalogueWrites(listing.hostId);
    const prefix = `listings/${listing.id}/`;
    if (!body.key.startsWith(prefix) || body.key.includes('..')) {
      throw badRequest('validation_failed', 'The key is not one of this listing’s uploads.', [
        { path: 'body.key', message: `must start with ${prefix}` },
      ]);
    }
    const upload = await checkUpload(
      config.S3_PUBLIC_BUCKET,
      body.key,
      IMAGE_TYPES,
      MAX_UPLOAD_BYTES,
    );
    if (!upload.ok && upload.reason === 'missing') {
      throw badRequest('upload_missing', 'Nothing was uploaded under that key.');
    }
    if (!upload.ok) {
      throw badRequest(
        'upload_invalid',
        `The upload is not a JPEG, PNG or WebP image of at most 10 MB (found ${upload.found}); it was deleted.`,
        [{ path: 'body.key', message: `found ${upload.found}` }],
      );
    }
    const [{ n } = { n: 0 }] = await db()
      .select({ n: count() })
      .from(listingPhotos)
      .where(eq(listingPhotos.listingId, listing.id));
    const photo = onlyRow(
      await db()
        .insert(listingPhotos)
        .values({ listingId: listing.id, s3Key: body.key, position: n })
        .returning({ id: listingPhotos.id }),
    );
    if (listing.status === 'published') await invalidateCatalogue(listing.id);
    return created({ id: photo.id, url: publicUrl(body.key) });
  },
);
