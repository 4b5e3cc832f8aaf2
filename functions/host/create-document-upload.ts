import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { config } from '#lib/config';
import { created } from '#lib/http/reply';
import { caller, route } from '#lib/http/route';
import { DOCUMENT_KINDS } from '#lib/identity-documents';
import { DOCUMENT_TYPES, MAX_UPLOAD_BYTES } from '#lib/storage';
import { presignUpload } from '#lib/storage-upload';

const body = z.strictObject({
  kind: z.enum(DOCUMENT_KINDS),
  contentType: z.enum(Object.keys(DOCUMENT_TYPES) as [keyof typeof DOCUMENT_TYPES]),
  sizeBytes: z.number().int().min(1).max(MAX_UPLOAD_BYTES),
});

/** A presigned upload into the private bucket, under the host's own prefix. */
export const handler = route({ body }, async ({ body, principal }) => {
  const host = caller(principal);
  const key = `identity/${host.id}/${body.kind}-${randomUUID()}.${DOCUMENT_TYPES[body.contentType]}`;
  return created(
    await presignUpload(config.S3_PRIVATE_BUCKET, key, body.contentType, body.sizeBytes),
  );
});
