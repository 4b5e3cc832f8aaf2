import { ack, deliver } from '#lib/chat/fanout';
import { notifyOffline, storeMessage } from '#lib/chat/messages';
import { sendMessage } from '#lib/chat/ws-contracts';
import { WsError, wsRoute } from '#lib/ws/route';

/**
 * Stored first, through the same code as `POST /conversations/{id}/messages`; then to every
 * open connection of every participant (the sender's other devices too), an ack to the
 * sending connection, and a push to whoever has no connection open.
 */
export const handler = wsRoute(sendMessage, async ({ body, caller, connectionId }) => {
  const stored = await storeMessage({
    conversationId: body.conversationId,
    principal: caller,
    body: body.body,
    clientId: body.clientId,
  });
  if (!stored) throw new WsError('not_found', 'The conversation does not exist.');
  const { offline } = await deliver(
    stored.participants,
    { type: 'message', message: stored.message },
    connectionId,
  );
  await ack(connectionId, body.clientId, stored.message);
  if (stored.created) {
    const others = offline.filter((p) => !(p.role === caller.role && p.id === caller.id));
    await notifyOffline(body.conversationId, stored.message, others);
  }
});
