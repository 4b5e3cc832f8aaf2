import * as z from 'zod';
import { config } from '#lib/config';
import { db, schema } from '#lib/db/index';
import { badRequest } from '#lib/http/errors';
import { created } from '#lib/http/reply';
import { caller, route } from '#lib/http/route';
import { DOCUMENT_KINDS } from '#lib/identity-documents';
import { headObject } from '#lib/storage';

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
    if (!(await headObject(config.S3_PRIVATE_BUCKET, body.key))) {
      throw badRequest('upload_missing', 'Nothing was uploaded under that key.');
    }
    const [doc] = await db()
      .insert(schema.identityDocuments)
      .values({ hostId: host.id, kind: body.kind, s3Key: body.key })
      .returning({ id: schema.identityDocuments.id, status: schema.identityDocuments.status });
    return created(doc);
  },
);
