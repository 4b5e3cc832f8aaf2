/**
 * The message queue: delivers each message when it is due, signed, retries it the way QStash
 * does (backoff, `Upstash-Retry-Delay`, `Retry-After`), deduplicates publishes, calls the
 * callbacks, hands what it gives up on to the DLQ, and records every attempt.
 */
import http from 'node:http';
import https from 'node:https';
import { compileRetryDelay, MAX_BACKOFF_MS } from '#local/emulators/qstash/durations';
import {
  type CallbackOptions,
  DEFAULT_RETRIES,
  type DeliveryOptions,
  multiValued,
} from '#local/emulators/qstash/publish';
import { randomId, signDelivery } from '#local/emulators/qstash/signing';

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

const DEDUPLICATION_WINDOW_MS = 10 * 60_000;
const MAX_TIMER_MS = 2 ** 31 - 1;
/** A long `npm run dev` session must not keep every body it ever delivered. */
const MAX_DELIVERIES_KEPT = 10_000;

/** A message as the state file keeps it: everything but the delivery under way. */
export interface MessageData extends DeliveryOptions {
  messageId: string;
  url: string;
  body: Buffer;
  notBefore: number;
  createdAt: number;
  scheduleId?: string;
  retried: number;
  /** When the next attempt is due: `notBefore`, then each retry's time. */
  dueAt: number;
}

export interface Message extends MessageData {
  timer?: NodeJS.Timeout;
  inFlight?: AbortController;
  cancelled?: boolean;
}

export function messageData(message: Message): MessageData {
  const { timer: _timer, inFlight: _inFlight, cancelled: _cancelled, ...data } = message;
  return data;
}

export interface Deduplication {
  messageId: string;
  url: string;
  expires: number;
}

export interface Answer {
  status: number | null;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  error?: string;
}

/** A message to deliver, as publish, batch, a schedule or a callback asks for it. */
export interface Enqueue {
  url: string;
  body: Buffer;
  options: DeliveryOptions;
  notBefore: number;
  scheduleId?: string;
  deduplicationKey?: string;
}

export function defaultBackoffMs(retried: number): number {
  return Math.min(MAX_BACKOFF_MS, Math.exp(2.5 * retried) * 1000);
}

/** `Retry-After` in seconds or as an HTTP date; QStash ignores values beyond one day. */
function retryAfterMs(value: string | string[] | undefined): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return undefined;
  const ms = /^\d+$/.test(text.trim()) ? Number(text) * 1000 : Date.parse(text) - Date.now();
  return Number.isFinite(ms) && ms <= MAX_BACKOFF_MS ? Math.max(0, ms) : undefined;
}

export interface QueueOptions {
  /** The key deliveries are signed with (QStash's current signing key). */
  signingKey: string;
  /** Wait before a retry, unless the message or the answer says otherwise. */
  backoffMs: (retried: number) => number;
  log: (line: string) => void;
  /** Called once a message is done with: delivered (`ok`), or given up on. */
  onSettled: (message: Message, ok: boolean) => void;
  /** Keeps a message given up on (not a cancelled one); answers its DLQ id. */
  deadLetter: (message: Message, answer: Answer) => string;
  /** Called after anything the state file holds has changed. */
  changed: () => void;
}

export type Queue = ReturnType<typeof createQueue>;

export function createQueue(opts: QueueOptions) {
  const { signingKey, backoffMs, log, onSettled, deadLetter, changed } = opts;
  const deliveries: Delivery[] = [];
  const messages = new Map<string, Message>();
  const deduplication = new Map<string, Deduplication>();
  const waiters = new Set<{
    pred: (d: Delivery) => boolean;
    resolve: (d: Delivery) => void;
    reject: (e: Error) => void;
    timer: NodeJS.Timeout;
  }>();
  // No keep-alive: close() must not leave sockets to destinations open.
  const agents = { http: new http.Agent(), https: new https.Agent() };
  let closed = false;

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
    const dueAt = Date.now() + wait;
    message.dueAt = dueAt;
    message.timer = setTimeout(
      () => {
        message.timer = undefined;
        // Node's timers may fire a millisecond early; QStash never delivers before its time.
        const left = dueAt - Date.now();
        if (left > 0) arm(message, left);
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
      'upstash-signature': await signDelivery(signingKey, message.url, message.body, at),
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
      changed();
      return;
    }
    message.retried += 1;
    const wait =
      retryAfterMs(answer.headers['retry-after']) ??
      (message.retryDelay
        ? compileRetryDelay(message.retryDelay)(message.retried - 1)
        : Math.max(0, backoffMs(message.retried)));
    log(`qstash: retrying ${message.messageId} in ${Math.round(wait)} ms`);
    arm(message, wait);
    changed();
  }

  function finish(message: Message, answer: Answer, ok: boolean): void {
    messages.delete(message.messageId);
    if (!ok) log(`qstash: ${message.messageId} failed after ${message.retried + 1} attempt(s)`);
    onSettled(message, ok);
    if (message.cancelled) return;
    const dlqId = ok ? undefined : deadLetter(message, answer);
    const callback = ok ? message.callback : message.failureCallback;
    if (!callback) return;
    const payload = {
      status: answer.status ?? 0,
      header: multiValued(answer.headers),
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
      ...(dlqId && { dlqId }),
      ...(answer.error && { error: answer.error }),
    };
    const settings: CallbackOptions | undefined = ok
      ? message.callbackOptions
      : message.failureCallbackOptions;
    enqueue({
      url: callback,
      body: Buffer.from(JSON.stringify(payload)),
      options: {
        method: 'POST',
        header: { ...settings?.header, 'content-type': 'application/json' },
        retries: settings?.retries ?? DEFAULT_RETRIES,
        retryDelay: settings?.retryDelay,
        timeoutMs: settings?.timeoutMs,
      },
      notBefore: Date.now() + (settings?.delayMs ?? 0),
    });
  }

  function enqueue(input: Enqueue): { messageId: string; url: string; deduplicated?: true } {
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
      dueAt: input.notBefore,
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
    changed();
    return { messageId: message.messageId, url: message.url };
  }

  /** Takes back what the state file kept: pending messages resume at their due time. */
  function restore(saved: { messages: MessageData[]; deduplication: [string, Deduplication][] }) {
    const now = Date.now();
    for (const [key, entry] of saved.deduplication) {
      if (entry.expires > now) deduplication.set(key, entry);
    }
    for (const data of saved.messages) {
      const message: Message = { ...data };
      messages.set(message.messageId, message);
      arm(message, message.dueAt - now);
    }
  }

  function waitFor(pred: (d: Delivery) => boolean, timeoutMs = 5000): Promise<Delivery> {
    const past = deliveries.find(pred);
    if (past) return Promise.resolve(past);
    return new Promise<Delivery>((resolve, reject) => {
      const waiter = {
        pred,
        resolve,
        reject,
        timer: setTimeout(() => {
          waiters.delete(waiter);
          const seen = deliveries.map((d) => `${d.url} ${d.status} r${d.retried}`).join('; ');
          reject(new Error(`no matching delivery within ${timeoutMs} ms; seen: ${seen || 'none'}`));
        }, timeoutMs),
      };
      waiters.add(waiter);
    });
  }

  /** An attempt already under way still completes, but nothing is retried afterwards. */
  function cancel(message: Message): void {
    message.cancelled = true;
    clearTimeout(message.timer);
    if (!message.inFlight) messages.delete(message.messageId);
    log(`qstash: ${message.messageId} cancelled`);
    changed();
  }

  /** The messages still to be delivered: pending, waiting for a retry, or in flight. */
  function pending(): Message[] {
    return [...messages.values()].filter((m) => !m.cancelled);
  }

  /** What the state file keeps of the queue. */
  function snapshot() {
    const now = Date.now();
    return {
      messages: pending().map(messageData),
      deduplication: [...deduplication].filter(([, entry]) => entry.expires > now),
    };
  }

  function close(): void {
    closed = true;
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
  }

  return {
    deliveries,
    get: (id: string) => (messages.get(id)?.cancelled ? undefined : messages.get(id)),
    pending,
    enqueue,
    waitFor,
    cancel,
    restore,
    snapshot,
    close,
  };
}
