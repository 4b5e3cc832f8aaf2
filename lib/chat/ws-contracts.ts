import * as z from 'zod/mini';
import { wsContract } from '#lib/ws/contract';

/**
 * The chat's WebSocket routes. A frame is JSON with an `action`; what the server sends back
 * is `{type: "message" | "ack" | "typing" | "read" | "error", ...}` (lib/chat/ws-messages.ts).
 */
const conversationId = z.uuid();
/** A message: 1 to 4000 characters after trimming, as the database checks. */
export const messageBody = z.string().check(z.trim(), z.minLength(1), z.maxLength(4000));
/** The sender's own id for a message, so a resend stores one. */
export const clientId = z.string().check(z.minLength(1), z.maxLength(100));

export const connect = wsContract({
  routeKey: '$connect',
  fn: 'ws/connect',
  auth: 'token',
  memory: 256,
  description: 'Opens a chat connection for the holder of a valid access token (?token=)',
});

export const disconnect = wsContract({
  routeKey: '$disconnect',
  fn: 'ws/disconnect',
  auth: 'connection',
  memory: 256,
  description: 'Forgets a closed connection',
});

export const fallback = wsContract({
  routeKey: '$default',
  fn: 'ws/default',
  auth: 'connection',
  memory: 256,
  uses: ['ws-connections'],
  description: 'A frame with no known action: answered with unknown_action',
});

export const sendMessage = wsContract({
  routeKey: 'sendMessage',
  fn: 'ws/send-message',
  auth: 'connection',
  uses: ['ws-connections'],
  description:
    'Stores a message, then sends it to every open connection of every participant; acks the sender',
  body: z.strictObject({
    action: z.literal('sendMessage'),
    conversationId,
    body: messageBody,
    clientId,
  }),
});

export const typing = wsContract({
  routeKey: 'typing',
  fn: 'ws/typing',
  auth: 'connection',
  memory: 256,
  uses: ['ws-connections'],
  description: "Tells the conversation's other participants that the caller is typing (throttled)",
  body: z.strictObject({ action: z.literal('typing'), conversationId }),
});

export const markRead = wsContract({
  routeKey: 'markRead',
  fn: 'ws/mark-read',
  auth: 'connection',
  memory: 256,
  uses: ['ws-connections'],
  description: "Marks the conversation read for the caller's role, and tells the others",
  body: z.strictObject({ action: z.literal('markRead'), conversationId }),
});
