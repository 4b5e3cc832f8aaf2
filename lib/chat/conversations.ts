import { and, desc, eq, isNotNull, type SQL, sql } from 'drizzle-orm';
import type * as z from 'zod/mini';
import { cardColumns, toCard } from '#lib/catalogue/feed';
import type { conversation } from '#lib/chat/contracts';
import type { Caller } from '#lib/chat/messages';
import { db, schema } from '#lib/db/index';
import { badRequest } from '#lib/http/errors';
import { publicUrl } from '#lib/platform/storage/urls';

const { conversations, hosts, listings, users } = schema;

export type ConversationView = z.output<typeof conversation>;

/**
 * How each role sees the list: whose conversations, who the other party is, and its own
 * unread count and read mark, all copied onto the row as messages are stored and read.
 */
const sides = {
  user: {
    owner: (id: string) => eq(conversations.userId, id),
    other: { role: 'host', table: hosts, on: conversations.hostId },
    unread: conversations.userUnread,
    lastReadAt: conversations.userLastReadAt,
  },
  host: {
    owner: (id: string) => eq(conversations.hostId, id),
    other: { role: 'user', table: users, on: conversations.userId },
    unread: conversations.hostUnread,
    lastReadAt: conversations.hostLastReadAt,
  },
  // Support sees every conversation about a booking, with its guest as the other party.
  admin: {
    owner: (_id: string) => isNotNull(conversations.bookingId),
    other: { role: 'user', table: users, on: conversations.userId },
    unread: conversations.adminUnread,
    lastReadAt: conversations.adminLastReadAt,
  },
} as const;

/**
 * Conversations with everything a line of the list shows, in one statement: the row itself
 * (last message and unread counts are copies on it), the other party by primary key, and the
 * listing's card columns by primary key.
 */
function conversationsQuery(caller: Caller, where: SQL | undefined, limit: number) {
  const side = sides[caller.role];
  const other = side.other.table;
  return db()
    .select({
      id: conversations.id,
      bookingId: conversations.bookingId,
      createdAt: conversations.createdAt,
      lastMessageAt: conversations.lastMessageAt,
      /** Exact to the microsecond, for the cursor (a Date keeps milliseconds). */
      lastMessageAtText: sql<string | null>`${conversations.lastMessageAt}::text`,
      lastMessageBody: conversations.lastMessageBody,
      lastMessageRole: conversations.lastMessageRole,
      unread: side.unread,
      lastReadAt: side.lastReadAt,
      other: { id: other.id, name: other.name, avatarKey: other.avatarKey },
      listing: cardColumns,
    })
    .from(conversations)
    .innerJoin(other, eq(other.id, side.other.on))
    .leftJoin(listings, eq(listings.id, conversations.listingId))
    .where(and(side.owner(caller.id), where))
    .orderBy(desc(conversations.lastMessageAt), desc(conversations.id))
    .limit(limit);
}

type Row = Awaited<ReturnType<typeof conversationsQuery>>[number];

function toConversation(row: Row, caller: Caller): ConversationView {
  const iso = (d: Date | string) => new Date(d).toISOString();
  return {
    id: row.id,
    bookingId: row.bookingId,
    otherParty: {
      role: sides[caller.role].other.role,
      id: row.other.id,
      name: row.other.name,
      avatarUrl: row.other.avatarKey ? publicUrl(row.other.avatarKey) : null,
    },
    listing: row.listing ? toCard(row.listing) : null,
    lastMessage:
      row.lastMessageAt && row.lastMessageBody !== null && row.lastMessageRole
        ? {
            body: row.lastMessageBody,
            senderRole: row.lastMessageRole,
            createdAt: iso(row.lastMessageAt),
          }
        : null,
    unreadCount: row.unread,
    lastReadAt: row.lastReadAt ? iso(row.lastReadAt) : null,
    createdAt: iso(row.createdAt),
  };
}

/** Where the previous page ended: keyset on (last_message_at, id), latest activity first. */
export interface ConversationCursor {
  /** last_message_at as Postgres writes it, to the microsecond. */
  at: string;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PG_INSTANT = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,6})?[+-]\d\d(:\d\d){0,2}$/;

const encodeCursor = (c: ConversationCursor) =>
  Buffer.from(`${c.at}|${c.id}`).toString('base64url');

export function decodeConversationCursor(text: string): ConversationCursor {
  const [at, id, ...rest] = Buffer.from(text, 'base64url').toString('utf8').split('|');
  if (rest.length > 0 || !at || !PG_INSTANT.test(at) || !id || !UUID.test(id)) {
    throw badRequest('invalid_cursor', 'The cursor is not one this API gave out.', [
      { path: 'query.cursor', message: 'pass back nextCursor exactly as received' },
    ]);
  }
  return { at, id };
}

/**
 * A page of the caller's conversations, latest activity first: one indexed read of
 * conversations ((user_id | host_id, last_message_at desc), or support's partial index),
 * joined to the other party and the listing. `limit + 1` rows say whether there is more.
 */
export function conversationPageQuery(
  caller: Caller,
  page: { limit: number; cursor?: ConversationCursor | undefined },
) {
  return conversationsQuery(
    caller,
    and(
      isNotNull(conversations.lastMessageAt),
      page.cursor
        ? sql`(${conversations.lastMessageAt}, ${conversations.id}) < (${page.cursor.at}::timestamptz, ${page.cursor.id}::uuid)`
        : undefined,
    ),
    page.limit + 1,
  );
}

export async function conversationPage(
  caller: Caller,
  page: { limit: number; cursor?: ConversationCursor | undefined },
): Promise<{ conversations: ConversationView[]; nextCursor: string | null }> {
  const rows = await conversationPageQuery(caller, page);
  const shown = rows.slice(0, page.limit);
  const last = shown.at(-1);
  return {
    conversations: shown.map((r) => toConversation(r, caller)),
    nextCursor:
      rows.length > page.limit && last?.lastMessageAtText
        ? encodeCursor({ at: last.lastMessageAtText, id: last.id })
        : null,
  };
}

/** One conversation as the caller's list shows it; `id` is a uuid-valued SQL expression. */
export const conversationQuery = (caller: Caller, id: SQL) =>
  conversationsQuery(caller, eq(conversations.id, id), 1);

export const conversationFrom = (rows: Row[], caller: Caller) => {
  const [row] = rows;
  return row && toConversation(row, caller);
};

/** What a conversation is opened about: a listing (guests) or a booking (any role). */
export type Subject = { listingId: string } | { bookingId: string };

/**
 * The guest, host, listing and booking of the conversation a caller opens: a guest about a
 * published listing or one of their bookings, a host about a booking of theirs, support about
 * any booking. No row when the caller may not.
 */
function subjectOf(caller: Caller, subject: Subject): SQL {
  if ('listingId' in subject) {
    return sql`select ${caller.id}::uuid as user_id, l.host_id, l.id as listing_id, null::uuid as booking_id
      from listings l where l.id = ${subject.listingId}::uuid and l.status = 'published'`;
  }
  const whose =
    caller.role === 'user'
      ? sql`b.guest_id = ${caller.id}::uuid`
      : caller.role === 'host'
        ? sql`b.host_id = ${caller.id}::uuid`
        : sql`true`;
  return sql`select b.guest_id as user_id, b.host_id, b.listing_id, b.id as booking_id
    from bookings b where b.id = ${subject.bookingId}::uuid and ${whose}`;
}

/**
 * Opens the one conversation of a guest, host and listing, or finds it (then, opened about a
 * booking, it is about that booking from now on). Returns its id and whether it was new.
 */
export function openStatement(caller: Caller, subject: Subject) {
  return db().execute<{ id: string; created: boolean }>(sql`
    insert into conversations (user_id, host_id, listing_id, booking_id)
    select s.user_id, s.host_id, s.listing_id, s.booking_id from (${subjectOf(caller, subject)}) s
    on conflict on constraint conversations_participants do update
      set booking_id = coalesce(excluded.booking_id, conversations.booking_id)
    returning id, (xmax = 0) as created`);
}

/**
 * The id of that conversation as a SQL expression, for later statements of the same
 * transaction (`db().batch`), which see what `openStatement` wrote.
 */
export function openedConversation(caller: Caller, subject: Subject): SQL {
  return sql`(select k.id from conversations k join (${subjectOf(caller, subject)}) s
    on k.user_id = s.user_id and k.host_id = s.host_id and k.listing_id = s.listing_id)`;
}
