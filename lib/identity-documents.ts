import { config } from '#lib/config';
import type { schema } from '#lib/db/index';
import { presignDownload } from '#lib/storage-download';

type Document = typeof schema.identityDocuments.$inferSelect;

export const DOCUMENT_KINDS = [
  'passport',
  'national_id',
  'drivers_license',
  'voters_card',
] as const;

/** A document as its host or an admin sees it: with a GET URL that works for five minutes. */
export async function documentView(d: Document) {
  return {
    id: d.id,
    kind: d.kind,
    status: d.status,
    reason: d.reason,
    createdAt: d.createdAt,
    reviewedAt: d.reviewedAt,
    url: await presignDownload(config.S3_PRIVATE_BUCKET, d.s3Key),
    urlExpiresInSeconds: config.PRIVATE_URL_SECONDS,
  };
}
