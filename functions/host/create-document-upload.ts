import { randomUUID } from 'node:crypto';
import { created } from '#lib/http/reply';
import { route } from '#lib/http/route';
import { createDocumentUpload } from '#lib/identity/contracts';
import { config } from '#lib/platform/config';
import { DOCUMENT_TYPES } from '#lib/platform/storage/types';
import { presignUpload } from '#lib/platform/storage/upload';

/** A presigned upload into the private bucket, under the host's own prefix. */
export const handler = route(createDocumentUpload, async ({ body, principal: host }) => {
  const key = `identity/${host.id}/${body.kind}-${randomUUID()}.${DOCUMENT_TYPES[body.contentType]}`;
  return created(
    await presignUpload(config.S3_PRIVATE_BUCKET, key, body.contentType, body.sizeBytes),
  );
});
