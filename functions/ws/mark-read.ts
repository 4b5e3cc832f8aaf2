import { deliver } from '#lib/chat/fanout';
import { markRead as markConversationRead } from '#lib/chat/messages';
import { markRead } from '#lib/chat/ws-contracts';
import { WsError, wsRoute } from '#lib/ws/route';

/** As `POST /conversations/{id}/read`, and the others see it. */
export const handler = wsRoute(markRead, async ({ body, caller }) => {
  const read = await markConversationRead({
    conversationId: body.conversationId,
    principal: caller,
  });
  if (!read) throw new WsError('not_found', 'The conversation does not exist.');
  const others = read.participants.filter((p) => !(p.role === caller.role && p.id === caller.id));
  await deliver(others, {
    type: 'read',
    conversationId: body.conversationId,
    role: caller.role,
    lastReadAt: new Date(read.lastReadAt).toISOString(),
  });
});
