import * as z from 'zod/mini';
import { message } from '#lib/chat/contracts';
import { principalRole } from '#lib/db/schema/principals';
import { instant } from '#lib/http/contract';
import { errorFrame } from '#lib/ws/contract';

/**
 * What the server sends over the chat's WebSocket, each frame JSON with a `type`. The routes
 * that receive frames are in lib/chat/ws-contracts.ts; lib/chat/fanout.ts and lib/ws/route.ts
 * send these, typed by them. No side effects: the AsyncAPI document reads them too.
 */
const role = z.enum(principalRole.enumValues);

export const messageFrame = z
  .strictObject({ type: z.literal('message'), message })
  .check(
    z.describe(
      "A new message, to every open connection of the conversation's participants but the sending one",
    ),
  );

export const ackFrame = z
  .strictObject({
    type: z.literal('ack'),
    clientId: z.string().check(z.describe('As the sender gave it in sendMessage')),
    message,
  })
  .check(
    z.describe(
      'To the connection that sent sendMessage: the message as stored (the first one, for a resent clientId)',
    ),
  );

export const typingFrame = z
  .strictObject({ type: z.literal('typing'), conversationId: z.uuid(), role })
  .check(
    z.describe('To the other participants: someone of this role is typing (at most every 3 s)'),
  );

export const readFrame = z
  .strictObject({ type: z.literal('read'), conversationId: z.uuid(), role, lastReadAt: instant })
  .check(
    z.describe('To the other participants: this role has read the conversation up to lastReadAt'),
  );

/** Every frame the chat's socket may carry to a client, by its `type`. */
export const serverFrames = {
  message: messageFrame,
  ack: ackFrame,
  typing: typingFrame,
  read: readFrame,
  error: errorFrame,
} as const;

/** A frame that goes to the participants' connections (`deliver`). */
export type DeliveredFrame = z.input<typeof messageFrame | typeof typingFrame | typeof readFrame>;
export type AckFrame = z.input<typeof ackFrame>;
