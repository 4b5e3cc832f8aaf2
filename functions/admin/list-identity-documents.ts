import { asc, eq } from 'drizzle-orm';
import * as z from 'zod';
import { db, schema } from '#lib/db/index';
import { pageQuery } from '#lib/http/paging';
import { ok } from '#lib/http/reply';
import { route } from '#lib/http/route';

const { identityDocuments, hosts } = schema;

/** The review queue: identity documents by status, oldest first. */
export const handler = route(
  {
    query: z.strictObject({
      status: z.enum(['pending', 'approved', 'rejected']).default('pending'),
      ...pageQuery,
    }),
  },
  async ({ query }) => {
    const rows = await db()
      .select({
        id: identityDocuments.id,
        kind: identityDocuments.kind,
        status: identityDocuments.status,
        reason: identityDocuments.reason,
        createdAt: identityDocuments.createdAt,
        reviewedAt: identityDocuments.reviewedAt,
        host: { id: hosts.id, name: hosts.name },
      })
      .from(identityDocuments)
      .innerJoin(hosts, eq(hosts.id, identityDocuments.hostId))
      .where(eq(identityDocuments.status, query.status))
      .orderBy(asc(identityDocuments.createdAt))
      .limit(query.limit)
      .offset(query.offset);
    return ok({ documents: rows, limit: query.limit, offset: query.offset });
  },
);
