/**
 * Sends events the way Paystack does: a JSON POST of `{ event, data }` signed with
 * `x-paystack-signature` (hex HMAC-SHA512 of the raw body, keyed with the secret key), and
 * sent again on a schedule until the receiver answers 200 or the schedule runs out.
 */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';

export interface Delivery {
  event: string;
  url: string;
  /** 1 for the first attempt at an event, 2 for its first retry, ... */
  attempt: number;
  /** What the receiver answered; null when no answer came (refused, reset, timed out). */
  status: number | null;
  error?: string;
  /** When the attempt started, in epoch milliseconds. */
  at: number;
  /** The exact body sent, which the signature covers. */
  body: string;
  signature: string;
}

interface Outgoing {
  event: string;
  body: Buffer;
  signature: string;
  attempts: number;
  timer?: NodeJS.Timeout;
  inFlight?: AbortController;
}

/** A receiver that takes longer than this to answer counts as a failed attempt. */
const ATTEMPT_TIMEOUT_MS = 10_000;
/** A long `npm run dev` session must not keep every body it ever sent. */
const MAX_DELIVERIES_KEPT = 10_000;

export function signPayload(secretKey: string, body: Buffer | string): string {
  return createHmac('sha512', secretKey).update(body).digest('hex');
}

export interface WebhookOptions {
  url: string;
  secretKey: string;
  /** Wait before each retry; its length is the number of retries. */
  retryDelaysMs: number[];
  log: (line: string) => void;
}

export type Webhooks = ReturnType<typeof createWebhooks>;

export function createWebhooks({ url, secretKey, retryDelaysMs, log }: WebhookOptions) {
  const deliveries: Delivery[] = [];
  const outgoing = new Set<Outgoing>();
  // No keep-alive: close() must not leave sockets to the receiver open.
  const agents = { http: new http.Agent(), https: new https.Agent() };
  let closed = false;

  function post(body: Buffer, signature: string, signal: AbortSignal): Promise<number> {
    return new Promise((resolve, reject) => {
      const target = new URL(url);
      const isHttps = target.protocol === 'https:';
      const req = (isHttps ? https : http).request(
        target,
        {
          method: 'POST',
          signal,
          agent: isHttps ? agents.https : agents.http,
          headers: {
            'content-type': 'application/json',
            'content-length': String(body.length),
            'user-agent': 'Paystack-Local',
            'x-paystack-signature': signature,
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  async function attempt(message: Outgoing): Promise<void> {
    if (closed) return;
    message.attempts += 1;
    const at = Date.now();
    const controller = new AbortController();
    const timeout = AbortSignal.timeout(ATTEMPT_TIMEOUT_MS);
    message.inFlight = controller;
    let status: number | null = null;
    let error: string | undefined;
    try {
      status = await post(
        message.body,
        message.signature,
        AbortSignal.any([controller.signal, timeout]),
      );
    } catch (cause) {
      error = timeout.aborted
        ? `timed out after ${ATTEMPT_TIMEOUT_MS} ms`
        : (cause as Error).message;
    }
    message.inFlight = undefined;
    if (closed) return;
    deliveries.push({
      event: message.event,
      url,
      attempt: message.attempts,
      status,
      ...(error !== undefined && { error }),
      at,
      body: message.body.toString('utf8'),
      signature: message.signature,
    });
    if (deliveries.length > MAX_DELIVERIES_KEPT) {
      deliveries.splice(0, deliveries.length - MAX_DELIVERIES_KEPT);
    }
    log(`paystack: ${message.event} → ${url}: ${status ?? error} (attempt ${message.attempts})`);

    // Paystack counts only a 200 as delivered, not any 2xx.
    const delay = retryDelaysMs[message.attempts - 1];
    if (status === 200 || delay === undefined) {
      if (status !== 200) log(`paystack: gave up on ${message.event} after ${message.attempts}`);
      outgoing.delete(message);
      return;
    }
    message.timer = setTimeout(() => void attempt(message), delay);
  }

  function send(event: string, data: unknown): void {
    if (closed) return;
    const body = Buffer.from(JSON.stringify({ event, data }));
    const message: Outgoing = { event, body, signature: signPayload(secretKey, body), attempts: 0 };
    outgoing.add(message);
    void attempt(message);
  }

  /** Nothing is sent or retried afterwards; an attempt under way is abandoned. */
  function close(): void {
    closed = true;
    for (const message of outgoing) {
      clearTimeout(message.timer);
      message.inFlight?.abort();
    }
    outgoing.clear();
    agents.http.destroy();
    agents.https.destroy();
  }

  return { deliveries, send, close };
}
