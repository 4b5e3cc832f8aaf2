import type { MessageView } from '#lib/chat/messages';
import type { AckFrame, DeliveredFrame } from '#lib/chat/ws-messages';
import { connectionsOf, fanOut, type Participant, send } from '#lib/ws/connections';

/**
 * Sends a frame to the open connections of `to`, except `skipConnection` (the sender's own,
 * which gets its ack instead). Returns who had no open connection at all, for a push.
 */
export async function deliver(
  to: readonly Participant[],
  frame: DeliveredFrame,
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

export const ack = (connectionId: string, clientId: string, message: MessageView) =>
  send(connectionId, { type: 'ack', clientId, message } satisfies AckFrame);
