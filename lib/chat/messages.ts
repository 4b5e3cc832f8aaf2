import { type SQL, sql } from 'drizzle-orm';
import type * as z from 'zod/mini';
import type { Role } from '#lib/auth/roles';
import type { message as messageSchema } from '#lib/chat/contracts';
import { db } from '#lib/db/index';
import { ago } from '#lib/db/interval';
import { badRequest } from '#lib/http/errors';
import { enqueue } from '#lib/jobs/enqueue';
import { logger } from '#lib/platform/log';
import { reportError } from '#lib/platform/sentry';

/**
 * Messages of the chat, for the HTTP routes (functions/conversations) and the WebSocket ones
 * (functions/ws): one code path stores, reads and pages them, whoever calls.
 *
 * Who takes part in a conversation: its guest (`user`), its host, and the admins who have
 * written in it. An admin may read and write in any conversation about a booking (support),
 * and joins it by writing there; conversations without a booking are the two sides' own.
 */

/** A message as the routes and the frames carry it. */
export type MessageView = z.output<typeof messageSchema>;

export interface Participant {
  role: Role;
  id: string;
}

export interface Caller {
  id: string;
  role: Role;
}

/** A role's own columns of a conversation. Fixed names only: never built from input. */
const own = {
  user: { lastRead: sql.raw('user_last_read_at'), unread: sql.raw('user_unread') },
  host: { lastRead: sql.raw('host_last_read_at'), unread: sql.raw('host_unread') },
  admin: { lastRead: sql.raw('admin_last_read_at'), unread: sql.raw('admin_unread') },
} as const;

/** The conversations (row `c`) the caller takes part in, or (support) may join. */
export function participantWhere(caller: Caller): SQL {
  switch (caller.role) {
    case 'user':
      return sql`c.user_id = ${caller.id}`;
    case 'host':
      return sql`c.host_id = ${caller.id}`;
    case 'admin':
      return sql`c.booking_id is not null`;
  }
}

/** The ids of the admins who wrote in conversation row `c` (a partial index of migration 0020). */
const joinedAdmins = sql`(select coalesce(json_agg(distinct a.sender_id), '[]'::json)
  from messages a where a.conversation_id = c.id and a.sender_role = 'admin')`;

type ParticipantColumns = {
  user_id: string;
  host_id: string;
  admins: string[];
};

function participantsFrom(row: ParticipantColumns, also?: Caller): Participant[] {
  const admins = new Set(row.admins);
  if (also?.role === 'admin') admins.add(also.id);
  return [
    { role: 'user', id: row.user_id },
    { role: 'host', id: row.host_id },
    ...[...admins].map((id): Participant => ({ role: 'admin', id })),
  ];
}

/** A message row (alias `m`) as JSON, instants in the JSON form `new Date` reads. */
const messageJson = (m: string) => {
  const x = sql.raw(m);
  return sql`json_build_object('id', ${x}.id, 'conversationId', ${x}.conversation_id,
    'senderRole', ${x}.sender_role, 'senderId', ${x}.sender_id, 'body', ${x}.body,
    'clientId', ${x}.client_id, 'createdAt', ${x}.created_at)`;
};

type MessageJson = Omit<MessageView, 'createdAt'> & { createdAt: string };

const toMessageView = (m: MessageJson): MessageView => ({
  ...m,
  createdAt: new Date(m.createdAt).toISOString(),
});

type StoreRow = ParticipantColumns & {
  stored: MessageJson | null;
  prior: MessageJson | null;
};

export interface StoreInput {
  /** A uuid-valued SQL expression: the conversation (`sql\`${id}::uuid\``, or a subquery). */
  conversation: SQL;
  principal: Caller;
  body: string;
  clientId?: string | undefined;
}

/**
 * The one statement that stores a message: it inserts the message (nothing when the sender
 * used this client id in this conversation before), and copies it onto the conversation as
 * its last message with one more unread for each other role, in the same statement. When the
 * client id was seen, it returns the message stored then. No row: not the caller's.
 */
export function storeStatement(input: StoreInput) {
  const { principal: p } = input;
  const clientId = input.clientId ?? null;
  return db().execute<StoreRow>(sql`
    with c as (
      select c.id, c.user_id, c.host_id from conversations c
      where c.id = ${input.conversation} and ${participantWhere(p)}
    ), ins as (
      insert into messages (conversation_id, sender_role, sender_id, body, client_id)
      select c.id, ${p.role}::principal_role, ${p.id}::uuid, ${input.body.trim()}::text, ${clientId}::text
      from c
      on conflict (conversation_id, sender_id, client_id) where client_id is not null do nothing
      returning id, conversation_id, sender_role, sender_id, body, client_id, created_at
    ), bumped as (
      update conversations t set
        -- Two senders racing: the later message stays the last one, whichever commits first.
        last_message_at = greatest(t.last_message_at, ins.created_at),
        last_message_body = case when t.last_message_at > ins.created_at then t.last_message_body else ins.body end,
        last_message_role = case when t.last_message_at > ins.created_at then t.last_message_role else ins.sender_role end,
        user_unread = t.user_unread + (ins.sender_role <> 'user')::int,
        host_unread = t.host_unread + (ins.sender_role <> 'host')::int,
        admin_unread = t.admin_unread + (ins.sender_role <> 'admin')::int
      from ins where t.id = ins.conversation_id
      returning t.id
    ), prior as (
      select m.* from messages m join c on m.conversation_id = c.id
      where ${clientId}::text is not null and m.sender_id = ${p.id}::uuid and m.client_id = ${clientId}::text
    )
    select c.user_id, c.host_id, ${joinedAdmins} as admins,
      (select ${messageJson('ins')} from ins, bumped) as stored,
      (select ${messageJson('prior')} from prior) as prior
    from c`);
}

export interface Stored {
  message: MessageView;
  /** False when the client id was seen: `message` is the one stored then, nothing changed. */
  created: boolean;
  participants: Participant[];
}

/** What the store statement answered, as `storeMessage` returns it. */
export async function storedFrom(rows: StoreRow[], input: StoreInput): Promise<Stored | undefined> {
  const [row] = rows;
  if (!row) return undefined;
  const participants = participantsFrom(row, input.principal);
  if (row.stored) return { message: toMessageView(row.stored), created: true, participants };
  const prior = row.prior ?? (input.clientId ? await priorMessage(input) : null);
  if (!prior) throw new Error('a message was neither stored nor found by its client id');
  return { message: toMessageView(prior), created: false, participants };
}

/**
 * The message a retry's client id names, read again: when the first request was still in
 * flight, its insert committed after the store statement's snapshot, which did not see it.
 */
async function priorMessage(input: StoreInput): Promise<MessageJson | null> {
  const { rows } = await db().execute<{ prior: MessageJson }>(sql`
    select ${messageJson('m')} as prior from messages m
    where m.conversation_id = ${input.conversation} and m.sender_id = ${input.principal.id}::uuid
      and m.client_id = ${input.clientId ?? null}::text`);
  return rows[0]?.prior ?? null;
}

/**
 * Stores a message from a participant (HTTP `POST /conversations/{id}/messages` and the
 * WebSocket `sendMessage`). Undefined when the caller does not take part in the conversation
 * (or it does not exist). A retry with the same client id returns the first message,
 * `created: false`, and changes nothing.
 */
export async function storeMessage(input: {
  conversationId: string;
  principal: Caller;
  body: string;
  clientId?: string | undefined;
}): Promise<Stored | undefined> {
  const statement: StoreInput = {
    conversation: sql`${input.conversationId}::uuid`,
    principal: input.principal,
    body: input.body,
    clientId: input.clientId,
  };
  const { rows } = await storeStatement(statement);
  return storedFrom(rows, statement);
}

/**
 * Marks a conversation read for the caller's role, up to now and at least its last message,
 * and resets that role's unread count, in one statement. Undefined when not the caller's.
 */
export async function markRead(input: {
  conversationId: string;
  principal: Caller;
}): Promise<
  { conversationId: string; role: Role; lastReadAt: Date; participants: Participant[] } | undefined
> {
  const { lastRead, unread } = own[input.principal.role];
  const { rows } = await db().execute<ParticipantColumns & { last_read_at: string }>(sql`
    update conversations c set
      ${lastRead} = greatest(now(), c.last_message_at, c.${lastRead}),
      ${unread} = 0
    where c.id = ${input.conversationId}::uuid and ${participantWhere(input.principal)}
    returning c.user_id, c.host_id, ${joinedAdmins} as admins, to_json(c.${lastRead}) as last_read_at`);
  const [row] = rows;
  if (!row) return undefined;
  return {
    conversationId: input.conversationId,
    role: input.principal.role,
    lastReadAt: new Date(row.last_read_at),
    participants: participantsFrom(row),
  };
}

/** Who takes part in the conversation, if the caller may see it (the typing route). */
export async function participantsOf(
  conversationId: string,
  principal: Caller,
): Promise<Participant[] | undefined> {
  const { rows } = await db().execute<ParticipantColumns>(sql`
    select c.user_id, c.host_id, ${joinedAdmins} as admins from conversations c
    where c.id = ${conversationId}::uuid and ${participantWhere(principal)}`);
  const [row] = rows;
  return row && participantsFrom(row);
}

/** Where the previous page of a thread ended: keyset on (created_at, id), newest first. */
interface MessageCursor {
  createdAt: string;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const encodeMessageCursor = (c: MessageCursor) =>
  Buffer.from(`${c.createdAt}|${c.id}`).toString('base64url');

export function decodeMessageCursor(text: string): MessageCursor {
  const [at, id, ...rest] = Buffer.from(text, 'base64url').toString('utf8').split('|');
  if (
    rest.length > 0 ||
    !at ||
    !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(at) ||
    Number.isNaN(Date.parse(at)) ||
    !id ||
    !UUID.test(id)
  ) {
    throw badRequest('invalid_cursor', 'The cursor is not one this API gave out.', [
      { path: 'query.before', message: 'pass back nextCursor exactly as received' },
    ]);
  }
  return { createdAt: at, id };
}

/**
 * A page of a thread, newest first, in one statement: the conversation (so that a
 * conversation not the caller's is told from a page past the end) and at most `limit`
 * messages before the cursor, read from the (conversation_id, created_at desc) index.
 */
export function messagePageStatement(
  conversationId: string,
  principal: Caller,
  page: { limit: number; before?: MessageCursor | undefined },
): SQL {
  const before = page.before
    ? sql`and (m.created_at, m.id) < (${page.before.createdAt}::timestamptz, ${page.before.id}::uuid)`
    : sql``;
  return sql`
    select c.id, m.message from conversations c
    left join lateral (
      select ${messageJson('m')} as message, m.created_at, m.id from messages m
      where m.conversation_id = c.id ${before}
      order by m.created_at desc, m.id desc
      limit ${page.limit}
    ) m on true
    where c.id = ${conversationId}::uuid and ${participantWhere(principal)}
    order by m.created_at desc, m.id desc`;
}

/** A page of messages and the cursor of the next one; undefined when not the caller's. */
export async function messagePage(
  conversationId: string,
  principal: Caller,
  page: { limit: number; before?: MessageCursor | undefined },
): Promise<{ messages: MessageView[]; nextCursor: string | null } | undefined> {
  // One more than asked: whether there is a next page.
  const { rows } = await db().execute<{ id: string; message: MessageJson | null }>(
    messagePageStatement(conversationId, principal, { ...page, limit: page.limit + 1 }),
  );
  if (rows.length === 0) return undefined;
  const all = rows.flatMap((r) => (r.message ? [toMessageView(r.message)] : []));
  const messages = all.slice(0, page.limit);
  const last = messages.at(-1);
  return {
    messages,
    nextCursor:
      all.length > page.limit && last
        ? encodeMessageCursor({ createdAt: last.createdAt, id: last.id })
        : null,
  };
}

/** At most one push per conversation and person in this many seconds. */
export const PUSH_EVERY_SECONDS = 300;

const pushedAt = { user: sql.raw('user_pushed_at'), host: sql.raw('host_pushed_at') } as const;
const ownerOf = { user: sql.raw('user_id'), host: sql.raw('host_id') } as const;
const senderTable = {
  user: sql.raw('users'),
  host: sql.raw('hosts'),
  admin: sql.raw('admins'),
} as const;

/** Cut to `max` UTF-16 units, an ellipsis included, never inside a character. */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = '';
  for (const ch of text) {
    if (out.length + ch.length > max - 1) break;
    out += ch;
  }
  return `${out}…`;
}

/**
 * Pushes a message, through the jobs, to the recipients (guests and hosts; admins have no
 * phone app) with no open connection, at most once per conversation every five minutes each.
 * Each push is claimed in one conditional UPDATE: no live row in ws_connections, and
 * `<role>_pushed_at` empty or older than five minutes, then set, so of two senders racing
 * only one pushes. A failure is logged and reported, never thrown: the message is stored.
 * Returns who was pushed.
 */
export async function notifyOffline(
  conversationId: string,
  message: MessageView,
  recipients: readonly Participant[],
): Promise<Participant[]> {
  const due = recipients.filter(
    (r, i): r is Participant & { role: 'user' | 'host' } =>
      (r.role === 'user' || r.role === 'host') &&
      recipients.findIndex((o) => o.role === r.role && o.id === r.id) === i,
  );
  const [first, ...rest] = due.map((r) =>
    db().execute<{ sender_name: string | null }>(sql`
      update conversations c set ${pushedAt[r.role]} = now()
      where c.id = ${conversationId}::uuid and c.${ownerOf[r.role]} = ${r.id}::uuid
        and (c.${pushedAt[r.role]} is null or c.${pushedAt[r.role]} <= ${ago(PUSH_EVERY_SECONDS)})
        and not exists (
          select 1 from ws_connections w
          where w.role = ${r.role}::principal_role and w.principal_id = ${r.id}::uuid
            and w.expires_at > now()
        )
      returning (select s.name from ${senderTable[message.senderRole]} s where s.id = ${message.senderId}::uuid) as sender_name`),
  );
  if (!first) return [];
  try {
    const claims = await db().batch([first, ...rest]);
    const pushed = due.filter((_, i) => (claims[i]?.rows.length ?? 0) > 0);
    await Promise.all(
      pushed.map((r) => {
        const name = claims[due.indexOf(r)]?.rows[0]?.sender_name?.trim();
        return enqueue(
          'send-push',
          {
            role: r.role,
            principalId: r.id,
            title: name ? clip(name, 100) : 'New message',
            body: clip(message.body, 100),
            data: { conversationId },
          },
          { deduplicationId: `chat-${message.id}-${r.role}` },
        );
      }),
    );
    return pushed;
  } catch (error) {
    logger.error('could not push a chat message', { conversationId, error: error as Error });
    await reportError(error, undefined).catch(() => {});
    return [];
  }
}
