/**
 * The chat's reads at 2K conversations and 100K messages: a busy host in half of the
 * conversations and a busy guest in the other half, 50 messages each, a third never read.
 *
 * For the conversations list (the host's first page and a cursor page, the guest's first
 * page, support's first page) it prints the statements a page costs, counted at the local
 * Neon HTTP stand-in as the function runs them, and the shared buffers (hit + read) and
 * execution time from EXPLAIN (ANALYZE, BUFFERS); beside it, the original platform's two
 * queries (DISTINCT ON for each conversation's last message, then JOIN + GROUP BY for the
 * unread counts from each role's last read, from the epoch when never read). Then a thread
 * page: one conversation's newest messages, and the page `before` them.
 *
 * Target: one statement per page whatever the number of conversations, under 1 ms.
 *
 *   npm run bench:chat [-- --conversations 2000 --messages 100000]
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { neon as neonHttp } from '@neondatabase/serverless';
import { PgDialect } from 'drizzle-orm/pg-core';
import pg from 'pg';
import WebSocket from 'ws';
import { startNeonProxy } from '#local/emulators/neon/index';
import { LOCAL_S3_CREDENTIALS } from '#local/emulators/s3/index';
import { synthesize } from '#local/seed/synth';
import { localDatabaseUrl } from '#tools/database-url';
import { ensureDatabase, migrateDatabase } from '#tools/db';

const { values } = parseArgs({
  options: {
    conversations: { type: 'string', default: '2000' },
    messages: { type: 'string', default: '100000' },
  },
});
const CONVERSATIONS = Number(values.conversations);
const MESSAGES = Number(values.messages);
const PAGE = 20;
const THREAD_PAGE = 30;

const base = process.env.BENCH_POSTGRES_URL ?? localDatabaseUrl('postgres');
const url = new URL(base);
url.pathname = '/marketplace_bench_chat';
await ensureDatabase(url.toString());
await migrateDatabase(url.toString());
const started = performance.now();
// Listings, hosts and guests (and their bookings) from the shared synthesizer; the chat below.
await synthesize(url.toString(), { listings: 2000, conversations: 0, messages: 0 });

const client = new pg.Client({ connectionString: url.toString() });
await client.connect();

/**
 * Conversations and messages as the API would have left them: the copies on each
 * conversation (last message, unread counts per role) written from its messages.
 */
async function loadChat() {
  const one = async (q: string) => (await client.query(q)).rows[0].id as string;
  const host = await one('select id from hosts order by id limit 1');
  const guest = await one('select id from users order by id limit 1');
  const half = Math.floor(CONVERSATIONS / 2);
  const perThread = Math.max(1, Math.floor(MESSAGES / CONVERSATIONS));
  await client.query('begin');
  await client.query('truncate messages, conversations, ws_connections');
  // The host: one thread per other guest and listing of theirs.
  await client.query(
    `with u as (select id, row_number() over (order by id) - 1 as n, count(*) over () as total
                from users where id <> $2),
     l as (select id, row_number() over (order by id) - 1 as n from listings where host_id = $1)
     insert into conversations (user_id, host_id, listing_id, created_at)
     select u.id, $1, l.id, now() - interval '120 days'
     from generate_series(0, $3 - 1) k
     join u on u.n = k % u.total
     join l on l.n = k / u.total`,
    [host, guest, half],
  );
  // The guest: one thread per listing of other hosts.
  await client.query(
    `insert into conversations (user_id, host_id, listing_id, created_at)
     select $2, l.host_id, l.id, now() - interval '120 days'
     from (select id, host_id, row_number() over (order by id) - 1 as n
           from listings where host_id <> $1) l
     where l.n < $3`,
    [host, guest, CONVERSATIONS - half],
  );
  // A quarter are about a booking (support sees those).
  await client.query(
    `update conversations c set booking_id = (
       select b.id from bookings b where b.listing_id = c.listing_id order by b.id limit 1)
     where hashint4(hashtext(c.id::text)) % 4 = 0`,
  );
  // Messages an hour apart, guest and host in turn, each thread's last one somewhere in the
  // last 60 days; inserted in time order, as they would have arrived.
  await client.query(
    `with c as (select id, user_id, host_id, row_number() over (order by id) as k from conversations)
     insert into messages (conversation_id, sender_role, sender_id, body, created_at)
     select c.id, case when j % 2 = 0 then 'user' else 'host' end::principal_role,
            case when j % 2 = 0 then c.user_id else c.host_id end,
            'Message ' || j || ': is the flat still available for that weekend?',
            date_trunc('milliseconds', now()
              - make_interval(secs => (hashint4(c.k::int)::bigint & 2147483647) % (60 * 86400))
              - make_interval(hours => ($1 - 1 - j)))
     from c cross join generate_series(0, $1 - 1) j
     order by 5`,
    [perThread],
  );
  // The copies storeMessage keeps, and read marks: a third never read (counted from the
  // epoch), a third read by both up to ten messages from the end, a third read by the guest.
  await client.query(
    `update conversations c set last_message_at = m.created_at, last_message_body = m.body,
       last_message_role = m.sender_role
     from (select distinct on (conversation_id) conversation_id, created_at, body, sender_role
           from messages order by conversation_id, created_at desc) m
     where m.conversation_id = c.id`,
  );
  await client.query(
    `update conversations c set
       user_last_read_at = case when r.k % 3 = 0 then null when r.k % 3 = 1 then c.last_message_at - interval '10 hours' else c.last_message_at end,
       host_last_read_at = case when r.k % 3 = 1 then c.last_message_at - interval '10 hours' end
     from (select id, row_number() over (order by id) as k from conversations) r
     where r.id = c.id`,
  );
  await client.query(
    `update conversations c set
       user_unread = (select count(*) from messages m where m.conversation_id = c.id
                      and m.sender_role <> 'user' and m.created_at > coalesce(c.user_last_read_at, 'epoch')),
       host_unread = (select count(*) from messages m where m.conversation_id = c.id
                      and m.sender_role <> 'host' and m.created_at > coalesce(c.host_last_read_at, 'epoch')),
       admin_unread = (select count(*) from messages m where m.conversation_id = c.id
                       and m.sender_role <> 'admin' and m.created_at > coalesce(c.admin_last_read_at, 'epoch'))`,
  );
  await client.query('commit');
  // The updates above rewrote every conversation: compact it, as a table grown by inserts is.
  await client.query('vacuum full conversations');
  await client.query('vacuum analyze');
  return { host, guest };
}

const { host, guest } = await loadChat();
const counts = (
  await client.query(
    `select (select count(*) from conversations)::int as conversations,
            (select count(*) from messages)::int as messages,
            (select count(*) from conversations where host_id = $1)::int as host,
            (select count(*) from conversations where user_id = $2)::int as guest,
            (select count(*) from conversations where booking_id is not null)::int as support`,
    [host, guest],
  )
).rows[0];
console.log(
  `${counts.conversations} conversations, ${counts.messages} messages (the host in ${counts.host}, the guest in ${counts.guest}, ${counts.support} about a booking) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);

// The functions' own code, through the local Neon HTTP stand-in, which counts statements.
const neon = await startNeonProxy();
Object.assign(process.env, {
  LOG_LEVEL: 'ERROR',
  // Access tokens for the fan-out part, signed here and checked by the functions.
  JWT_SIGNING_KEYS: `bench:${randomBytes(24).toString('hex')}`,
  DATABASE_URL: url.toString(),
  NEON_LOCAL_PROXY_URL: `http://127.0.0.1:${neon.port}`,
});
const { conversationPage, conversationPageQuery, decodeConversationCursor } = await import(
  '#lib/chat/conversations'
);
const { decodeMessageCursor, messagePage, messagePageStatement } = await import(
  '#lib/chat/messages'
);
const dialect = new PgDialect();

interface Rendered {
  sql: string;
  params: unknown[];
}
interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}
const sorts = (plan: string) => plan.split(' > ').some((t) => t.startsWith('Sort'));
const nodeTypes = (n: PlanNode): string[] => [
  n['Index Name'] ? `${n['Node Type']}(${n['Index Name']})` : n['Node Type'],
  ...(n.Plans ?? []).flatMap(nodeTypes),
];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/** Buffers and plan of the warm run; execution time, the median of five. */
async function explain({ sql: text, params }: Rendered) {
  const run = async () =>
    (await client.query(`explain (analyze, buffers, format json) ${text}`, params)).rows[0][
      'QUERY PLAN'
    ][0];
  await run();
  const runs = [];
  for (let i = 0; i < 5; i++) runs.push(await run());
  const plan = runs[0].Plan as PlanNode;
  return {
    buffers: (plan['Shared Hit Blocks'] ?? 0) + (plan['Shared Read Blocks'] ?? 0),
    ms: median(runs.map((r) => r['Execution Time'] as number)),
    plan: nodeTypes(plan).join(' > '),
  };
}

/** Statements the page cost at the stand-in, and its median round trip over 30 runs. */
async function served(page: () => Promise<unknown>) {
  for (let i = 0; i < 5; i++) await page();
  const before = neon.stats.statements;
  await page();
  const statements = neon.stats.statements - before;
  const times: number[] = [];
  for (let i = 0; i < 30; i++) {
    const t0 = performance.now();
    await page();
    times.push(performance.now() - t0);
  }
  return { statements, roundTripMs: median(times) };
}

/**
 * The original platform's list, two queries: each conversation's last message by DISTINCT ON
 * over all of the caller's messages (sorted for the page afterwards), then the page's unread
 * counts by JOIN + GROUP BY from the caller's last read (the epoch when never read). The
 * second is kinder than the original, which counted every conversation: only the page's.
 */
function originalQueries(
  side: 'user' | 'host',
  ownerId: string,
  page: { limit: number; after?: { at: string; id: string } },
): { last: Rendered; unread: (ids: string[]) => Rendered } {
  const owner = side === 'user' ? 'c.user_id' : 'c.host_id';
  const other = side === 'user' ? 'hosts o on o.id = c.host_id' : 'users o on o.id = c.user_id';
  const lastRead = side === 'user' ? 'c.user_last_read_at' : 'c.host_last_read_at';
  const after = page.after ? 'where (last.created_at, last.id) < ($2::timestamptz, $3::uuid)' : '';
  return {
    last: {
      sql: `select last.*, o.name, o.avatar_key, l.title, l.city, l.price_per_night, l.currency,
               l.max_guests, l.published_at, l.photo_keys, l.host_name, l.review_count, l.rating_sum
            from (
              select distinct on (c.id) c.id, c.listing_id, c.user_id, c.host_id,
                     m.body, m.sender_role, m.created_at
              from conversations c join messages m on m.conversation_id = c.id
              where ${owner} = $1
              order by c.id, m.created_at desc
            ) last
            join ${other.replace('c.', 'last.')}
            left join listings l on l.id = last.listing_id
            ${after}
            order by last.created_at desc, last.id desc
            limit ${page.limit + 1}`,
      params: page.after ? [ownerId, page.after.at, page.after.id] : [ownerId],
    },
    unread: (ids) => ({
      sql: `select c.id, count(m.id)::int as unread
            from conversations c
            left join messages m on m.conversation_id = c.id and m.sender_role <> '${side}'
              and m.created_at > coalesce(${lastRead}, 'epoch'::timestamptz)
            where ${owner} = $1 and c.id = any($2::uuid[])
            group by c.id`,
      params: [ownerId, ids],
    }),
  };
}

const rows: string[][] = [];
const show = (
  what: string,
  version: string,
  r: { statements: number; buffers: string | number; ms: string; roundTripMs: number },
  plan: string,
) =>
  rows.push([
    what,
    version,
    String(r.statements),
    String(r.buffers),
    r.ms,
    r.roundTripMs.toFixed(2),
    plan,
  ]);
let missed = 0;

type Caller = { id: string; role: 'user' | 'host' | 'admin' };
const hostCaller: Caller = { id: host, role: 'host' };
const guestCaller: Caller = { id: guest, role: 'user' };
const supportCaller: Caller = { id: '00000000-0000-4000-8000-000000000001', role: 'admin' };

async function listCase(what: string, caller: Caller, cursorText?: string) {
  const cursor = cursorText ? decodeConversationCursor(cursorText) : undefined;
  const page = await conversationPage(caller, { limit: PAGE, cursor });
  const s = await served(() => conversationPage(caller, { limit: PAGE, cursor }));
  const e = await explain(conversationPageQuery(caller, { limit: PAGE, cursor }).toSQL());
  const met = s.statements === 1 && e.ms < 1 && !sorts(e.plan);
  if (!met) missed++;
  show(what, `copies${met ? '' : ' MISSED'}`, { ...s, ...e, ms: e.ms.toFixed(3) }, e.plan);

  if (caller.role !== 'admin') {
    const after = cursor ? { at: cursor.at, id: cursor.id } : undefined;
    const q = originalQueries(caller.role, caller.id, { limit: PAGE, ...(after ? { after } : {}) });
    const ids = page.conversations.map((c) => c.id);
    const last = await explain(q.last);
    const unread = await explain(q.unread(ids));
    const twoQueries = async () => {
      const first = await neonQuery(q.last);
      await neonQuery(q.unread(first.map((r) => r.id as string).slice(0, PAGE)));
    };
    const s2 = await served(twoQueries);
    show(
      what,
      'original',
      {
        ...s2,
        buffers: `${last.buffers + unread.buffers} (${last.buffers} + ${unread.buffers})`,
        ms: `${(last.ms + unread.ms).toFixed(3)} (${last.ms.toFixed(3)} + ${unread.ms.toFixed(3)})`,
      },
      `${last.plan}  ||  ${unread.plan}`,
    );
  }
  return page.nextCursor;
}

/**
 * A rendered query through Neon's HTTP driver, as the functions send theirs (lib/db pointed
 * the driver at the stand-in on the first page above).
 */
const neonClient = neonHttp(url.toString());
const neonQuery = async (q: Rendered) =>
  (await neonClient.query(q.sql, q.params)) as Record<string, unknown>[];

const second = await listCase('host, first page', hostCaller);
if (second) await listCase('host, cursor page (2nd)', hostCaller, second);
// Halfway down the host's list: where a deep cursor page starts.
const deep = (
  await client.query(
    `select last_message_at::text as at, id from conversations where host_id = $1
     order by last_message_at desc, id desc offset $2 limit 1`,
    [host, Math.floor(counts.host / 2) - 1],
  )
).rows[0];
if (deep) {
  const text = Buffer.from(`${deep.at}|${deep.id}`).toString('base64url');
  await listCase('host, cursor page (halfway)', hostCaller, text);
}
await listCase('guest, first page', guestCaller);
await listCase('support, first page', supportCaller);

// A thread: the host's busiest conversation, its newest page and the page before it.
const thread = (
  await client.query(
    `select c.id from conversations c where c.host_id = $1
     order by (select count(*) from messages m where m.conversation_id = c.id) desc, c.id limit 1`,
    [host],
  )
).rows[0].id as string;
const newest = await messagePage(thread, hostCaller, { limit: THREAD_PAGE });
for (const [what, before] of [
  ['thread, newest page', undefined],
  ['thread, before page', newest?.nextCursor ?? undefined],
] as const) {
  const cursor = before ? decodeMessageCursor(before) : undefined;
  const s = await served(() =>
    messagePage(thread, hostCaller, { limit: THREAD_PAGE, before: cursor }),
  );
  const e = await explain(
    dialect.sqlToQuery(
      messagePageStatement(thread, hostCaller, { limit: THREAD_PAGE + 1, before: cursor }),
    ),
  );
  const met = s.statements === 1 && e.ms < 1;
  if (!met) missed++;
  show(what, `copies${met ? '' : ' MISSED'}`, { ...s, ...e, ms: e.ms.toFixed(3) }, e.plan);
}

/**
 * FAN-OUT LATENCY — for the lead (WebSocket side) to fill in: p50/p99 from a `sendMessage`
 * frame to its receipt on the receivers' sockets for 1, 10 and 100 receivers through the
 * local WebSocket gateway (local/runtime/ws-gateway.ts), and what one stale connection
 * (410 Gone) among them costs. Returns table rows: [case, p50 ms, p99 ms, note].
 */
/** Milliseconds at the quantile `q` of sorted samples. */
const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;

/**
 * Fan-out through the local WebSocket gateway and the real functions: a guest sends over a
 * socket and the host has 1, 10 or 100 connections open; each sample is one connection's
 * receipt, from send. Then the same with one stale connection row (a phone that vanished:
 * the gateway answers its post with 410) added before every message.
 */
async function fanOutLatency(): Promise<string[][]> {
  const { startWsGateway } = await import('#local/runtime/ws-gateway');
  const { signAccessToken } = await import('#lib/auth/tokens');
  const ws = await startWsGateway({ port: 0 });
  // Read by the functions at their cold start, in the gateway's bundles; the management
  // client signs its calls, with any credentials (the gateway checks only that it signed).
  Object.assign(process.env, {
    WS_CALLBACK_URL: ws.callbackUrl,
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: LOCAL_S3_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_S3_CREDENTIALS.secretAccessKey,
  });
  const { rows } = await client.query(
    `select id, user_id, host_id from conversations
     where host_id = (select id from hosts order by id limit 1) limit 1`,
  );
  const thread = rows[0] as { id: string; user_id: string; host_id: string };
  const token = (role: 'user' | 'host', sub: string) =>
    signAccessToken({ sub, role, sid: randomUUID() });
  const open = async (accessToken: string) => {
    const socket = new WebSocket(`${ws.url}?token=${encodeURIComponent(accessToken)}`);
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    return socket;
  };
  const MESSAGES_EACH = 30;
  const out: string[][] = [];
  const sender = await open(await token('user', thread.user_id));
  const hostToken = await token('host', thread.host_id);
  for (const n of [1, 10, 100]) {
    const receivers = await Promise.all(Array.from({ length: n }, () => open(hostToken)));
    for (const stale of [false, true]) {
      const samples: number[] = [];
      // The first messages of a run warm the functions (cold starts) and are not counted.
      const WARM_UP = 3;
      for (let i = -WARM_UP; i < MESSAGES_EACH; i++) {
        if (stale) {
          await client.query(
            `insert into ws_connections (connection_id, role, principal_id, expires_at)
             values ($1, 'host', $2, now() + interval '1 hour')`,
            [`stale${randomBytes(5).toString('hex')}=`, thread.host_id],
          );
        }
        const clientId = randomUUID();
        const sent = performance.now();
        const received = receivers.map(
          (r) =>
            new Promise<void>((resolve) => {
              const onFrame = (data: WebSocket.RawData) => {
                const frame = JSON.parse(data.toString());
                if (frame.type === 'message' && frame.message.clientId === clientId) {
                  if (i >= 0) samples.push(performance.now() - sent);
                  r.off('message', onFrame);
                  resolve();
                }
              };
              r.on('message', onFrame);
            }),
        );
        sender.send(
          JSON.stringify({
            action: 'sendMessage',
            conversationId: thread.id,
            body: `bench ${i}`,
            clientId,
          }),
        );
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          Promise.all(received),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`message ${i} not received in 5 s`)), 5000);
          }),
        ]);
        clearTimeout(timer);
      }
      samples.sort((a, b) => a - b);
      out.push([
        `${n} receiving connection${n > 1 ? 's' : ''}${stale ? ' + 1 stale (410)' : ''}`,
        quantile(samples, 0.5).toFixed(1),
        quantile(samples, 0.99).toFixed(1),
        `${samples.length} receipts of ${MESSAGES_EACH} messages`,
      ]);
    }
    for (const r of receivers) r.close();
  }
  sender.close();
  await ws.close();
  return out;
}

console.log(
  `\n${['page', 'version', 'statements', 'shared buffers', 'exec ms', 'round trip ms', 'plan'].join('\t')}`,
);
for (const row of rows) console.log(row.join('\t'));
console.log(`\n${['fan-out', 'p50 ms', 'p99 ms', 'note'].join('\t')}`);
for (const row of await fanOutLatency()) console.log(row.join('\t'));
console.log(
  `\nround trip: the page through the local Neon HTTP stand-in (median of 30), on this machine's Postgres`,
);
console.log(
  missed === 0
    ? `\nall targets met (copies: 1 statement a page, under 1 ms, no Sort for the list)`
    : `\n${missed} targets missed`,
);

await client.end();
await neon.close();
