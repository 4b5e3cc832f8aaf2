import { asc, eq } from 'drizzle-orm';
import { db, schema } from '#lib/db/index';
import { ok } from '#lib/http/reply';
import { route } from '#lib/http/route';
import { listIdentityDocuments } from '#lib/identity/contracts';
import { documentView } from '#lib/identity/documents';

const { identityDocuments, hosts } = schema;

/** The review queue: identity documents by status, oldest first, each with a 5-minute URL. */
export const handler = route(listIdentityDocuments, async ({ query }) => {
  const rows = await db()
    .select({ document: identityDocuments, host: { id: hosts.id, name: hosts.name } })
    .from(identityDocuments)
    .innerJoin(hosts, eq(hosts.id, identityDocuments.hostId))
    .where(eq(identityDocuments.status, query.status))
    .orderBy(asc(identityDocuments.createdAt))
    .limit(query.limit)
    .offset(query.offset);
  const documents = await Promise.all(
    rows.map(async (r) => ({ ...(await documentView(r.document)), host: r.host })),
  );
  return ok({ documents, limit: query.limit, offset: query.offset });
});
