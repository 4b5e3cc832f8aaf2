import { randomUUID } from 'node:crypto';
import { createAvatarUpload } from '#lib/accounts/contracts';
import { created } from '#lib/http/reply';
import { route } from '#lib/http/route';
import { config } from '#lib/platform/config';
import { IMAGE_TYPES } from '#lib/platform/storage/types';
import { presignUpload } from '#lib/platform/storage/upload';

/** A presigned upload of a profile photo, under the caller's own prefix; then `PATCH /me {avatarKey}`. */
export const handler = route(createAvatarUpload, async ({ body, principal: me }) => {
  const key = `avatars/${me.id}/${randomUUID()}.${IMAGE_TYPES[body.contentType]}`;
  return created(
    await presignUpload(config.S3_PUBLIC_BUCKET, key, body.contentType, body.sizeBytes),
  );
});
