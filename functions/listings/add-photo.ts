import { count, eq } from 'drizzle-orm';
import * as z from 'zod';
import { publicUrl } from '#lib/auth/principals';
import { invalidateCatalogue } from '#lib/catalogue-cache';
import { config } from '#lib/config';
import { db, onlyRow, schema } from '#lib/db/index';
import { created } from '#lib/http/reply';
import { caller, route } from '#lib/http/route';
import { limitCatalogueWrites, listingId, ownListing } from '#lib/listings';
import { IMAGE_TYPES, MAX_UPLOAD_BYTES, requireUpload } from '#lib/storage';

const { listingPhotos } = schema;

/** Attaches an uploaded photo: an image, by its first bytes, under this listing's prefix. */
export const handler = route(
  { params: listingId, body: z.strictObject({ key: z.string().min(1).max(300) }) },
  async ({ params, body, principal }) => {
    const listing = await ownListing(caller(principal).id, params.id);
    await limitCatalogueWrites(listing.hostId);
    await requireUpload({
      bucket: config.S3_PUBLIC_BUCKET,
      key: body.key,
      prefix: `listings/${listing.id}/`,
      types: IMAGE_TYPES,
      maxBytes: MAX_UPLOAD_BYTES,
      field: 'body.key',
      notOwn: 'The key is not one of this listing’s uploads.',
      mustBe: 'The upload is not a JPEG, PNG or WebP image of at most 10 MB',
    });
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
