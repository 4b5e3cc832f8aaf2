import { postMessage } from '#lib/chat/contracts';
import { deliver } from '#lib/chat/fanout';
import { notifyOffline, storeMessage } from '#lib/chat/messages';
import { notFound } from '#lib/http/errors';
import { created, ok } from '#lib/http/reply';
import { route } from '#lib/http/route';

/**
 * Stores the message (once per clientId), sends it to every open connection of the
 * participants, and pushes whoever has none open.
 */
export const handler = route(postMessage, async ({ params, body, principal }) => {
  const stored = await storeMessage({
    conversationId: params.id,
    principal,
    body: body.body,
    clientId: body.clientId,
  });
  if (!stored) throw notFound('conversation');
  if (!stored.created) return ok({ message: stored.message });
  // Live to every open connection, the sender's own devices too, as a socket message is.
  const { offline } = await deliver(stored.participants, {
    type: 'message',
    message: stored.message,
  });
  const others = offline.filter((p) => !(p.role === principal.role && p.id === principal.id));
  await notifyOffline(params.id, stored.message, others);
  return created({ message: stored.message });
});
