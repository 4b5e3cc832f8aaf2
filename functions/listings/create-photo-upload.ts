import { randomUUID } from 'node:crypto';
import { created } from '#lib/http/reply';
import { route } from '#lib/http/route';
import { createPhotoUpload } from '#lib/listings/contracts';
import { ownListing } from '#lib/listings/listings';
import { config } from '#lib/platform/config';
import { IMAGE_TYPES } from '#lib/platform/storage/types';
import { presignUpload } from '#lib/platform/storage/upload';

/** A presigned upload straight to S3, under a key this listing owns; S3 enforces type and size. */
export const handler = route(createPhotoUpload, async ({ params, body, principal }) => {
  const listing = await ownListing(principal.id, params.id);
  const key = `listings/${listing.id}/${randomUUID()}.${IMAGE_TYPES[body.contentType]}`;
  return created(
    await presignUpload(config.S3_PUBLIC_BUCKET, key, body.contentType, body.sizeBytes),
  );
});
