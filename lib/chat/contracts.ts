import * as z from 'zod/mini';
import { card } from '#lib/catalogue/contracts';
import { clientId, messageBody } from '#lib/chat/ws-contracts';
import { principalRole } from '#lib/db/schema/principals';
import { contract, instant, signedIn } from '#lib/http/contract';

/**
 * Conversations over HTTP: a guest and a listing's host, one thread per guest, host and
 * listing; support (admins) may read and join any thread about a booking. The WebSocket
 * routes (lib/chat/ws-contracts.ts) store and read through the same code (lib/chat/messages.ts).
 */
const role = z.enum(principalRole.enumValues);
const byId = z.object({ id: z.uuid() });
/** Keyset paging: pass back `nextCursor` as received. */
const cursor = z.optional(z.string().check(z.maxLength(300)));

/** One message, as the HTTP routes and the WebSocket frames carry it. */
export const message = z.strictObject({
  id: z.uuid(),
  conversationId: z.uuid(),
  senderRole: role,
  senderId: z.uuid(),
  body: z.string(),
  /** The sender's own id for it, if they gave one. */
  clientId: z.nullable(z.string()),
  createdAt: instant,
});

/** A line of the conversations list, as the caller's role sees it. */
export const conversation = z.strictObject({
  id: z.uuid(),
  bookingId: z.nullable(z.uuid()),
  /** The host for a guest; the guest for a host and for support. */
  otherParty: z.strictObject({
    role: z.enum(['user', 'host']),
    id: z.uuid(),
    name: z.nullable(z.string()),
    avatarUrl: z.nullable(z.url()),
  }),
  /** The listing it is about; null once that listing is gone. */
  listing: z.nullable(card),
  lastMessage: z.nullable(
    z.strictObject({ body: z.string(), senderRole: role, createdAt: instant }),
  ),
  /** Messages from the other roles since the caller's role last read the thread. */
  unreadCount: z.number().check(z.int(), z.minimum(0)),
  lastReadAt: z.nullable(instant),
  createdAt: instant,
});

const opened = z.strictObject({ conversation, message });

const signedInAnyRole = signedIn('user', 'host', 'admin');

export const createConversation = contract({
  method: 'POST',
  path: '/conversations',
  fn: 'conversations/create-conversation',
  auth: signedInAnyRole,
  description:
    "Writes to a listing's host (a guest, with listingId or bookingId), to a booking's guest (its host), or into a booking's thread as support (an admin): opens the thread, or reuses it",
  body: z
    .strictObject({
      listingId: z.optional(z.uuid()),
      bookingId: z.optional(z.uuid()),
      message: messageBody,
      clientId: z.optional(clientId),
    })
    .check(
      z.refine((b) => (b.listingId === undefined) !== (b.bookingId === undefined), {
        message: 'exactly one of listingId and bookingId',
        path: ['listingId'],
      }),
    ),
  // 201: the thread was opened by this request; 200: it existed (or this is a retry).
  responses: { 201: opened, 200: opened },
});

export const listConversations = contract({
  method: 'GET',
  path: '/conversations',
  fn: 'conversations/list-conversations',
  auth: signedInAnyRole,
  memory: 256,
  description: "The caller's conversations, latest activity first (support: every booking's)",
  query: z.strictObject({
    cursor,
    limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(50)), 20),
  }),
  responses: {
    200: z.strictObject({
      conversations: z.array(conversation),
      nextCursor: z.nullable(z.string()),
    }),
  },
});

export const listMessages = contract({
  method: 'GET',
  path: '/conversations/{id}/messages',
  fn: 'conversations/list-messages',
  auth: signedInAnyRole,
  memory: 256,
  description: "A conversation's messages, newest first; `before` is the last page's nextCursor",
  params: byId,
  query: z.strictObject({
    before: cursor,
    limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 30),
  }),
  responses: {
    200: z.strictObject({ messages: z.array(message), nextCursor: z.nullable(z.string()) }),
  },
});

export const postMessage = contract({
  method: 'POST',
  path: '/conversations/{id}/messages',
  fn: 'conversations/post-message',
  uses: ['ws-connections'],
  auth: signedInAnyRole,
  description:
    'Writes in a conversation; a retry with the same clientId stores nothing more and answers 200 with the first',
  params: byId,
  body: z.strictObject({ body: messageBody, clientId: z.optional(clientId) }),
  responses: {
    201: z.strictObject({ message }),
    200: z.strictObject({ message }),
  },
});

export const readConversation = contract({
  method: 'POST',
  path: '/conversations/{id}/read',
  fn: 'conversations/read-conversation',
  auth: signedInAnyRole,
  memory: 256,
  description: "Marks a conversation read for the caller's role: its unread count goes to 0",
  params: byId,
  responses: {
    200: z.strictObject({ conversationId: z.uuid(), role, lastReadAt: instant }),
  },
});
