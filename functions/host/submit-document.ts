import * as z from 'zod';
import { config } from '#lib/config';
import { db, schema } from '#lib/db/index';
import { badRequest } from '#lib/http/errors';
import { created } from '#lib/http/reply';
import { caller, route } from '#lib/http/route';
import { DOCUMENT_KINDS } from '#lib/identity-documents';
import { checkUpload, DOCUMENT_TYPES, MAX_UPLOAD_BYTES } from '#lib/storage';

/** Submits an uploaded identity document for review. */
export const handler = route(
  { body: z.strictObject({ kind: z.enum(DOCUMENT_KINDS), key: z.string().min(1).max(300) }) },
  async ({ body, principal }) => {
    const host = caller(principal);
    if (!body.key.startsWith(`identity/${host.id}/`) || body.key.includes('..')) {
      throw badRequest('validation_failed', 'The key is not one of your uploads.', [
        { path: 'body.key', message: `must start with identity/${host.id}/` },
      ]);
    }
    const upload = await checkUpload(
      config.S3_PRIVATE_BUCKET,
      body.key,
      DOCUMENT_TYPES,
      MAX_UPLOAD_BYTES,
    );
    if (!upload.ok && upload.reason === 'missing') {
      throw badRequest('upload_missing', 'Nothing was uploaded under that key.');
    }
    if (!upload.ok) {
      throw badRequest(
        'upload_invalid',
        `The document is not a PDF or a JPEG, PNG or WebP image of at most 10 MB (found ${upload.found}); it was deleted.`,
        [{ path: 'body.key', message: `found ${upload.found}` }],
      );
    }
    const [doc] = await db()
      .insert(schema.identityDocuments)
      .values({ hostId: host.id, kind: body.kind, s3Key: body.key })
      .returning({ id: schema.identityDocuments.id, status: schema.identityDocuments.status });
    return created(doc);
  },
);
