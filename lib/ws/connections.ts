import { and, eq, gt, inArray, or, sql } from 'drizzle-orm';
import type { Role } from '#lib/auth/roles';
import { db, schema } from '#lib/db/index';
import { config } from '#lib/platform/config';
import { logger } from '#lib/platform/log';

const { wsConnections } = schema;

type ConnectionsApi = typeof import('@aws-sdk/client-apigatewaymanagementapi');
let connectionsApi:
  | Promise<{
      api: ConnectionsApi;
      client: InstanceType<ConnectionsApi['ApiGatewayManagementApiClient']>;
    }>
  | undefined;

/**
 * The stage's `@connections` API (WS_CALLBACK_URL), loaded and created on first use. The SDK
 * client is about 30 ms of a cold start, so a function loads it only once it has a frame to
 * send or a connection to close: `$connect`, `$disconnect`, and a message with no one online
 * never do (code splitting in infra/bundling.ts gives it a chunk of its own).
 */
function management() {
  const endpoint = config.WS_CALLBACK_URL;
  if (!endpoint) throw new Error('WS_CALLBACK_URL is not set: cannot reach connections');
  connectionsApi ??= import('@aws-sdk/client-apigatewaymanagementapi').then((api) => ({
    api,
    client: new api.ApiGatewayManagementApiClient({
      endpoint,
      region: config.AWS_REGION,
      maxAttempts: 2,
    }),
  }));
  return connectionsApi;
}

/** A connection API Gateway says is gone (410): the client left without a clean close. */
const isGone = (error: unknown) => (error as { name?: string })?.name === 'GoneException';

/**
 * Sends one frame (JSON) to one connection. A connection that is gone has its row deleted,
 * that one and no other (AWS's sample chat deletes the sender's on a 410, which is wrong).
 */
export async function send(connectionId: string, frame: unknown): Promise<'sent' | 'gone'> {
  try {
    const { api, client } = await management();
    await client.send(
      new api.PostToConnectionCommand({
        ConnectionId: connectionId,
        Data: new TextEncoder().encode(JSON.stringify(frame)),
      }),
    );
    return 'sent';
  } catch (error) {
    if (!isGone(error)) throw error;
    await db().delete(wsConnections).where(eq(wsConnections.connectionId, connectionId));
    return 'gone';
  }
}

/**
 * Sends a frame to every connection at once. A stale one is forgotten and the rest still get
 * it; any other failure is logged and counted, never thrown: the message is already stored.
 */
export async function fanOut(connectionIds: readonly string[], frame: unknown) {
  const results = await Promise.allSettled(connectionIds.map((id) => send(id, frame)));
  const counts = { sent: 0, gone: 0, failed: 0 };
  for (const r of results) {
    if (r.status === 'rejected') {
      counts.failed++;
      logger.warn('could not post to a connection', { reason: String(r.reason) });
    } else counts[r.value]++;
  }
  return counts;
}

export interface Participant {
  role: Role;
  id: string;
}

/** The open connections of these principals, with whose they are. */
export async function connectionsOf(participants: readonly Participant[]) {
  if (participants.length === 0) return [];
  return db()
    .select({
      connectionId: wsConnections.connectionId,
      role: wsConnections.role,
      principalId: wsConnections.principalId,
    })
    .from(wsConnections)
    .where(
      and(
        or(
          ...participants.map((p) =>
            and(eq(wsConnections.role, p.role), eq(wsConnections.principalId, p.id)),
          ),
        ),
        gt(wsConnections.expiresAt, sql`now()`),
      ),
    );
}

/** Closes the connections of a sign-in (logout): API Gateway then runs `$disconnect`. */
export async function closeSession(sessionId: string): Promise<number> {
  const open = await db()
    .select({ id: wsConnections.connectionId })
    .from(wsConnections)
    .where(eq(wsConnections.sessionId, sessionId));
  if (open.length === 0) return 0;
  const { api, client } = await management();
  await Promise.allSettled(
    open.map(({ id }) => client.send(new api.DeleteConnectionCommand({ ConnectionId: id }))),
  );
  await db()
    .delete(wsConnections)
    .where(
      inArray(
        wsConnections.connectionId,
        open.map((o) => o.id),
      ),
    );
  return open.length;
}
