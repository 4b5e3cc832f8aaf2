import { desc, sql } from 'drizzle-orm';
import { check, index, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
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
    userLastReadAt: timestamp('user_last_read_at', { withTimezone: true }),
    hostLastReadAt: timestamp('host_last_read_at', { withTimezone: true }),
    adminLastReadAt: timestamp('admin_last_read_at', { withTimezone: true }),
    lastMessageAt: timestamp('last_message_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // One thread per guest, host and listing (or none).
    unique('conversations_participants').on(t.userId, t.hostId, t.listingId).nullsNotDistinct(),
    index('conversations_user_idx').on(t.userId, desc(t.lastMessageAt)),
    index('conversations_host_idx').on(t.hostId, desc(t.lastMessageAt)),
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
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('messages_body', sql`char_length(${t.body}) between 1 and 4000`),
    index('messages_conversation_idx').on(t.conversationId, desc(t.createdAt)),
  ],
);

/** Live WebSocket connections of the chat API; expired ones are cleaned up hourly. */
export const wsConnections = pgTable(
  'ws_connections',
  {
    connectionId: text('connection_id').primaryKey(),
    role: principalRole('role').notNull(),
    principalId: uuid('principal_id').notNull(),
    connectedAt: timestamp('connected_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('ws_connections_principal_idx').on(t.role, t.principalId),
    index('ws_connections_expires_at_idx').on(t.expiresAt),
  ],
);
