import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { config } from '#lib/config';
import { created } from '#lib/http/reply';
import { caller, route } from '#lib/http/route';
import { listingId, ownListing } from '#lib/listings';
import { IMAGE_TYPES, MAX_UPLOAD_BYTES } from '#lib/storage';
import { presignUpload } from '#lib/storage-upload';

const body = z.strictObject({
  contentType: z.enum(Object.keys(IMAGE_TYPES) as [keyof typeof IMAGE_TYPES]),
  sizeBytes: z.number().int().min(1).max(MAX_UPLOAD_BYTES),
});

/** A presigned upload straight to S3, under a key this listing owns; S3 enforces type and size. */
export const handler = route({ params: listingId, body }, async ({ params, body, principal }) => {
  const listing = await ownListing(caller(principal).id, params.id);
  const key = `listings/${listing.id}/${randomUUID()}.${IMAGE_TYPES[body.contentType]}`;
  return created(
    await presignUpload(config.S3_PUBLIC_BUCKET, key, body.contentType, body.sizeBytes),
  );
});
