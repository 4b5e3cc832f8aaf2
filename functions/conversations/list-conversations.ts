import { listConversations } from '#lib/chat/contracts';
import { conversationPage, decodeConversationCursor } from '#lib/chat/conversations';
import { ok } from '#lib/http/reply';
import { route } from '#lib/http/route';

export const handler = route(listConversations, async ({ query, principal }) => {
  const cursor = query.cursor ? decodeConversationCursor(query.cursor) : undefined;
  return ok(await conversationPage(principal, { limit: query.limit, cursor }));
});
