import { desc, eq } from 'drizzle-orm';
import { db, schema } from '#lib/db/index';
import { ok } from '#lib/http/reply';
import { route } from '#lib/http/route';
import { listDocuments } from '#lib/identity/contracts';
import { documentView } from '#lib/identity/documents';

const { identityDocuments } = schema;

/** The host's own documents, each with a five-minute GET URL. */
export const handler = route(listDocuments, async ({ principal: host }) => {
  const docs = await db()
    .select()
    .from(identityDocuments)
    .where(eq(identityDocuments.hostId, host.id))
    .orderBy(desc(identityDocuments.createdAt))
    .limit(50);
  return ok({ documents: await Promise.all(docs.map(documentView)) });
});
