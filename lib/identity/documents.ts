import { eq, sql } from 'drizzle-orm';
import { db, schema } from '#lib/db/index';
import { notFound } from '#lib/http/errors';
import { enqueue } from '#lib/jobs/enqueue';
import { config } from '#lib/platform/config';
import { presignDownload } from '#lib/platform/storage/download';

type Document = typeof schema.identityDocuments.$inferSelect;

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

/**
 * Approves or rejects a document and tells the host by email, else SMS. Reviewing again
 * overwrites the decision and tells the host again.
 */
export async function reviewDocument(
  id: string,
  decision: { status: 'approved' | 'rejected'; reason: string | undefined; adminId: string },
) {
  const { identityDocuments, hosts } = schema;
  const { status, reason } = decision;
  const [doc] = await db()
    .update(identityDocuments)
    .set({ status, reason: reason ?? null, reviewedBy: decision.adminId, reviewedAt: sql`now()` })
    .where(eq(identityDocuments.id, id))
    .returning();
  if (!doc) throw notFound('identity document');
  const [host] = await db().select().from(hosts).where(eq(hosts.id, doc.hostId));
  const text =
    status === 'approved'
      ? 'Your identity document was approved. You can now receive bookings and payouts.'
      : `Your identity document was not approved${reason ? `: ${reason}` : ''}. Please upload another.`;
  if (host?.email) {
    await enqueue('send-email', { to: host.email, subject: `Identity document ${status}`, text });
  } else if (host?.phone) {
    await enqueue('send-sms', { to: host.phone, text });
  }
  return { id: doc.id, status: doc.status, reason: doc.reason, reviewedAt: doc.reviewedAt };
}
