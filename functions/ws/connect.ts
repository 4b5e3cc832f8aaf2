import { connect } from '#lib/chat/ws-contracts';
import { db, schema } from '#lib/db/index';
import { fromNow } from '#lib/db/interval';
import { wsRoute } from '#lib/ws/route';

/** API Gateway closes any connection after two hours; the row lives no longer. */
const MAX_CONNECTION_SECONDS = 2 * 60 * 60;

/** A valid access token opens a connection (wsRoute refuses others with 401); it is stored. */
export const handler = wsRoute(connect, async ({ caller, connectionId }) => {
  await db()
    .insert(schema.wsConnections)
    .values({
      connectionId,
      role: caller.role,
      principalId: caller.id,
      sessionId: caller.sessionId,
      expiresAt: fromNow(MAX_CONNECTION_SECONDS),
    })
    .onConflictDoNothing();
});
