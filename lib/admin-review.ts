import { eq, sql } from 'drizzle-orm';
import * as z from 'zod';
import { db, schema } from '#lib/db/index';
import { notFound } from '#lib/http/errors';
import { ok } from '#lib/http/reply';
import { caller, route } from '#lib/http/route';
import { enqueue } from '#lib/jobs/enqueue';

const { identityDocuments, hosts } = schema;

/**
 * The handler that approves or rejects a document and tells the host by email, else SMS.
 * Reviewing again overwrites the decision and tells the host again.
 */
export const reviewDocument = (status: 'approved' | 'rejected') =>
  route(
    {
      params: z.object({ id: z.uuid() }),
      body: z.strictObject({ reason: z.string().trim().min(1).max(500).optional() }).default({}),
    },
    async ({ params, body, principal }) => {
      const admin = caller(principal);
      const [doc] = await db()
        .update(identityDocuments)
        .set({ status, reason: body.reason ?? null, reviewedBy: admin.id, reviewedAt: sql`now()` })
        .where(eq(identityDocuments.id, params.id))
        .returning();
      if (!doc) throw notFound('identity document');
      const [host] = await db().select().from(hosts).where(eq(hosts.id, doc.hostId));
      const text =
        status === 'approved'
          ? 'Your identity document was approved. You can now receive bookings and payouts.'
          : `Your identity document was not approved${body.reason ? `: ${body.reason}` : ''}. Please upload another.`;
      if (host?.email) {
        await enqueue('send-email', {
          to: host.email,
          subject: `Identity document ${status}`,
          text,
        });
      } else if (host?.phone) {
        await enqueue('send-sms', { to: host.phone, text });
      }
      return ok({ id: doc.id, status: doc.status, reason: doc.reason, reviewedAt: doc.reviewedAt });
    },
  );
