import * as z from 'zod';
import { config } from '#lib/config';
import { db, schema } from '#lib/db/index';
import { created } from '#lib/http/reply';
import { caller, route } from '#lib/http/route';
import { DOCUMENT_KINDS } from '#lib/identity-documents';
import { DOCUMENT_TYPES, MAX_UPLOAD_BYTES, requireUpload } from '#lib/storage';

/** Submits an uploaded identity document for review. */
export const handler = route(
  { body: z.strictObject({ kind: z.enum(DOCUMENT_KINDS), key: z.string().min(1).max(300) }) },
  async ({ body, principal }) => {
    const host = caller(principal);
    await requireUpload({
      bucket: config.S3_PRIVATE_BUCKET,
      key: body.key,
      prefix: `identity/${host.id}/`,
      types: DOCUMENT_TYPES,
      maxBytes: MAX_UPLOAD_BYTES,
      field: 'body.key',
      notOwn: 'The key is not one of your uploads.',
      mustBe: 'The document is not a PDF or a JPEG, PNG or WebP image of at most 10 MB',
    });
    const [doc] = await db()
      .insert(schema.identityDocuments)
      .values({ hostId: host.id, kind: body.kind, s3Key: body.key })
      .returning({ id: schema.identityDocuments.id, status: schema.identityDocuments.status });
    return created(doc);
  },
);
