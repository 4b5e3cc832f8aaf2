/**
 * Load on the whole local stack, with nothing lost (issue 18): the gateways invoking the real
 * functions in-process, the Neon, Upstash, QStash and Paystack stand-ins, real Postgres and
 * Redis, all on loopback. Production configuration, so every rate limit applies to loopback
 * too; SMS, push and email go to a local recorder standing in for Termii, Expo and SES, where
 * the bench reads sign-in codes and counts notifications.
 *
 *   1. the public feed on cache hits (one query repeated) and misses (every query new)
 *   2. 200 sign-ins, one phone and one source address each, and the OTP limits holding
 *   3. 500 concurrent bookings over 50 listings for overlapping nights, then retried
 *   4. chat: 200 open sockets, each message fanned out to about 100 of them
 *   5. duplicate QStash deliveries and Paystack webhooks, each effect exactly once
 *
 * Prints one table (throughput, p50/p99, answers by class, PASS/FAIL and why) and exits 1
 * on any FAIL: a 5xx, a lost or doubled effect, a limit that did not hold. The load comes
 * from this process too, so figures are for one Node process doing both sides.
 *
 *   npm run bench:load [-- --feed 3000 --duplicates 50]
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Agent, createServer, type IncomingHttpHeaders, request } from 'node:http';
import { createRequire } from 'node:module';
import { type AddressInfo, createServer as createTcpServer } from 'node:net';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import pg from 'pg';
import WebSocket from 'ws';
import { startNeonProxy } from '#local/emulators/neon/index';
import { startPaystack } from '#local/emulators/paystack/index';
import { startQStash } from '#local/emulators/qstash/index';
import { LOCAL_S3_CREDENTIALS } from '#local/emulators/s3/index';
import { startUpstashRedis } from '#local/emulators/upstash-redis/index';
import { synthesize } from '#local/seed/synth';
import { localDatabaseUrl } from '#tools/database-url';
import { ensureDatabase, migrateDatabase } from '#tools/db';

const { values } = parseArgs({
  options: {
    feed: { type: 'string', default: '3000' },
    duplicates: { type: 'string', default: '50' },
  },
});
const FEED_REQUESTS = Number(values.feed);
const DUPLICATES = Number(values.duplicates);
const GUESTS = 200;
const BOOKING_LISTINGS = 50;
const BOOKING_ATTEMPTS = 500;
const CHAT_GUESTS = 100;
const HOST_SOCKETS = 100;
const REDIS_DB = 11;
const NAMESPACE = 'bench-load';
/** A run that hangs is a failure too: past this, it stops and says so. */
const DEADLINE_MS = 8 * 60_000;

const deadline = setTimeout(() => {
  console.error(`\nFAIL: the run did not finish in ${DEADLINE_MS / 60_000} minutes`);
  process.exit(2);
}, DEADLINE_MS);
deadline.unref();

// autocannon ships no types; the part used here.
interface CannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
}
interface CannonResult {
  duration: number;
  errors: number;
  latency: { p50: number; p99: number };
  statusCodeStats: Record<string, { count: number }>;
}
type Autocannon = (opts: {
  url: string;
  connections: number;
  amount: number;
  timeout: number;
  requests: Array<{
    setupRequest?: (req: CannonRequest) => CannonRequest;
    onResponse?: (
      status: number,
      body: string,
      context: unknown,
      headers: Record<string, string>,
    ) => void;
  }>;
}) => Promise<CannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

// Figures and the table

const percentile = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

interface Row {
  scenario: string;
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  statuses: Map<number, number>;
  errors: number;
  /** Why it failed; none: it passed. */
  problems: string[];
  /** What held, said with the PASS. */
  held: string;
  /** False for a row that is not HTTP requests (the chat's frames): no answers by status. */
  http?: false;
}

/** Answers and latencies of one scenario's requests, as they come back. */
class Tally {
  readonly statuses = new Map<number, number>();
  readonly ms: number[] = [];
  readonly errorSamples: string[] = [];
  errors = 0;
  private readonly started = performance.now();
  private ended = 0;

  async run(pending: Promise<Answer>): Promise<Answer | undefined> {
    try {
      const answer = await pending;
      this.statuses.set(answer.status, (this.statuses.get(answer.status) ?? 0) + 1);
      this.ms.push(answer.ms);
      return answer;
    } catch (error) {
      this.errors++;
      if (this.errorSamples.length < 3) this.errorSamples.push(String(error));
      return undefined;
    }
  }

  row(scenario: string, problems: string[], held: string): Row {
    this.ended ||= performance.now();
    const requests = this.ms.length + this.errors;
    return {
      scenario,
      requests,
      perSecond: requests / ((this.ended - this.started) / 1000),
      p50: percentile(this.ms, 50),
      p99: percentile(this.ms, 99),
      statuses: this.statuses,
      errors: this.errors,
      problems: [...problems, ...this.errorSamples.map((e) => `request error: ${e}`)],
      held,
    };
  }

  /** Ends the clock here: what follows (checks in the database) is not load. */
  stop(): this {
    this.ended = performance.now();
    return this;
  }
}

const rows: Row[] = [];

/** Keeps a scenario's row for the table, and says it is done (a run takes minutes). */
function report(row: Row) {
  rows.push(row);
  const problems = row.problems.length > 0 ? `: ${row.problems.join('; ')}` : '';
  console.error(`done: ${row.scenario}${problems}`);
}

function printTable() {
  const head = [
    'scenario',
    'req',
    'req/s',
    'p50 ms',
    'p99 ms',
    '2xx',
    '4xx',
    '5xx',
    'err',
    'result',
  ];
  const lines = rows.map((r) => {
    const by = (lo: number) =>
      [...r.statuses].filter(([s]) => s >= lo && s < lo + 100).reduce((n, [, c]) => n + c, 0);
    const fours = [...r.statuses]
      .filter(([s]) => s >= 400 && s < 500)
      .sort(([a], [b]) => a - b)
      .map(([s, c]) => `${s}×${c}`)
      .join(' ');
    const fives = by(500);
    const problems = [
      ...(fives > 0 ? [`${fives} answers 5xx`] : []),
      ...(r.errors > 0 ? [`${r.errors} requests failed`] : []),
      ...r.problems,
    ];
    return [
      r.scenario,
      String(r.requests),
      r.perSecond.toFixed(0),
      r.p50.toFixed(1),
      r.p99.toFixed(1),
      r.http === false ? '-' : String(by(200)),
      r.http === false ? '-' : fours || '0',
      r.http === false ? '-' : String(fives),
      String(r.errors),
      problems.length === 0 ? `PASS  ${r.held}` : `FAIL  ${problems.join('; ')}`,
    ];
  });
  const widths = head.map((h, i) =>
    i === head.length - 1 ? 0 : Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)),
  );
  const format = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 || i >= 9 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  console.log(`\n${format(head)}`);
  for (const l of lines) console.log(format(l));
  return lines.filter((l) => l[9]?.startsWith('FAIL')).length;
}

// The outside world: Termii, Expo and SES as the functions reach them, and where the Paystack
// stand-in sends its own webhooks (the bench replays those). Everything is recorded, accepted.

interface Sent {
  path: string;
  body: unknown;
}

async function startOutsideWorld() {
  const sent: Sent[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    let body: unknown = null;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {}
    sent.push({ path, body });
    const reply =
      path === '/api/sms/send'
        ? { message_id: randomUUID(), message: 'Successfully Sent' }
        : path.startsWith('/v2/email')
          ? { MessageId: randomUUID() }
          : path === '/push'
            ? { data: (Array.isArray(body) ? body : []).map(() => ({ status: 'ok' })) }
            : {};
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(reply));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    sent,
    /** The texts of the SMS sent to this E.164 phone, in order. */
    smsTo: (phone: string) =>
      sent
        .filter(
          (s) => s.path === '/api/sms/send' && (s.body as { to?: string }).to === phone.slice(1),
        )
        .map((s) => String((s.body as { sms?: string }).sms)),
    /** The texts of every SMS that contains `part`. */
    smsWith: (part: string) =>
      sent
        .filter((s) => s.path === '/api/sms/send')
        .map((s) => String((s.body as { sms?: string }).sms))
        .filter((text) => text.includes(part)),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

async function freePort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** Polls `read` until it returns something (or `ms` passes: undefined). */
async function until<T>(read: () => T | undefined, ms = 10_000): Promise<T | undefined> {
  const end = Date.now() + ms;
  for (;;) {
    const value = read();
    if (value !== undefined || Date.now() > end) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
}

// The stack

const databaseUrl = localDatabaseUrl('marketplace_bench_load');
await ensureDatabase(databaseUrl);
await migrateDatabase(databaseUrl);
await synthesize(databaseUrl, { listings: 2000, conversations: 0, messages: 0 });
const sql = new pg.Client({ connectionString: databaseUrl });
await sql.connect();
// What synthesize leaves: counters and claims of earlier runs would refuse this one's requests.
await sql.query('truncate rate_limits, idempotency_keys, processed_jobs, ws_connections');

const redis = new Redis({ db: REDIS_DB });
for (let cursor = '0'; ; ) {
  const [next, keys] = await redis.scan(cursor, 'MATCH', `${NAMESPACE}:*`, 'COUNT', 1000);
  if (keys.length > 0) await redis.del(...keys);
  cursor = next;
  if (cursor === '0') break;
}

const keys = {
  token: randomBytes(16).toString('hex'),
  current: randomBytes(16).toString('hex'),
  next: randomBytes(16).toString('hex'),
  paystack: `sk_test_${randomBytes(20).toString('hex')}`,
};
const world = await startOutsideWorld();
const neon = await startNeonProxy();
const upstash = await startUpstashRedis({ token: keys.token, db: REDIS_DB });
/** Publishes QStash dropped as duplicates of earlier ones: a second effect's notifications. */
const dedupedPublishes: string[] = [];
const qstash = await startQStash({
  token: keys.token,
  currentSigningKey: keys.current,
  nextSigningKey: keys.next,
  retryBackoffMs: () => 200,
  log: (line) => {
    if (line.includes('deduplicated publish')) dedupedPublishes.push(line);
  },
});
const port = await freePort();
const api = `http://127.0.0.1:${port}`;
const paystack = await startPaystack({
  secretKey: keys.paystack,
  webhookUrl: `${world.url}/paystack-webhooks`,
  retryDelaysMs: [],
});

Object.assign(process.env, {
  APP_ENV: 'production',
  LOG_LEVEL: 'ERROR',
  LOG_OPTIONAL_SERVICES: 'false',
  DATABASE_URL: databaseUrl,
  NEON_LOCAL_PROXY_URL: `http://127.0.0.1:${neon.port}`,
  UPSTASH_REDIS_REST_URL: upstash.url,
  UPSTASH_REDIS_REST_TOKEN: keys.token,
  CACHE_NAMESPACE: NAMESPACE,
  JWT_SIGNING_KEYS: `bench:${randomBytes(24).toString('hex')}`,
  OTP_SECRET: randomBytes(24).toString('hex'),
  PUBLIC_API_URL: api,
  QSTASH_URL: qstash.url,
  QSTASH_TOKEN: keys.token,
  QSTASH_CURRENT_SIGNING_KEY: keys.current,
  QSTASH_NEXT_SIGNING_KEY: keys.next,
  PAYSTACK_BASE_URL: paystack.url,
  PAYSTACK_SECRET_KEY: keys.paystack,
  PAYSTACK_CALLBACK_URL: 'https://app.example.com/bookings/paid',
  SMS_PROVIDER: 'termii',
  TERMII_URL: world.url,
  TERMII_API_KEY: 'bench',
  TERMII_SENDER_ID: 'Marketplace',
  EMAIL_PROVIDER: 'ses',
  EMAIL_FROM: 'bench@example.com',
  SES_ENDPOINT: world.url,
  PUSH_PROVIDER: 'expo',
  EXPO_PUSH_URL: `${world.url}/push`,
  // The SES and @connections clients sign their calls; the stand-ins only check that they did.
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: LOCAL_S3_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: LOCAL_S3_CREDENTIALS.secretAccessKey,
});
// Before any function loads: they read WS_CALLBACK_URL at cold start.
const { startWsGateway } = await import('#local/runtime/ws-gateway');
/** What the gateways said about failures: functions that threw, answers of 5xx. */
const failures: string[] = [];
const ws = await startWsGateway({
  log: (line) => {
    if (/ 5\d\d \d+ms |error/.test(line)) failures.push(line);
  },
});
process.env.WS_CALLBACK_URL = ws.callbackUrl;
const { startGateway } = await import('#local/runtime/gateway');
const gateway = await startGateway({
  port,
  log: (line) => {
    if (/ 5\d\d \d+ms |^function error/.test(line)) failures.push(line);
  },
  onViolation: (violation) => failures.push(`breaks its contract: ${violation}`),
});
const { holdingStatuses } = await import('#lib/bookings/contracts');
const { lagosToday } = await import('#lib/bookings/dates');

// A client: JSON over HTTP, from any loopback address (the gateway's source IP is the peer's).

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  // biome-ignore lint/suspicious/noExplicitAny: whatever JSON the API answered.
  body: any;
  ms: number;
}

const agent = new Agent({ keepAlive: true, maxSockets: 512 });

function call(
  method: string,
  path: string,
  options: {
    body?: unknown;
    token?: string;
    headers?: Record<string, string>;
    /** The source address: 127.x.y.z is this machine too, and another client to the gateway. */
    from?: string;
  } = {},
): Promise<Answer> {
  const payload =
    options.body === undefined
      ? undefined
      : typeof options.body === 'string'
        ? options.body
        : JSON.stringify(options.body);
  const headers: Record<string, string> = {
    ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
    ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    ...options.headers,
  };
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      `${api}${path}`,
      { method, headers, agent, ...(options.from ? { localAddress: options.from } : {}) },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          if (text && res.headers['content-type']?.includes('json')) body = JSON.parse(text);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            ms: performance.now() - started,
          });
        });
        res.on('error', reject);
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** A source address of its own for client `i` of a group: 127.0.<group>.<i>. */
const address = (group: number, i: number) => `127.0.${group}.${i}`;

const phoneOf = (i: number) => `+23481${String(100_000_000 + i).slice(1)}`;

interface Session {
  accessToken: string;
  principal: { id: string; role: 'user' | 'host' };
  phone: string;
}

/** Signs in as the app does: a code by SMS (read at the recorder), traded for tokens. */
async function signIn(
  tally: Tally,
  phone: string,
  role: 'user' | 'host',
  from: string,
): Promise<Session | string> {
  const before = world.smsTo(phone).length;
  const asked = await tally.run(call('POST', '/auth/otp/request', { body: { phone, role }, from }));
  if (asked?.status !== 202) return `code request answered ${asked?.status ?? 'nothing'}`;
  const text = await until(() => world.smsTo(phone)[before]);
  const code = text && /\b(\d{6})\b/.exec(text)?.[1];
  if (!code) return 'no code arrived by SMS within 10 s';
  const verified = await tally.run(
    call('POST', '/auth/otp/verify', { body: { phone, role, code }, from }),
  );
  if (verified?.status !== 200) return `verify answered ${verified?.status ?? 'nothing'}`;
  return { ...(verified.body as Omit<Session, 'phone'>), phone };
}

const listOf = (reasons: Map<string, number>) =>
  [...reasons].map(([why, n]) => `${n}× ${why}`).join(', ');

// 1. The public feed

async function feed(
  scenario: string,
  pathOf: (i: number) => string,
  expected: 'hit' | 'miss',
): Promise<Row> {
  const seen = new Map<string, number>();
  let i = 0;
  const statementsBefore = neon.stats.statements;
  const result = await autocannon({
    url: api,
    connections: 10,
    amount: FEED_REQUESTS,
    timeout: 10,
    requests: [
      {
        setupRequest: (req) => ({ ...req, path: pathOf(i++) }),
        onResponse: (_status, _body, _context, headers) => {
          const cache = String(headers['x-cache'] ?? 'none');
          seen.set(cache, (seen.get(cache) ?? 0) + 1);
        },
      },
    ],
  });
  const statuses = new Map(
    Object.entries(result.statusCodeStats).map(([s, v]) => [Number(s), Number(v.count)]),
  );
  const answered = [...statuses.values()].reduce((a, b) => a + b, 0);
  const perRequest = (neon.stats.statements - statementsBefore) / Math.max(1, answered);
  const problems: string[] = [];
  // `off`: the cache call missed its deadline (CACHE_TIMEOUT_MS) and the database answered, as
  // it should when Redis is slow; here it is the event loop, busy with both sides of the load.
  const others = [...seen].filter(([c]) => c !== expected && c !== 'off');
  if (others.length > 0) problems.push(`X-Cache not ${expected}: ${listOf(new Map(others))}`);
  const off = seen.get('off') ?? 0;
  if ((statuses.get(200) ?? 0) !== answered) problems.push('answers other than 200');
  if (expected === 'hit' && perRequest > 0.01)
    problems.push(`${perRequest.toFixed(2)} SQL statements a request on hits`);
  if (expected === 'miss' && perRequest < 1)
    problems.push(`${perRequest.toFixed(2)} SQL statements a request on misses`);
  return {
    scenario,
    requests: answered + result.errors,
    perSecond: (answered + result.errors) / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    statuses,
    errors: result.errors,
    problems,
    held: `X-Cache ${expected} ×${seen.get(expected) ?? 0}${off ? `, off ×${off} (cache deadline)` : ''}; ${perRequest.toFixed(2)} SQL statements a request`,
  };
}

const feedPath = '/listings/public?limit=20';
await call('GET', feedPath); // cold start and the first miss, not measured
report(await feed('feed: cache hits', () => feedPath, 'hit'));
// Every query its own key: a price floor below every listing's price, so the same page.
report(await feed('feed: cache misses', (i) => `${feedPath}&minPrice=${1000 + i}`, 'miss'));

// 2. Sign-ins and the OTP limits (functions/auth: per phone and address 1 a minute and 5 an
// hour, per phone 10 an hour, per address 20 code requests and 60 verifies an hour).

const signIns = new Tally();
const signedIn = await Promise.all(
  Array.from({ length: GUESTS }, (_, i) =>
    signIn(signIns, phoneOf(i + 1), 'user', address(1, i + 1)),
  ),
);
const guests = signedIn.filter((s): s is Session => typeof s !== 'string');
if (guests.length === 0) {
  printTable();
  throw new Error(`no guest could sign in: ${signedIn.slice(0, 3).join('; ')}`);
}
{
  const refused = new Map<string, number>();
  for (const s of signedIn) if (typeof s === 'string') refused.set(s, (refused.get(s) ?? 0) + 1);
  report(
    signIns
      .stop()
      .row(
        `sign-in: ${GUESTS} phones, ${GUESTS} addresses`,
        guests.length === GUESTS
          ? []
          : [`${GUESTS - guests.length} not signed in: ${listOf(refused)}`],
        `${guests.length} signed in (code request + verify each)`,
      ),
  );
}

/** Requests whose answers are as `expected` (status → how many), or the difference. */
async function limitHolds(
  scenario: string,
  sends: Array<() => Promise<Answer>>,
  expected: Map<number, number>,
  held: string,
) {
  const t = new Tally();
  await Promise.all(sends.map((send) => t.run(send())));
  t.stop();
  const got = [...t.statuses].sort(([a], [b]) => a - b);
  const same = got.length === expected.size && got.every(([s, n]) => expected.get(s) === n);
  const want = [...expected].map(([s, n]) => `${s}×${n}`).join(' ');
  report(t.row(scenario, same ? [] : [`expected ${want}`], held));
}

await limitHolds(
  'OTP limit: same phone again <1 min',
  guests.map(
    (g, i) => () =>
      call('POST', '/auth/otp/request', {
        body: { phone: g.phone, role: 'user' },
        from: address(1, i + 1),
      }),
  ),
  new Map([[429, guests.length]]),
  'every second request for a phone within the minute refused',
);
await limitHolds(
  'OTP limit: 25 phones, one address',
  Array.from(
    { length: 25 },
    (_, i) => () =>
      call('POST', '/auth/otp/request', {
        body: { phone: phoneOf(1000 + i), role: 'user' },
        from: address(2, 1),
      }),
  ),
  new Map([
    [202, 20],
    [429, 5],
  ]),
  '20 an hour per address, counted exactly under concurrency',
);
await limitHolds(
  'OTP limit: 1 phone, 12 addresses',
  Array.from(
    { length: 12 },
    (_, i) => () =>
      call('POST', '/auth/otp/request', {
        body: { phone: phoneOf(2000), role: 'user' },
        from: address(4, i + 1),
      }),
  ),
  new Map([
    [202, 10],
    [429, 2],
  ]),
  '10 an hour per phone, whatever the addresses',
);

// 3. Bookings: overlapping stays over 50 listings, all at once; the database decides.

const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
// Past every stay and block synthesize puts on the calendar (its last is under 300 days out).
const firstNight = addDays(lagosToday(), 320);
const bookable = (
  await sql.query<{ id: string; title: string; instant_book: boolean }>(
    `select id, title, instant_book from listings
     where status = 'published' and min_nights <= 2 and max_nights >= 4
     order by id limit $1`,
    [BOOKING_LISTINGS],
  )
).rows;
// Half of them book instantly (paid: confirmed), half by request (paid: the host answers), as
// their hosts set them.
const instantIds = bookable.filter((_, i) => i % 2 === 0).map((l) => l.id);
await sql.query('update listings set instant_book = true where id = any($1)', [instantIds]);
for (const l of bookable) l.instant_book = instantIds.includes(l.id);

interface Attempt {
  guest: Session;
  key: string;
  body: { listingId: string; checkIn: string; checkOut: string; guests: number; email: string };
}
const attempts: Attempt[] = Array.from({ length: BOOKING_ATTEMPTS }, (_, i) => {
  const listing = bookable[i % bookable.length] as (typeof bookable)[number];
  const k = Math.floor(i / bookable.length);
  const guest = guests[i % guests.length] as Session;
  // Ten stays a listing, on five check-in days a night apart, of two or three nights: most
  // overlap some others, a few fit beside each other.
  const checkIn = addDays(firstNight, k % 5);
  return {
    guest,
    key: randomUUID(),
    body: {
      listingId: listing.id,
      checkIn,
      checkOut: addDays(checkIn, 2 + (k % 2)),
      guests: 1,
      email: `guest-${guest.principal.id.slice(0, 8)}@example.com`,
    },
  };
});
const book = (a: Attempt) =>
  call('POST', '/bookings', {
    token: a.guest.accessToken,
    body: a.body,
    headers: { 'Idempotency-Key': a.key },
  });

const bookingTally = new Tally();
const booked = await Promise.all(attempts.map((a) => bookingTally.run(book(a))));
bookingTally.stop();
const won = new Map<string, Attempt>();
const answeredIds = new Map<number, string>();
/** Where each winner's guest pays: the checkout page of its Paystack transaction. */
const checkoutOf = new Map<string, string>();
{
  const problems: string[] = [];
  const odd = new Map<string, number>();
  booked.forEach((answer, i) => {
    if (answer?.status === 201) {
      won.set(answer.body.id as string, attempts[i] as Attempt);
      answeredIds.set(i, answer.body.id as string);
      checkoutOf.set(answer.body.id as string, answer.body.payment?.authorizationUrl as string);
    } else if (
      answer &&
      !(answer.status === 409 && answer.body?.error?.code === 'dates_unavailable')
    ) {
      const why = `${answer.status} ${answer.body?.error?.code ?? ''}`;
      odd.set(why, (odd.get(why) ?? 0) + 1);
    }
  });
  if (odd.size > 0)
    problems.push(`answers other than 201 or 409 dates_unavailable: ${listOf(odd)}`);
  const listingIds = bookable.map((l) => l.id);
  const guestIds = guests.map((g) => g.principal.id);
  const overlaps = (
    await sql.query<{ n: number }>(
      `select count(*)::int as n from bookings a join bookings b
         on b.listing_id = a.listing_id and a.id < b.id
       where a.listing_id = any($1) and a.status = any($2::booking_status[])
         and b.status = any($2::booking_status[])
         and daterange(a.check_in, a.check_out) && daterange(b.check_in, b.check_out)`,
      [listingIds, holdingStatuses],
    )
  ).rows[0]?.n;
  if (overlaps !== 0) problems.push(`${overlaps} pairs of active bookings overlap`);
  const stored = new Set(
    (
      await sql.query<{ id: string }>(
        'select id from bookings where listing_id = any($1) and guest_id = any($2)',
        [listingIds, guestIds],
      )
    ).rows.map((r) => r.id),
  );
  const lost = [...won.keys()].filter((id) => !stored.has(id));
  const unanswered = [...stored].filter((id) => !won.has(id));
  if (lost.length > 0) problems.push(`${lost.length} answered 201 with no booking row`);
  if (unanswered.length > 0) problems.push(`${unanswered.length} booking rows no 201 answered`);
  report(
    bookingTally.row(
      `bookings: ${BOOKING_ATTEMPTS} at once, ${bookable.length} listings`,
      problems,
      `${won.size} won, none overlapping; every 201 has its row and every row its 201`,
    ),
  );
}

// The same requests again, as a phone on 3G retries: the winners get their booking back, the
// losers are refused again, and nothing new is booked.
{
  const retries = new Tally();
  const again = await Promise.all(attempts.map((a) => retries.run(book(a))));
  retries.stop();
  const problems: string[] = [];
  let replayed = 0;
  again.forEach((answer, i) => {
    const first = answeredIds.get(i);
    if (!answer) return;
    if (first) {
      if (
        answer.status === 201 &&
        answer.body.id === first &&
        answer.headers['idempotent-replayed'] === 'true'
      )
        replayed++;
      else problems.push(`attempt ${i} won, then its retry answered ${answer.status}`);
    } else if (answer.status !== 409) {
      problems.push(`attempt ${i} lost, then its retry answered ${answer.status}`);
    }
  });
  const count = (
    await sql.query<{ n: number }>(
      'select count(*)::int as n from bookings where listing_id = any($1) and guest_id = any($2)',
      [bookable.map((l) => l.id), guests.map((g) => g.principal.id)],
    )
  ).rows[0]?.n;
  if (count !== won.size) problems.push(`${count} booking rows after the retries, not ${won.size}`);
  report(
    retries.row(
      `bookings: the same ${BOOKING_ATTEMPTS} retried`,
      problems.slice(0, 3),
      `${replayed} replayed with Idempotent-Replayed, the rest refused again, nothing new booked`,
    ),
  );
}

// 4. Chat: one host with 100 connections open (tabs and devices) and 100 guests, each in a
// thread with the host, one socket each. A guest's message goes to all 100 of the host's
// sockets; the host's to the guest and its 99 other sockets.

interface Socket {
  socket: WebSocket;
  /** How many times each message (by clientId) arrived as a `message` frame. */
  messages: Map<string, number>;
  acks: Map<string, number>;
  errors: number;
}

const sentAt = new Map<string, number>();
const deliveryMs: number[] = [];

function openSocket(token: string): Promise<Socket> {
  const s: Socket = {
    socket: new WebSocket(`${ws.url}?token=${encodeURIComponent(token)}`),
    messages: new Map(),
    acks: new Map(),
    errors: 0,
  };
  s.socket.on('message', (data) => {
    const frame = JSON.parse(data.toString()) as {
      type: string;
      clientId?: string;
      message?: { clientId?: string };
    };
    if (frame.type === 'message' && frame.message?.clientId) {
      const id = frame.message.clientId;
      s.messages.set(id, (s.messages.get(id) ?? 0) + 1);
      const at = sentAt.get(id);
      if (at !== undefined) deliveryMs.push(performance.now() - at);
    } else if (frame.type === 'ack' && frame.clientId) {
      s.acks.set(frame.clientId, (s.acks.get(frame.clientId) ?? 0) + 1);
    } else if (frame.type === 'error') {
      s.errors++;
    }
  });
  return new Promise((resolve, reject) => {
    s.socket.once('open', () => resolve(s));
    s.socket.once('error', reject);
  });
}

const sockets: Socket[] = [];
{
  const chatTally = new Tally();
  const problems: string[] = [];
  const { rows: hostRows } = await sql.query<{ listing_id: string; phone: string }>(
    `select l.id as listing_id, h.phone from listings l join hosts h on h.id = l.host_id
     where l.status = 'published' and not (l.id = any($1)) order by l.id limit 1`,
    [bookable.map((l) => l.id)],
  );
  const hostRow = hostRows[0] as { listing_id: string; phone: string };
  const host = await signIn(chatTally, hostRow.phone, 'host', address(3, 1));
  if (typeof host === 'string') throw new Error(`the host could not sign in: ${host}`);
  const chatters = guests.slice(0, CHAT_GUESTS);
  const opened = await Promise.all(
    chatters.map((g) =>
      chatTally.run(
        call('POST', '/conversations', {
          token: g.accessToken,
          body: {
            listingId: hostRow.listing_id,
            message: 'Is it free in March?',
            clientId: randomUUID(),
          },
        }),
      ),
    ),
  );
  const threads = opened.map((a) => a?.body?.conversation?.id as string | undefined);
  if (threads.some((t) => !t))
    problems.push(`${threads.filter((t) => !t).length} threads not opened`);
  let connectFailures = 0;
  const open = (token: string) =>
    openSocket(token).catch(() => {
      connectFailures++;
      return undefined;
    });
  const hostSockets = (
    await Promise.all(Array.from({ length: HOST_SOCKETS }, () => open(host.accessToken)))
  ).filter((s): s is Socket => s !== undefined);
  const guestSockets = await Promise.all(chatters.map((g) => open(g.accessToken)));
  sockets.push(...hostSockets, ...guestSockets.filter((s): s is Socket => s !== undefined));
  if (connectFailures > 0) problems.push(`${connectFailures} sockets refused`);
  report(
    chatTally
      .stop()
      .row(
        `chat: ${threads.length} threads, ${sockets.length} sockets open`,
        problems,
        'host signed in, threads opened, every socket connected',
      ),
  );

  // Each guest writes once and the host answers each once, paced (not all at once), so the
  // latency is of delivery rather than of a queue the bench built: ~100 posts to
  // @connections a message, at 10 messages a second.
  const PACE_MS = 100;
  interface Expected {
    clientId: string;
    from: Socket;
    to: Socket[];
  }
  const expected: Expected[] = [];
  const send = (from: Socket, conversationId: string, to: Socket[]) => {
    const clientId = randomUUID();
    expected.push({ clientId, from, to });
    sentAt.set(clientId, performance.now());
    from.socket.send(
      JSON.stringify({ action: 'sendMessage', conversationId, body: 'Yes, it is.', clientId }),
    );
  };
  const fanStarted = performance.now();
  for (let i = 0; i < chatters.length; i++) {
    const thread = threads[i];
    const guest = guestSockets[i];
    if (!thread || !guest) continue;
    send(guest, thread, hostSockets);
    await new Promise((r) => setTimeout(r, PACE_MS));
    const hostSocket = hostSockets[i % hostSockets.length] as Socket;
    send(hostSocket, thread, [guest, ...hostSockets.filter((s) => s !== hostSocket)]);
    await new Promise((r) => setTimeout(r, PACE_MS));
  }
  const total = expected.reduce((n, e) => n + e.to.length, 0);
  await until(() => (deliveryMs.length >= total ? true : undefined), 30_000);
  const fanSeconds = (performance.now() - fanStarted) / 1000;
  // A doubled delivery would arrive after the first: give it a moment.
  await new Promise((r) => setTimeout(r, 500));
  let missing = 0;
  let doubled = 0;
  let badAcks = 0;
  for (const e of expected) {
    for (const s of e.to) {
      const n = s.messages.get(e.clientId) ?? 0;
      if (n === 0) missing++;
      if (n > 1) doubled += n - 1;
    }
    if (e.from.acks.get(e.clientId) !== 1) badAcks++;
    if (e.from.messages.has(e.clientId)) doubled++;
  }
  const strays = sockets.reduce(
    (n, s) =>
      n +
      [...s.messages.keys()].filter(
        (id) => sentAt.has(id) && !expected.some((e) => e.clientId === id && e.to.includes(s)),
      ).length,
    0,
  );
  const errorFrames = sockets.reduce((n, s) => n + s.errors, 0);
  const stored = (
    await sql.query<{ n: number }>(
      'select count(*)::int as n from messages where client_id = any($1)',
      [expected.map((e) => e.clientId)],
    )
  ).rows[0]?.n;
  const fanProblems = [
    ...(missing > 0 ? [`${missing} deliveries lost`] : []),
    ...(doubled > 0 ? [`${doubled} deliveries doubled`] : []),
    ...(strays > 0 ? [`${strays} deliveries to a socket not in the thread`] : []),
    ...(badAcks > 0 ? [`${badAcks} messages not acked exactly once`] : []),
    ...(errorFrames > 0 ? [`${errorFrames} error frames`] : []),
    ...(stored !== expected.length ? [`${stored} of ${expected.length} messages stored`] : []),
  ];
  report({
    scenario: `chat: fan-out, ${expected.length} messages`,
    requests: expected.length,
    perSecond: deliveryMs.length / fanSeconds,
    p50: percentile(deliveryMs, 50),
    p99: percentile(deliveryMs, 99),
    statuses: new Map(),
    errors: 0,
    http: false,
    problems: fanProblems,
    held: `${deliveryMs.length}/${total} deliveries exactly once (req/s: deliveries), each acked once`,
  });
}

// 5. Duplicates: QStash delivering one message many times, and Paystack one event.

const jobUrl = (job: string) => `${api}/jobs/${job}`;
/** One delivery as QStash makes it: signed anew for every attempt, with the message's id. */
const deliver = async (job: string, body: string, messageId: string, signature?: string) =>
  call('POST', `/jobs/${job}`, {
    body,
    headers: {
      'upstash-signature': signature ?? (await qstash.signWith('current', jobUrl(job), body)),
      'upstash-message-id': messageId,
    },
  });
const jobStatus = (a: Answer | undefined) =>
  a?.status === 200 ? String(a.body?.status) : String(a?.status);

/**
 * N deliveries at once, then, as QStash does, each answered 409 (another delivery of the job
 * still running) again after a back-off until none is. `messageId` names each delivery's
 * message. Counts what the first wave answered: `done`, `duplicate`, 409 ...
 */
async function burst(t: Tally, job: string, body: string, messageId: () => string) {
  const first = await Promise.all(
    Array.from({ length: DUPLICATES }, () => t.run(deliver(job, body, messageId()))),
  );
  const outcomes = new Map<string, number>();
  for (const a of first) outcomes.set(jobStatus(a), (outcomes.get(jobStatus(a)) ?? 0) + 1);
  let busy = first.filter((a) => a?.status === 409).length;
  let retries = 0;
  const afterRetry = new Map<string, number>();
  for (let wave = 0; busy > 0 && wave < 5; wave++) {
    await new Promise((r) => setTimeout(r, 200));
    retries += busy;
    const again = await Promise.all(
      Array.from({ length: busy }, () => t.run(deliver(job, body, messageId()))),
    );
    for (const a of again) afterRetry.set(jobStatus(a), (afterRetry.get(jobStatus(a)) ?? 0) + 1);
    busy = again.filter((a) => a?.status === 409).length;
  }
  t.stop();
  const problems = [
    ...((outcomes.get('done') ?? 0) !== 1
      ? [`${outcomes.get('done') ?? 0} deliveries ran the job`]
      : []),
    ...([...afterRetry.keys()].some((k) => k !== 'duplicate' && k !== '409')
      ? [`retries after 409 answered ${listOf(afterRetry)}`]
      : []),
    ...(busy > 0 ? [`${busy} deliveries still 409 after 5 retries`] : []),
  ];
  return { problems, said: `${listOf(outcomes)}; ${retries} retried after 409` };
}

{
  // One message delivered N times at once (a QStash retry storm): it runs once; the others
  // answer `duplicate`, or 409 while the first still runs.
  const t = new Tally();
  const text = `Bench ${randomUUID()}: your code is nothing.`;
  const body = JSON.stringify({ to: phoneOf(3000), text });
  const messageId = `msg_${randomBytes(8).toString('hex')}`;
  const dedupsBefore = dedupedPublishes.length;
  const { problems, said } = await burst(t, 'send-sms', body, () => messageId);
  await new Promise((r) => setTimeout(r, 300));
  const sent = world.smsWith(text).length;
  if (sent !== 1) problems.push(`${sent} SMS sent`);
  if (dedupedPublishes.length !== dedupsBefore) problems.push('QStash deduplicated publishes');
  report(
    t.row(`jobs: send-sms, 1 message ×${DUPLICATES}`, problems, `ran once (${said}), 1 SMS sent`),
  );
}

{
  // A captured delivery sent again as it was, signature and all: refused before the job runs.
  const t = new Tally();
  const text = `Bench ${randomUUID()}: replayed.`;
  const body = JSON.stringify({ to: phoneOf(3001), text });
  const signature = await qstash.signWith('current', jobUrl('send-sms'), body);
  const answers = await Promise.all(
    Array.from({ length: DUPLICATES }, (_, i) =>
      t.run(deliver('send-sms', body, `msg_replay_${i}`, signature)),
    ),
  );
  t.stop();
  await new Promise((r) => setTimeout(r, 300));
  const ran = answers.filter((a) => a?.status === 200).length;
  const replays = answers.filter(
    (a) => a?.status === 401 && a.body?.error?.code === 'signature_replayed',
  ).length;
  const sent = world.smsWith(text).length;
  const problems = [
    ...(ran !== 1 ? [`${ran} deliveries ran the job`] : []),
    ...(replays !== DUPLICATES - 1 ? [`${replays} refused as replays, not ${DUPLICATES - 1}`] : []),
    ...(sent !== 1 ? [`${sent} SMS sent`] : []),
  ];
  report(
    t.row(
      `jobs: one signature ×${DUPLICATES}`,
      problems,
      `ran once, ${replays} refused as replays, 1 SMS sent`,
    ),
  );
}

let deadlineBooking: string | undefined;
/** A booking that won in scenario 3, on a listing with `instantBook` as asked if any is. */
const winner = (instant: boolean, except?: string) =>
  [...won].find(
    ([id, a]) =>
      id !== except && bookable.find((l) => l.id === a.body.listingId)?.instant_book === instant,
  ) ?? [...won].find(([id]) => id !== except);

{
  // The payment window's deadline, published N times over (as if without its deduplication
  // id: N messages) and delivered at once: the job is keyed by booking, so it runs once and
  // the booking expires once.
  const t = new Tally();
  const [bookingId, attempt] = winner(false) as [string, Attempt];
  deadlineBooking = bookingId;
  await sql.query(`update bookings set expires_at = now() - interval '1 second' where id = $1`, [
    bookingId,
  ]);
  const body = JSON.stringify({ bookingId, status: 'pending_payment' });
  const dedupsBefore = dedupedPublishes.length;
  const { problems, said } = await burst(
    t,
    'booking-deadline',
    body,
    () => `msg_${randomBytes(8).toString('hex')}`,
  );
  const listing = bookable.find((l) => l.id === attempt.body.listingId);
  const stay = `${listing?.title}, ${attempt.body.checkIn} to ${attempt.body.checkOut}`;
  await until(
    () => (world.smsWith(`Booking expired: ${stay}`).length > 0 ? true : undefined),
    5000,
  );
  await new Promise((r) => setTimeout(r, 300));
  const { rows: state } = await sql.query<{ status: string; holds: number; refunds: number }>(
    `select b.status, (select count(*)::int from listing_holds h where h.booking_id = b.id) as holds,
            (select count(*)::int from refunds r where r.booking_id = b.id) as refunds
     from bookings b where b.id = $1`,
    [bookingId],
  );
  const row = state[0];
  const sms = world.smsWith(`Booking expired: ${stay}`).length;
  if (row?.status !== 'expired') problems.push(`booking ${row?.status}, not expired`);
  if (row?.holds !== 0) problems.push('its nights still held');
  if (row?.refunds !== 0) problems.push(`${row?.refunds} refunds of an unpaid booking`);
  if (sms !== 1) problems.push(`${sms} "Booking expired" SMS to the guest`);
  if (dedupedPublishes.length !== dedupsBefore)
    problems.push(
      `${dedupedPublishes.length - dedupsBefore} notifications published twice (QStash dropped them)`,
    );
  report(
    t.row(
      `jobs: booking-deadline, ${DUPLICATES} messages`,
      problems,
      `expired once (${said}): nights released, 1 SMS, no second publish`,
    ),
  );
}

{
  // The guest pays; Paystack's charge.success (captured from the stand-in, signed as it sent
  // it) arrives N times at once. The payment settles once.
  const t = new Tally();
  const [bookingId, attempt] = winner(true, deadlineBooking) as [string, Attempt];
  const listing = bookable.find((l) => l.id === attempt.body.listingId);
  const reference = `bk-${bookingId}`;
  const checkout = checkoutOf.get(bookingId) ?? '';
  await fetch(checkout);
  await fetch(checkout, {
    method: 'POST',
    body: new URLSearchParams({ outcome: 'success' }),
    redirect: 'manual',
  });
  const event = await until(
    () =>
      paystack.deliveries().find((d) => d.event === 'charge.success' && d.body.includes(reference)),
    5000,
  );
  if (!event) throw new Error(`the Paystack stand-in sent no charge.success for ${reference}`);
  const dedupsBefore = dedupedPublishes.length;
  const answers = await Promise.all(
    Array.from({ length: DUPLICATES }, () =>
      t.run(
        call('POST', '/webhooks/paystack', {
          body: event.body,
          headers: { 'x-paystack-signature': event.signature },
        }),
      ),
    ),
  );
  t.stop();
  const instant = listing?.instant_book === true;
  const stay = `${listing?.title}, ${attempt.body.checkIn} to ${attempt.body.checkOut}`;
  // Confirmed: the guest and the host hear of it; requested: the host is asked to answer.
  const expectedSms = instant
    ? [`Booking confirmed: ${stay} is yours.`, `New booking: ${stay} is booked.`]
    : [`New booking request: ${stay}.`];
  await until(
    () => (expectedSms.every((s) => world.smsWith(s).length > 0) ? true : undefined),
    5000,
  );
  await new Promise((r) => setTimeout(r, 300));
  const { rows: state } = await sql.query<{
    status: string;
    payment: string;
    payouts: number;
    refunds: number;
  }>(
    `select b.status, p.status as payment,
            (select count(*)::int from payouts o where o.booking_id = b.id) as payouts,
            (select count(*)::int from refunds r where r.booking_id = b.id) as refunds
     from bookings b join payments p on p.booking_id = b.id where b.id = $1`,
    [bookingId],
  );
  const row = state[0];
  const sms = expectedSms.map((s) => world.smsWith(s).length);
  const problems = [
    ...(answers.some((a) => a?.status !== 200) ? ['webhooks not answered 200'] : []),
    ...(row?.payment !== 'succeeded' ? [`payment ${row?.payment}`] : []),
    ...(row?.status !== (instant ? 'confirmed' : 'requested') ? [`booking ${row?.status}`] : []),
    ...(row?.payouts !== (instant ? 1 : 0) ? [`${row?.payouts} payouts scheduled`] : []),
    ...(row?.refunds !== 0 ? [`${row?.refunds} refunds`] : []),
    ...(sms.some((n) => n !== 1) ? [`notification SMS sent ${sms.join('/')} times`] : []),
    ...(dedupedPublishes.length !== dedupsBefore
      ? [
          `${dedupedPublishes.length - dedupsBefore} notifications published twice (QStash dropped them)`,
        ]
      : []),
  ];
  report(
    t.row(
      `paystack: charge.success ×${DUPLICATES}`,
      problems,
      `settled once: ${row?.status}, payment succeeded, ${row?.payouts} payout, ${sms.length} SMS once each`,
    ),
  );
}

const failed = printTable();
const { checked, violations } = gateway.responses;
console.log(
  `\ngateway: ${checked} responses checked against their contracts, ${violations.length} broke them`,
);
if (failures.length > 0) {
  console.log(`\nwhat the gateways reported (${failures.length}; the first 10):`);
  for (const line of failures.slice(0, 10)) console.log(`  ${line.slice(0, 400)}`);
}
const ok = failed === 0 && violations.length === 0;
console.log(
  ok ? '\nPASS' : `\nFAIL (${failed} scenarios${violations.length ? ', contract violations' : ''})`,
);

for (const s of sockets) s.socket.terminate();
await ws.close();
await gateway.close();
await qstash.close();
await paystack.close();
await upstash.close();
await neon.close();
await world.close();
agent.destroy();
await sql.end();
redis.disconnect();
process.exit(ok ? 0 : 1);
