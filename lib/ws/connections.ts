import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { and, eq, gt, inArray, or, sql } from 'drizzle-orm';
import type { Role } from '#lib/auth/roles';
import { db, schema } from '#lib/db/index';
import { config } from '#lib/platform/config';
import { logger } from '#lib/platform/log';

const { wsConnections } = schema;

let client: ApiGatewayManagementApiClient | undefined;

/** The stage's `@connections` API (WS_CALLBACK_URL), created on first use. */
function management(): ApiGatewayManagementApiClient {
  if (!config.WS_CALLBACK_URL)
    throw new Error('WS_CALLBACK_URL is not set: cannot reach connections');
  client ??= new ApiGatewayManagementApiClient({
    endpoint: config.WS_CALLBACK_URL,
    region: config.AWS_REGION,
    maxAttempts: 2,
  });
  return client;
}

/** A connection API Gateway says is gone (410): the client left without a clean close. */
const isGone = (error: unknown) => (error as { name?: string })?.name === 'GoneException';

/**
 * Sends one frame (JSON) to one connection. A connection that is gone has its row deleted,
 * that one and no other (AWS's sample chat deletes the sender's on a 410, which is wrong).
 */
export async function send(connectionId: string, frame: unknown): Promise<'sent' | 'gone'> {
  try {
    await management().send(
      new PostToConnectionCommand({
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
  await Promise.allSettled(
    open.map(({ id }) => management().send(new DeleteConnectionCommand({ ConnectionId: id }))),
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
