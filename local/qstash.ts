/**
 * A local stand-in for Upstash QStash: it speaks the REST API the real `Client` from
 * `@upstash/qstash` uses (publish, batch, schedules, messages, keys) and delivers messages the way
 * QStash does, signed so the real `Receiver` accepts them. State lives in memory; nothing is
 * downloaded (the SDK's own dev mode fetches a binary, which we cannot do here).
 *
 * Not emulated: URL groups, queues (`/v2/enqueue`), flow control, DLQ and logs APIs, LLM/email
 * APIs. They answer 501 so a caller notices instead of silently losing messages.
 */
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';

export interface Delivery {
  messageId: string;
  url: string;
  method: string;
  /** Status the destination answered with; null when no answer came (connection error, timeout). */
  status: number | null;
  error?: string;
  /** The `Upstash-Retried` header of this attempt: 0 on the first one. */
  retried: number;
  /** When the attempt started, in epoch milliseconds. */
  at: number;
  body: string;
  scheduleId?: string;
}

export interface QStashOptions {
  /** 0 or absent: any free port. */
  port?: number;
  token: string;
  currentSigningKey: string;
  nextSigningKey: string;
  /**
   * Wait before a retry; `retried` is the `Upstash-Retried` value of the coming attempt (1 for
   * the first retry). Defaults to QStash's own `min(1 day, e^(2.5 * retried) s)`. A message's
   * `Upstash-Retry-Delay` expression or a `Retry-After` answer takes precedence, as in QStash.
   */
  retryBackoffMs?: (retried: number) => number;
  log?: (line: string) => void;
}

export interface LocalQStash {
  url: string;
  port: number;
  /** Every delivery attempt, in order (the latest 10,000). */
  deliveries: Delivery[];
  /** The first delivery (past or future) matching `pred`; rejects after `timeoutMs` (5 s). */
  waitFor(pred: (d: Delivery) => boolean, timeoutMs?: number): Promise<Delivery>;
  /** An `Upstash-Signature` as this server would send it; `at` (epoch ms) backdates it. */
  signWith(
    key: 'current' | 'next',
    url: string,
    body: string,
    opts?: { at?: number },
  ): Promise<string>;
  /** Fires a schedule now, whatever its cron or paused state; resolves to the new message id. */
  runSchedule(scheduleId: string): Promise<string>;
  close(): Promise<void>;
}

const DEFAULT_RETRIES = 3;
const DEDUPLICATION_WINDOW_MS = 10 * 60_000;
const SIGNATURE_LIFETIME_S = 5 * 60;
const MAX_BACKOFF_MS = 86_400_000;
const MAX_TIMER_MS = 2 ** 31 - 1;
/** A long `npm run dev` session must not keep every body it ever delivered. */
const MAX_DELIVERIES_KEPT = 10_000;

class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

const badRequest = (message: string) => new HttpError(400, message);

// ---------------------------------------------------------------------------------------------
// Durations and retry delay expressions

const DURATION_UNITS_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** Parses QStash durations such as "10s", "2m", "1h30m" into milliseconds. */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  if (!/^(\d+(ms|s|m|h|d))+$/.test(trimmed)) throw badRequest(`invalid duration: ${text}`);
  let total = 0;
  for (const [, amount, unit] of trimmed.matchAll(/(\d+)(ms|s|m|h|d)/g)) {
    total += Number(amount) * (DURATION_UNITS_MS[unit ?? 's'] ?? 0);
  }
  return total;
}

const RETRY_DELAY_FUNCTIONS: Record<string, (...args: number[]) => number> = {
  pow: Math.pow,
  sqrt: Math.sqrt,
  abs: Math.abs,
  exp: Math.exp,
  floor: Math.floor,
  ceil: Math.ceil,
  round: Math.round,
  min: Math.min,
  max: Math.max,
};

type RetryDelay = (retried: number) => number;

/**
 * Compiles an `Upstash-Retry-Delay` expression (milliseconds; arithmetic, `retried` and the
 * functions QStash documents). A recursive-descent parser rather than `eval`: the header is input.
 */
export function compileRetryDelay(expression: string): RetryDelay {
  const tokens = expression.match(/\d+(?:\.\d+)?|[A-Za-z_]+|[-+*/(),]|\S/g) ?? [];
  let position = 0;
  const peek = () => tokens[position];
  const take = (expected?: string) => {
    const token = tokens[position++];
    if (token === undefined || (expected !== undefined && token !== expected)) {
      throw badRequest(`invalid retry delay expression: ${expression}`);
    }
    return token;
  };
  const sum = (): RetryDelay => {
    let left = product();
    while (peek() === '+' || peek() === '-') {
      const op = take();
      const l = left;
      const r = product();
      left = op === '+' ? (n) => l(n) + r(n) : (n) => l(n) - r(n);
    }
    return left;
  };
  const product = (): RetryDelay => {
    let left = unary();
    while (peek() === '*' || peek() === '/') {
      const op = take();
      const l = left;
      const r = unary();
      left = op === '*' ? (n) => l(n) * r(n) : (n) => l(n) / r(n);
    }
    return left;
  };
  const unary = (): RetryDelay => {
    if (peek() === '-') {
      take();
      const inner = unary();
      return (n) => -inner(n);
    }
    return primary();
  };
  const primary = (): RetryDelay => {
    const token = take();
    if (token === '(') {
      const inner = sum();
      take(')');
      return inner;
    }
    if (/^\d/.test(token)) {
      const value = Number(token);
      return () => value;
    }
    if (token === 'retried') return (n) => n;
    const fn = RETRY_DELAY_FUNCTIONS[token];
    if (!fn) throw badRequest(`unknown name in retry delay expression: ${token}`);
    take('(');
    const args: RetryDelay[] = [sum()];
    while (peek() === ',') {
      take();
      args.push(sum());
    }
    take(')');
    return (n) => fn(...args.map((arg) => arg(n)));
  };
  const compiled = sum();
  if (position !== tokens.length) throw badRequest(`invalid retry delay expression: ${expression}`);
  return (retried) => {
    const value = compiled(retried);
    return Number.isFinite(value) ? Math.min(Math.max(0, value), MAX_BACKOFF_MS) : 0;
  };
}

// ---------------------------------------------------------------------------------------------
// Cron: five fields, UTC unless prefixed with CRON_TZ=<IANA zone>, like QStash.

export interface CronSpec {
  expression: string;
  minute: Set<number>;
  hour: Set<number>;
  dayOfMonth: Set<number>;
  month: Set<number>;
  dayOfWeek: Set<number>;
  /** Vixie cron: when both day fields are restricted, a day matching either one matches. */
  dayOfMonthStar: boolean;
  dayOfWeekStar: boolean;
  timeZone?: string;
}

const MONTH_NAMES = [
  'JAN',
  'FEB',
  'MAR',
  'APR',
  'MAY',
  'JUN',
  'JUL',
  'AUG',
  'SEP',
  'OCT',
  'NOV',
  'DEC',
];
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const CRON_MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

interface CronField {
  name: string;
  min: number;
  max: number;
  names?: string[];
  namesStart?: number;
}

const CRON_FIELDS: CronField[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTH_NAMES, namesStart: 1 },
  { name: 'day of week', min: 0, max: 7, names: DAY_NAMES, namesStart: 0 },
];

function parseCronField(text: string, field: CronField): Set<number> {
  const invalid = () => badRequest(`invalid cron ${field.name}: ${text}`);
  const value = (token: string) => {
    const named = field.names?.indexOf(token.toUpperCase()) ?? -1;
    if (named >= 0) return named + (field.namesStart ?? 0);
    if (!/^\d+$/.test(token)) throw invalid();
    const n = Number(token);
    if (n < field.min || n > field.max) throw invalid();
    return n;
  };
  const values = new Set<number>();
  for (const item of text.split(',')) {
    const [range = '', stepText, extra] = item.split('/');
    if (extra !== undefined) throw invalid();
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw invalid();
    let low: number;
    let high: number;
    if (range === '*' || range === '?') {
      low = field.min;
      high = field.max;
    } else if (range.includes('-')) {
      const [from = '', to = '', more] = range.split('-');
      if (more !== undefined) throw invalid();
      low = value(from);
      high = value(to);
    } else {
      low = value(range);
      high = stepText === undefined ? low : field.max;
    }
    if (low > high) throw invalid();
    for (let n = low; n <= high; n += step) values.add(n);
  }
  return values;
}

export function parseCron(expression: string): CronSpec {
  let rest = expression.trim();
  let timeZone: string | undefined;
  const tz = /^(?:CRON_TZ|TZ)=(\S+)\s+/.exec(rest);
  if (tz?.[1]) {
    timeZone = tz[1];
    try {
      new Intl.DateTimeFormat('en-US', { timeZone });
    } catch {
      throw badRequest(`invalid cron time zone: ${timeZone}`);
    }
    rest = rest.slice(tz[0].length);
  }
  rest = CRON_MACROS[rest.toLowerCase()] ?? rest;
  const parts = rest.split(/\s+/);
  if (parts.length !== 5)
    throw badRequest(`cron needs 5 fields, got ${parts.length}: ${expression}`);
  const [minute, hour, dayOfMonth, month, dayOfWeek] = parts.map((part, i) =>
    parseCronField(part, CRON_FIELDS[i] as CronField),
  ) as [Set<number>, Set<number>, Set<number>, Set<number>, Set<number>];
  if (dayOfWeek.delete(7)) dayOfWeek.add(0);
  const starred = (text: string | undefined) => text?.startsWith('*') || text?.startsWith('?');
  return {
    expression,
    minute,
    hour,
    dayOfMonth,
    month,
    dayOfWeek,
    dayOfMonthStar: Boolean(starred(parts[2])),
    dayOfWeekStar: Boolean(starred(parts[4])),
    ...(timeZone && { timeZone }),
  };
}

interface WallClock {
  minute: number;
  hour: number;
  dayOfMonth: number;
  month: number;
  dayOfWeek: number;
}

const zoneFormats = new Map<string, Intl.DateTimeFormat>();

function wallClock(ms: number, timeZone: string | undefined): WallClock {
  const date = new Date(ms);
  if (!timeZone || timeZone === 'UTC' || timeZone === 'Etc/UTC') {
    return {
      minute: date.getUTCMinutes(),
      hour: date.getUTCHours(),
      dayOfMonth: date.getUTCDate(),
      month: date.getUTCMonth() + 1,
      dayOfWeek: date.getUTCDay(),
    };
  }
  let format = zoneFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      weekday: 'short',
    });
    zoneFormats.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(date).map((p) => [p.type, p.value]));
  return {
    minute: Number(parts.minute),
    hour: Number(parts.hour),
    dayOfMonth: Number(parts.day),
    month: Number(parts.month),
    dayOfWeek: DAY_NAMES.indexOf(String(parts.weekday).toUpperCase()),
  };
}

function dayMatches(spec: CronSpec, t: WallClock): boolean {
  if (!spec.month.has(t.month)) return false;
  const dom = spec.dayOfMonth.has(t.dayOfMonth);
  const dow = spec.dayOfWeek.has(t.dayOfWeek);
  return spec.dayOfMonthStar || spec.dayOfWeekStar ? dom && dow : dom || dow;
}

/** Whether the minute containing `at` (a Date or epoch ms) matches the cron. */
export function cronMatches(spec: CronSpec, at: Date | number): boolean {
  const t = wallClock(typeof at === 'number' ? at : at.getTime(), spec.timeZone);
  return dayMatches(spec, t) && spec.hour.has(t.hour) && spec.minute.has(t.minute);
}

/** The first matching minute strictly after `after` (epoch ms), within five years. */
export function nextCronTime(spec: CronSpec, after: number): number | undefined {
  const start = Math.floor(after / 60_000) * 60_000 + 60_000;
  const horizon = start + 5 * 366 * 86_400_000;
  // Skip whole days, then whole hours, so impossible or sparse crons stay cheap.
  for (let t = start; t < horizon; ) {
    const wall = wallClock(t, spec.timeZone);
    if (!dayMatches(spec, wall)) t += (1440 - wall.hour * 60 - wall.minute) * 60_000;
    else if (!spec.hour.has(wall.hour)) t += (60 - wall.minute) * 60_000;
    else if (!spec.minute.has(wall.minute)) t += 60_000;
    else return t;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Signing

/** SHA-256 of the body, base64url with padding, as QStash puts it in the `body` claim. */
function bodyHash(body: Uint8Array): string {
  return createHash('sha256')
    .update(body)
    .digest('base64')
    .replaceAll('+', '-')
    .replaceAll('/', '_');
}

function randomId(prefix: string): string {
  return `${prefix}_${randomBytes(18).toString('base64url')}`;
}

async function signDelivery(key: string, url: string, body: Uint8Array, atMs: number) {
  const now = Math.floor(atMs / 1000);
  return new SignJWT({ body: bodyHash(body) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer('Upstash')
    .setSubject(url)
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + SIGNATURE_LIFETIME_S)
    .setJti(randomId('jwt'))
    .sign(new TextEncoder().encode(key));
}

// ---------------------------------------------------------------------------------------------
// Messages and schedules

/** What a publish, batch entry or schedule says about how to deliver. */
interface DeliveryOptions {
  method: string;
  /** Headers for the destination: Content-Type and the `Upstash-Forward-` ones, prefix removed. */
  header: Record<string, string>;
  retries: number;
  retryDelay?: { expression: string; compute: RetryDelay };
  timeoutMs?: number;
  callback?: string;
  failureCallback?: string;
}

interface Message extends DeliveryOptions {
  messageId: string;
  url: string;
  body: Buffer;
  notBefore: number;
  createdAt: number;
  scheduleId?: string;
  retried: number;
  timer?: NodeJS.Timeout;
  inFlight?: AbortController;
  cancelled?: boolean;
}

interface Schedule extends DeliveryOptions {
  scheduleId: string;
  cron: CronSpec;
  destination: string;
  body: Buffer;
  delayMs: number;
  createdAt: number;
  isPaused: boolean;
  lastScheduleTime?: number;
  lastScheduleStates: Record<string, 'IN_PROGRESS' | 'SUCCESS' | 'FAIL'>;
}

interface Answer {
  status: number | null;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  error?: string;
}

function readDeliveryOptions(headers: Headers): DeliveryOptions {
  const header: Record<string, string> = {};
  for (const [name, value] of headers) {
    if (name.startsWith('upstash-forward-')) header[name.slice('upstash-forward-'.length)] = value;
    else if (name === 'content-type') header[name] = value;
  }
  const retriesText = headers.get('upstash-retries');
  const retries = retriesText === null ? DEFAULT_RETRIES : Number(retriesText);
  if (!Number.isInteger(retries) || retries < 0) {
    throw badRequest(`invalid Upstash-Retries: ${retriesText}`);
  }
  const retryDelay = headers.get('upstash-retry-delay');
  const timeout = headers.get('upstash-timeout');
  const callback = headers.get('upstash-callback');
  const failureCallback = headers.get('upstash-failure-callback');
  if (callback !== null) parseDestination(callback);
  if (failureCallback !== null) parseDestination(failureCallback);
  return {
    method: (headers.get('upstash-method') ?? 'POST').toUpperCase(),
    header,
    retries,
    ...(retryDelay !== null && {
      retryDelay: { expression: retryDelay, compute: compileRetryDelay(retryDelay) },
    }),
    ...(timeout !== null && { timeoutMs: parseDuration(timeout) }),
    ...(callback !== null && { callback }),
    ...(failureCallback !== null && { failureCallback }),
  };
}

/** Destinations must be http(s) URLs here: URL groups and APIs are not emulated. */
function parseDestination(raw: string): string {
  const decoded = /^https?%3A/i.test(raw) ? decodeURIComponent(raw) : raw;
  let url: URL;
  try {
    url = new URL(decoded);
  } catch {
    throw new HttpError(
      501,
      `local QStash delivers to URLs only; URL groups and APIs are not emulated: ${raw}`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw badRequest(`destination must be an http(s) URL: ${raw}`);
  }
  return decoded;
}

function multiValued(header: Record<string, string>): Record<string, string[]> {
  return Object.fromEntries(Object.entries(header).map(([k, v]) => [k, [v]]));
}

function answerHeaders(headers: http.IncomingHttpHeaders): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value : [value];
  }
  return out;
}

function defaultBackoffMs(retried: number): number {
  return Math.min(MAX_BACKOFF_MS, Math.exp(2.5 * retried) * 1000);
}

/** `Retry-After` in seconds or as an HTTP date; QStash ignores values beyond one day. */
function retryAfterMs(value: string | string[] | undefined): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return undefined;
  const ms = /^\d+$/.test(text.trim()) ? Number(text) * 1000 : Date.parse(text) - Date.now();
  return Number.isFinite(ms) && ms <= MAX_BACKOFF_MS ? Math.max(0, ms) : undefined;
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function requestHeaders(req: http.IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  return headers;
}

function sendJson(res: http.ServerResponse, status: number, value?: unknown): void {
  if (value === undefined) {
    res.writeHead(status).end();
    return;
  }
  const body = JSON.stringify(value);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

// ---------------------------------------------------------------------------------------------

export async function startQStash(opts: QStashOptions): Promise<LocalQStash> {
  const log = opts.log ?? (() => {});
  const backoffMs = opts.retryBackoffMs ?? defaultBackoffMs;
  const keys = { current: opts.currentSigningKey, next: opts.nextSigningKey };
  const deliveries: Delivery[] = [];
  const messages = new Map<string, Message>();
  const schedules = new Map<string, Schedule>();
  const deduplication = new Map<string, { messageId: string; url: string; expires: number }>();
  const waiters = new Set<{
    pred: (d: Delivery) => boolean;
    resolve: (d: Delivery) => void;
    reject: (e: Error) => void;
    timer: NodeJS.Timeout;
  }>();
  // No keep-alive: close() must not leave sockets to destinations open.
  const agents = { http: new http.Agent(), https: new https.Agent() };
  let closed = false;
  let ticker: NodeJS.Timeout | undefined;
  let lastMinute = 0;

  function record(delivery: Delivery): void {
    deliveries.push(delivery);
    if (deliveries.length > MAX_DELIVERIES_KEPT)
      deliveries.splice(0, deliveries.length - MAX_DELIVERIES_KEPT);
    for (const waiter of waiters) {
      let matched: boolean;
      try {
        matched = waiter.pred(delivery);
      } catch (error) {
        waiters.delete(waiter);
        clearTimeout(waiter.timer);
        waiter.reject(error as Error);
        continue;
      }
      if (matched) {
        waiters.delete(waiter);
        clearTimeout(waiter.timer);
        waiter.resolve(delivery);
      }
    }
  }

  function arm(message: Message, delayMs: number): void {
    const wait = Math.max(0, delayMs);
    message.timer = setTimeout(
      () => {
        message.timer = undefined;
        if (wait > MAX_TIMER_MS) arm(message, wait - MAX_TIMER_MS);
        else void attempt(message);
      },
      Math.min(wait, MAX_TIMER_MS),
    );
  }

  function send(message: Message, headers: Record<string, string>, signal: AbortSignal) {
    return new Promise<Answer>((resolve, reject) => {
      const target = new URL(message.url);
      const isHttps = target.protocol === 'https:';
      const outgoing = { ...headers };
      if (message.body.length > 0 || !['GET', 'HEAD'].includes(message.method)) {
        outgoing['content-length'] = String(message.body.length);
      }
      const req = (isHttps ? https : http).request(
        target,
        {
          method: message.method,
          headers: outgoing,
          signal,
          agent: isHttps ? agents.https : agents.http,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks),
            }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(message.body);
    });
  }

  async function attempt(message: Message): Promise<void> {
    if (closed || message.cancelled) return;
    const at = Date.now();
    const controller = new AbortController();
    message.inFlight = controller;
    const timeout =
      message.timeoutMs === undefined ? undefined : AbortSignal.timeout(message.timeoutMs);
    const signal = timeout ? AbortSignal.any([controller.signal, timeout]) : controller.signal;
    const headers: Record<string, string> = {
      ...message.header,
      'user-agent': 'Upstash-QStash',
      'upstash-message-id': message.messageId,
      'upstash-retried': String(message.retried),
      'upstash-signature': await signDelivery(keys.current, message.url, message.body, at),
      ...(message.scheduleId && { 'upstash-schedule-id': message.scheduleId }),
    };
    let answer: Answer;
    try {
      answer = await send(message, headers, signal);
    } catch (error) {
      const reason = timeout?.aborted
        ? `timed out after ${message.timeoutMs} ms`
        : (error as Error).message;
      answer = { status: null, headers: {}, body: Buffer.alloc(0), error: reason };
    }
    message.inFlight = undefined;
    if (closed) return;
    record({
      messageId: message.messageId,
      url: message.url,
      method: message.method,
      status: answer.status,
      ...(answer.error && { error: answer.error }),
      retried: message.retried,
      at,
      body: message.body.toString('utf8'),
      ...(message.scheduleId && { scheduleId: message.scheduleId }),
    });
    const outcome = answer.status ?? answer.error;
    log(
      `qstash: ${message.messageId} → ${message.method} ${message.url}: ${outcome} (retried ${message.retried})`,
    );

    const ok = answer.status !== null && answer.status >= 200 && answer.status < 300;
    const nonRetryable =
      answer.status === 489 && answer.headers['upstash-nonretryable-error'] === 'true';
    if (ok || nonRetryable || message.cancelled || message.retried >= message.retries) {
      finish(message, answer, ok);
      return;
    }
    message.retried += 1;
    const wait =
      retryAfterMs(answer.headers['retry-after']) ??
      (message.retryDelay
        ? message.retryDelay.compute(message.retried - 1)
        : Math.max(0, backoffMs(message.retried)));
    log(`qstash: retrying ${message.messageId} in ${Math.round(wait)} ms`);
    arm(message, wait);
  }

  function finish(message: Message, answer: Answer, ok: boolean): void {
    messages.delete(message.messageId);
    if (!ok) log(`qstash: ${message.messageId} failed after ${message.retried + 1} attempt(s)`);
    const schedule = message.scheduleId ? schedules.get(message.scheduleId) : undefined;
    if (schedule && message.messageId in schedule.lastScheduleStates) {
      schedule.lastScheduleStates[message.messageId] = ok ? 'SUCCESS' : 'FAIL';
    }
    const callback = ok ? message.callback : message.failureCallback;
    if (!callback || message.cancelled) return;
    const payload = {
      status: answer.status ?? 0,
      header: answerHeaders(answer.headers),
      body: answer.body.toString('base64'),
      retried: message.retried,
      maxRetries: message.retries,
      sourceMessageId: message.messageId,
      url: message.url,
      method: message.method,
      sourceHeader: multiValued(message.header),
      sourceBody: message.body.toString('base64'),
      notBefore: message.notBefore,
      createdAt: message.createdAt,
      ...(message.scheduleId && { scheduleId: message.scheduleId }),
      ...(answer.error && { error: answer.error }),
    };
    enqueue({
      url: callback,
      body: Buffer.from(JSON.stringify(payload)),
      options: {
        method: 'POST',
        header: { 'content-type': 'application/json' },
        retries: DEFAULT_RETRIES,
      },
      notBefore: Date.now(),
    });
  }

  function enqueue(input: {
    url: string;
    body: Buffer;
    options: DeliveryOptions;
    notBefore: number;
    scheduleId?: string;
    deduplicationKey?: string;
  }): { messageId: string; url: string; deduplicated?: true } {
    const now = Date.now();
    for (const [key, entry] of deduplication) if (entry.expires <= now) deduplication.delete(key);
    const duplicate = input.deduplicationKey
      ? deduplication.get(input.deduplicationKey)
      : undefined;
    if (duplicate) {
      log(`qstash: deduplicated publish to ${input.url} (${duplicate.messageId})`);
      return { messageId: duplicate.messageId, url: duplicate.url, deduplicated: true };
    }
    const message: Message = {
      ...input.options,
      messageId: randomId('msg'),
      url: input.url,
      body: input.body,
      notBefore: input.notBefore,
      createdAt: now,
      retried: 0,
      ...(input.scheduleId && { scheduleId: input.scheduleId }),
    };
    if (input.deduplicationKey) {
      deduplication.set(input.deduplicationKey, {
        messageId: message.messageId,
        url: message.url,
        expires: now + DEDUPLICATION_WINDOW_MS,
      });
    }
    messages.set(message.messageId, message);
    arm(message, message.notBefore - now);
    return { messageId: message.messageId, url: message.url };
  }

  /** Publish and batch entries: delivery options plus delay, not-before and deduplication. */
  function preparePublish(rawDestination: string, headers: Headers, body: Buffer) {
    const url = parseDestination(rawDestination);
    const options = readDeliveryOptions(headers);
    const notBeforeText = headers.get('upstash-not-before');
    const delay = headers.get('upstash-delay');
    let notBefore = Date.now();
    // As in QStash, Upstash-Not-Before wins over Upstash-Delay.
    if (notBeforeText !== null) {
      if (!/^\d+$/.test(notBeforeText))
        throw badRequest(`invalid Upstash-Not-Before: ${notBeforeText}`);
      notBefore = Number(notBeforeText) * 1000;
    } else if (delay !== null) {
      notBefore += parseDuration(delay);
    }
    let deduplicationKey = headers.get('upstash-deduplication-id') ?? undefined;
    if (!deduplicationKey && headers.get('upstash-content-based-deduplication') === 'true') {
      const hash = createHash('sha256').update(url).update('\0');
      for (const [name, value] of Object.entries(options.header).sort()) {
        hash.update(`${name}:${value}\0`);
      }
      deduplicationKey = `content:${hash.update(body).digest('hex')}`;
    }
    return { url, body, options, notBefore, ...(deduplicationKey && { deduplicationKey }) };
  }

  function fire(schedule: Schedule, at: number): string {
    const { messageId } = enqueue({
      url: schedule.destination,
      body: schedule.body,
      options: schedule,
      notBefore: at + schedule.delayMs,
      scheduleId: schedule.scheduleId,
    });
    schedule.lastScheduleTime = at;
    schedule.lastScheduleStates = { [messageId]: 'IN_PROGRESS' };
    log(`qstash: schedule ${schedule.scheduleId} fired (${messageId})`);
    return messageId;
  }

  function scheduleJson(s: Schedule) {
    const next = nextCronTime(s.cron, Date.now());
    return {
      scheduleId: s.scheduleId,
      cron: s.cron.expression,
      createdAt: s.createdAt,
      destination: s.destination,
      method: s.method,
      header: multiValued(s.header),
      body: s.body.toString('utf8'),
      retries: s.retries,
      ...(s.delayMs > 0 && { delay: Math.round(s.delayMs / 1000) }),
      ...(s.callback && { callback: s.callback }),
      ...(s.failureCallback && { failureCallback: s.failureCallback }),
      ...(s.retryDelay && { retryDelayExpression: s.retryDelay.expression }),
      isPaused: s.isPaused,
      ...(s.lastScheduleTime !== undefined && { lastScheduleTime: s.lastScheduleTime }),
      ...(next !== undefined && !s.isPaused && { nextScheduleTime: next }),
      lastScheduleStates: s.lastScheduleStates,
    };
  }

  function createSchedule(rawDestination: string, headers: Headers, body: Buffer) {
    const destination = parseDestination(rawDestination);
    const cronText = headers.get('upstash-cron');
    if (!cronText) throw badRequest('Upstash-Cron header is required');
    const cron = parseCron(cronText);
    const delay = headers.get('upstash-delay');
    const scheduleId = headers.get('upstash-schedule-id') ?? randomId('scd');
    const existing = schedules.get(scheduleId);
    // An explicit id upserts: the schedule is replaced, keeping its creation time and pause state.
    schedules.set(scheduleId, {
      ...readDeliveryOptions(headers),
      scheduleId,
      cron,
      destination,
      body,
      delayMs: delay === null ? 0 : parseDuration(delay),
      createdAt: existing?.createdAt ?? Date.now(),
      isPaused: existing?.isPaused ?? false,
      lastScheduleStates: existing?.lastScheduleStates ?? {},
      ...(existing?.lastScheduleTime !== undefined && {
        lastScheduleTime: existing.lastScheduleTime,
      }),
    });
    log(
      `qstash: schedule ${scheduleId} ${existing ? 'updated' : 'created'} (${cron.expression} → ${destination})`,
    );
    return { scheduleId };
  }

  function findSchedule(id: string): Schedule {
    const schedule = schedules.get(id);
    if (!schedule) throw new HttpError(404, `schedule not found: ${id}`);
    return schedule;
  }

  function tick(): void {
    const now = Date.now();
    ticker = setTimeout(
      () => {
        // Timers may fire a millisecond early; rounding and remembering the minute fire it once.
        const minute = Math.round(Date.now() / 60_000) * 60_000;
        if (minute === lastMinute) return tick();
        lastMinute = minute;
        for (const schedule of schedules.values()) {
          if (!schedule.isPaused && cronMatches(schedule.cron, minute)) fire(schedule, minute);
        }
        tick();
      },
      60_000 - (now % 60_000),
    );
  }

  async function route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const raw = req.url ?? '/';
    const query = new URL(raw, 'http://local').searchParams;
    const authorization = req.headers.authorization;
    if (authorization !== `Bearer ${opts.token}` && query.get('qstash_token') !== opts.token) {
      throw new HttpError(401, 'Unauthorized');
    }
    const method = req.method ?? 'GET';
    const path = raw.split('?')[0] ?? '';
    // The destination URL is the rest of the raw path, its own query string included.
    const destinationAfter = (prefix: string) => {
      const rest = raw.slice(prefix.length);
      if (!query.has('qstash_token')) return rest;
      return rest.replace(/([?&])qstash_token=[^&]*&?/, '$1').replace(/[?&]$/, '');
    };
    const segments = path.split('/').slice(1).map(decodeURIComponent);

    if (method === 'POST' && path.startsWith('/v2/publish/')) {
      const body = await readBody(req);
      const result = enqueue(
        preparePublish(destinationAfter('/v2/publish/'), requestHeaders(req), body),
      );
      return sendJson(res, result.deduplicated ? 202 : 201, result);
    }
    if (method === 'POST' && path === '/v2/batch') {
      const entries: unknown = JSON.parse((await readBody(req)).toString('utf8') || 'null');
      if (!Array.isArray(entries)) throw badRequest('batch body must be a JSON array');
      // Every entry is validated before any is accepted, so a bad entry rejects the whole batch.
      const prepared = entries.map((entry: unknown) => {
        const e = (entry ?? {}) as {
          destination?: unknown;
          headers?: unknown;
          body?: unknown;
          queue?: unknown;
        };
        if (typeof e.destination !== 'string') throw badRequest('batch entry needs a destination');
        if (e.queue !== undefined)
          throw new HttpError(501, 'queues are not emulated by local QStash');
        const headers = new Headers((e.headers ?? {}) as Record<string, string>);
        const body = Buffer.from(typeof e.body === 'string' ? e.body : '', 'utf8');
        return preparePublish(e.destination, headers, body);
      });
      return sendJson(res, 201, prepared.map(enqueue));
    }
    if (method === 'GET' && path === '/v2/keys') {
      return sendJson(res, 200, keys);
    }
    if (segments[0] === 'v2' && segments[1] === 'schedules') {
      if (method === 'GET' && segments.length === 2) {
        const list = [...schedules.values()].sort((a, b) => a.createdAt - b.createdAt);
        return sendJson(res, 200, list.map(scheduleJson));
      }
      const id = segments[2];
      const action = segments[3];
      const isAction = segments.length === 4 && (action === 'pause' || action === 'resume');
      if (method === 'POST' && segments.length > 2 && !isAction) {
        const body = await readBody(req);
        return sendJson(
          res,
          201,
          createSchedule(destinationAfter('/v2/schedules/'), requestHeaders(req), body),
        );
      }
      if (id && segments.length === 3 && method === 'GET') {
        return sendJson(res, 200, scheduleJson(findSchedule(id)));
      }
      if (id && segments.length === 3 && method === 'DELETE') {
        findSchedule(id);
        schedules.delete(id);
        log(`qstash: schedule ${id} deleted`);
        return sendJson(res, 200);
      }
      if (id && isAction && (method === 'PATCH' || method === 'POST')) {
        findSchedule(id).isPaused = action === 'pause';
        return sendJson(res, 200);
      }
    }
    if (segments[0] === 'v2' && segments[1] === 'messages' && segments.length === 3) {
      const id = segments[2] ?? '';
      const message = messages.get(id);
      if (!message) throw new HttpError(404, `message not found: ${id}`);
      if (method === 'GET') {
        return sendJson(res, 200, {
          messageId: message.messageId,
          url: message.url,
          method: message.method,
          header: multiValued(message.header),
          body: message.body.toString('utf8'),
          maxRetries: message.retries,
          notBefore: message.notBefore,
          createdAt: message.createdAt,
          ...(message.callback && { callback: message.callback }),
          ...(message.failureCallback && { failureCallback: message.failureCallback }),
          ...(message.scheduleId && { scheduleId: message.scheduleId }),
          ...(message.retryDelay && { retryDelayExpression: message.retryDelay.expression }),
        });
      }
      if (method === 'DELETE') {
        // An attempt already under way still completes, but nothing is retried afterwards.
        message.cancelled = true;
        clearTimeout(message.timer);
        if (!message.inFlight) messages.delete(id);
        log(`qstash: ${id} cancelled`);
        return sendJson(res, 200, { cancelled: 1 });
      }
    }
    throw new HttpError(
      /^\/v2\/(enqueue|queues|topics|dlq|flowControl|globalParallelism|logs|events|workflows)\b/.test(
        path,
      )
        ? 501
        : 404,
      `${method} ${path} is not emulated by local QStash`,
    );
  }

  const server = http.createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      const status =
        error instanceof HttpError
          ? error.status
          : error instanceof SyntaxError || error instanceof URIError
            ? 400
            : 500;
      if (status === 500) log(`qstash: internal error: ${(error as Error).stack ?? error}`);
      if (!res.headersSent) sendJson(res, status, { error: (error as Error).message });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  tick();
  log(`qstash: listening on ${url}`);

  return {
    url,
    port,
    deliveries,
    waitFor(pred, timeoutMs = 5000) {
      const past = deliveries.find(pred);
      if (past) return Promise.resolve(past);
      return new Promise((resolve, reject) => {
        const waiter = {
          pred,
          resolve,
          reject,
          timer: setTimeout(() => {
            waiters.delete(waiter);
            const seen = deliveries.map((d) => `${d.url} ${d.status} r${d.retried}`).join('; ');
            reject(
              new Error(`no matching delivery within ${timeoutMs} ms; seen: ${seen || 'none'}`),
            );
          }, timeoutMs),
        };
        waiters.add(waiter);
      });
    },
    signWith(key, target, body, signOpts) {
      return signDelivery(
        keys[key],
        target,
        new TextEncoder().encode(body),
        signOpts?.at ?? Date.now(),
      );
    },
    async runSchedule(scheduleId) {
      const schedule = schedules.get(scheduleId);
      if (!schedule) throw new Error(`schedule not found: ${scheduleId}`);
      return fire(schedule, Date.now());
    },
    async close() {
      if (closed) return;
      closed = true;
      clearTimeout(ticker);
      for (const message of messages.values()) {
        clearTimeout(message.timer);
        message.inFlight?.abort();
      }
      messages.clear();
      for (const waiter of waiters) {
        clearTimeout(waiter.timer);
        waiter.reject(new Error('local QStash closed'));
      }
      waiters.clear();
      agents.http.destroy();
      agents.https.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
