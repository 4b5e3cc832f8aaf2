import { connectionsOf, fanOut, type Participant, send } from '#lib/ws/connections';

/**
 * What the chat's server sends over a socket: `{type: "message", message}` to every
 * participant's connections, `{type: "ack", clientId, message}` to the sending connection,
 * `{type: "typing" | "read", ...}` to the others, `{type: "error", code, message}` to the
 * sender only (lib/ws/route.ts).
 */
export type Frame =
  | { type: 'message'; message: unknown }
  | { type: 'ack'; clientId: string; message: unknown }
  | { type: 'typing'; conversationId: string; role: string }
  | { type: 'read'; conversationId: string; role: string; lastReadAt: string };

/**
 * Sends a frame to the open connections of `to`, except `skipConnection` (the sender's own,
 * which gets its ack instead). Returns who had no open connection at all, for a push.
 */
export async function deliver(
  to: readonly Participant[],
  frame: Frame,
  skipConnection?: string,
): Promise<{ offline: Participant[]; sent: number; gone: number }> {
  const open = await connectionsOf(to);
  const ids = open.map((c) => c.connectionId).filter((id) => id !== skipConnection);
  const counts = await fanOut(ids, frame);
  const reached = new Set(open.map((c) => `${c.role}:${c.principalId}`));
  return {
    offline: to.filter((p) => !reached.has(`${p.role}:${p.id}`)),
    sent: counts.sent,
    gone: counts.gone,
  };
}

export const ack = (connectionId: string, clientId: string, message: unknown) =>
  send(connectionId, { type: 'ack', clientId, message });
