import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { config } from '#lib/config';
import { created } from '#lib/http/reply';
import { caller, route } from '#lib/http/route';
import { IMAGE_TYPES, MAX_AVATAR_BYTES } from '#lib/storage';
import { presignUpload } from '#lib/storage-upload';

const body = z.strictObject({
  contentType: z.enum(Object.keys(IMAGE_TYPES) as [keyof typeof IMAGE_TYPES]),
  sizeBytes: z.number().int().min(1).max(MAX_AVATAR_BYTES),
});

/** A presigned upload of a profile photo, under the caller's own prefix; then `PATCH /me {avatarKey}`. */
export const handler = route({ body }, async ({ body, principal }) => {
  const me = caller(principal);
  const key = `avatars/${me.id}/${randomUUID()}.${IMAGE_TYPES[body.contentType]}`;
  return created(
    await presignUpload(config.S3_PUBLIC_BUCKET, key, body.contentType, body.sizeBytes),
  );
});
