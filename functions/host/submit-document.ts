import { db, onlyRow, schema } from '#lib/db/index';
import { created } from '#lib/http/reply';
import { route } from '#lib/http/route';
import { submitDocument } from '#lib/identity/contracts';
import { config } from '#lib/platform/config';
import { requireUpload } from '#lib/platform/storage/objects';
import { DOCUMENT_TYPES, MAX_UPLOAD_BYTES } from '#lib/platform/storage/types';

/** Submits an uploaded identity document for review. */
export const handler = route(submitDocument, async ({ body, principal: host }) => {
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
  const doc = onlyRow(
    await db()
      .insert(schema.identityDocuments)
      .values({ hostId: host.id, kind: body.kind, s3Key: body.key })
      .returning({ id: schema.identityDocuments.id, status: schema.identityDocuments.status }),
  );
  return created(doc);
});
