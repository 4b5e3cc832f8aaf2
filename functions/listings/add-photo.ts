import { count, eq } from 'drizzle-orm';
import { invalidateCatalogue } from '#lib/catalogue/cache';
import { db, onlyRow, schema } from '#lib/db/index';
import { created } from '#lib/http/reply';
import { route } from '#lib/http/route';
import { addPhoto } from '#lib/listings/contracts';
import { limitCatalogueWrites, ownListing } from '#lib/listings/listings';
import { config } from '#lib/platform/config';
import { requireUpload } from '#lib/platform/storage/objects';
import { IMAGE_TYPES, MAX_UPLOAD_BYTES } from '#lib/platform/storage/types';
import { publicUrl } from '#lib/platform/storage/urls';

const { listingPhotos } = schema;

/** Attaches an uploaded photo: an image, by its first bytes, under this listing's prefix. */
export const handler = route(addPhoto, async ({ params, body, principal }) => {
  const listing = await ownListing(principal.id, params.id);
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
});
