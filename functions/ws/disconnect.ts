import { eq } from 'drizzle-orm';
import { disconnect } from '#lib/chat/ws-contracts';
import { db, schema } from '#lib/db/index';
import { wsRoute } from '#lib/ws/route';

export const handler = wsRoute(disconnect, async ({ connectionId }) => {
  await db()
    .delete(schema.wsConnections)
    .where(eq(schema.wsConnections.connectionId, connectionId));
});
