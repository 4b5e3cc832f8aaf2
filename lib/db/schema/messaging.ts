import { desc, sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { bookings } from '#lib/db/schema/bookings';
import { listings } from '#lib/db/schema/listings';
import { hosts, principalRole, users } from '#lib/db/schema/principals';

export const conversations = pgTable(
  'conversations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    hostId: uuid('host_id')
      .notNull()
      .references(() => hosts.id, { onDelete: 'cascade' }),
    listingId: uuid('listing_id').references(() => listings.id, { onDelete: 'set null' }),
    /** The booking it is about, when opened from one (an admin may join it as support). */
    bookingId: uuid('booking_id').references(() => bookings.id, { onDelete: 'set null' }),
    userLastReadAt: timestamp('user_last_read_at', { withTimezone: true }),
    hostLastReadAt: timestamp('host_last_read_at', { withTimezone: true }),
    adminLastReadAt: timestamp('admin_last_read_at', { withTimezone: true }),
    lastMessageAt: timestamp('last_message_at', { withTimezone: true }),
    // Copies of the latest message and per-role unread counts, kept as messages are stored
    // and read, so a page of the list is one read of conversations.
    lastMessageBody: text('last_message_body'),
    lastMessageRole: principalRole('last_message_role'),
    userUnread: integer('user_unread').notNull().default(0),
    hostUnread: integer('host_unread').notNull().default(0),
    adminUnread: integer('admin_unread').notNull().default(0),
    /** When each side was last pushed about this thread: at most one push every few minutes. */
    userPushedAt: timestamp('user_pushed_at', { withTimezone: true }),
    hostPushedAt: timestamp('host_pushed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // One thread per guest, host and listing (or none).
    unique('conversations_participants').on(t.userId, t.hostId, t.listingId).nullsNotDistinct(),
    index('conversations_user_idx').on(t.userId, desc(t.lastMessageAt)),
    index('conversations_host_idx').on(t.hostId, desc(t.lastMessageAt)),
    // Support's list: the conversations about a booking, newest activity first.
    index('conversations_support_idx')
      .on(desc(t.lastMessageAt))
      .where(sql`${t.bookingId} is not null`),
  ],
);

/** Insert-only: a trigger added in a migration refuses updates. */
export const messages = pgTable(
  'messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    senderRole: principalRole('sender_role').notNull(),
    senderId: uuid('sender_id').notNull(),
    body: text('body').notNull(),
    /** The sender's own id for the message: a retry with the same one stores nothing more. */
    clientId: text('client_id'),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    check('messages_body', sql`char_length(${t.body}) between 1 and 4000`),
    index('messages_conversation_idx').on(t.conversationId, desc(t.createdAt)),
    // The admins who joined a thread (wrote in it), read with every message stored.
    index('messages_admin_senders_idx')
      .on(t.conversationId, t.senderId)
      .where(sql`${t.senderRole} = 'admin'`),
    uniqueIndex('messages_client_idx')
      .on(t.conversationId, t.senderId, t.clientId)
      .where(sql`${t.clientId} is not null`),
  ],
);

/** Live WebSocket connections of the chat API; expired ones are cleaned up hourly. */
export const wsConnections = pgTable(
  'ws_connections',
  {
    connectionId: text('connection_id').primaryKey(),
    role: principalRole('role').notNull(),
    principalId: uuid('principal_id').notNull(),
    /** The sign-in (the access token's `sid`): signing out closes its connections. */
    sessionId: text('session_id').notNull().default(''),
    connectedAt: timestamp('connected_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('ws_connections_principal_idx').on(t.role, t.principalId),
    index('ws_connections_expires_at_idx').on(t.expiresAt),
    index('ws_connections_session_idx').on(t.sessionId),
  ],
);
