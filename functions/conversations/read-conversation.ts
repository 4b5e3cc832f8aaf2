import { readConversation } from '#lib/chat/contracts';
import { markRead } from '#lib/chat/messages';
import { notFound } from '#lib/http/errors';
import { ok } from '#lib/http/reply';
import { route } from '#lib/http/route';

export const handler = route(readConversation, async ({ params, principal }) => {
  const read = await markRead({ conversationId: params.id, principal });
  if (!read) throw notFound('conversation');
  return ok({ conversationId: read.conversationId, role: read.role, lastReadAt: read.lastReadAt });
});
