import { createConversation } from '#lib/chat/contracts';
import {
  conversationFrom,
  conversationQuery,
  openedConversation,
  openStatement,
  type Subject,
} from '#lib/chat/conversations';
import { notifyOffline, storedFrom, storeStatement } from '#lib/chat/messages';
import { db } from '#lib/db/index';
import { notFound, validationFailed } from '#lib/http/errors';
import { created, ok } from '#lib/http/reply';
import { route } from '#lib/http/route';

/**
 * Opens the conversation and stores its message in one transaction (one round trip): the
 * thread, then the message as `POST /conversations/{id}/messages` stores it (a retry with
 * the same clientId stores nothing more), then the thread as the list shows it.
 */
export const handler = route(createConversation, async ({ body, principal }) => {
  if (body.listingId && principal.role !== 'user') {
    // Hosts and support write about a booking: a listing names no guest.
    throw validationFailed([
      { path: 'body.bookingId', message: `required: a ${principal.role} writes about a booking` },
    ]);
  }
  const subject: Subject | undefined = body.listingId
    ? { listingId: body.listingId }
    : body.bookingId
      ? { bookingId: body.bookingId }
      : undefined;
  if (!subject) throw notFound('booking');
  const conversation = openedConversation(principal, subject);
  const store = {
    conversation,
    principal,
    body: body.message,
    clientId: body.clientId,
  };
  const [opened, stored, view] = await db().batch([
    openStatement(principal, subject),
    storeStatement(store),
    conversationQuery(principal, conversation),
  ]);
  const [thread] = opened.rows;
  const message = await storedFrom(stored.rows, store);
  const line = conversationFrom(view, principal);
  if (!thread || !message || !line) throw notFound(body.listingId ? 'listing' : 'booking');
  if (message.created) {
    const others = message.participants.filter(
      (p) => !(p.role === principal.role && p.id === principal.id),
    );
    await notifyOffline(thread.id, message.message, others);
  }
  const answer = { conversation: line, message: message.message };
  return thread.created ? created(answer) : ok(answer);
});
