import { listMessages } from '#lib/chat/contracts';
import { decodeMessageCursor, messagePage } from '#lib/chat/messages';
import { notFound } from '#lib/http/errors';
import { ok } from '#lib/http/reply';
import { route } from '#lib/http/route';

export const handler = route(listMessages, async ({ params, query, principal }) => {
  const before = query.before ? decodeMessageCursor(query.before) : undefined;
  const page = await messagePage(params.id, principal, { limit: query.limit, before });
  if (!page) throw notFound('conversation');
  return ok(page);
});
