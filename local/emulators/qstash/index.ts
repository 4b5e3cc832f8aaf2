/**
 * A local stand-in for Upstash QStash: it speaks the REST API the real `Client` from
 * `@upstash/qstash` uses (publish, batch, schedules, messages, keys) and delivers messages the way
 * QStash does, signed so the real `Receiver` accepts them. State lives in memory; nothing is
 * downloaded (the SDK's own dev mode fetches a binary, which we cannot do here).
 *
 * Not emulated: URL groups, queues (`/v2/enqueue`), flow control, DLQ and logs APIs, LLM/email
 * APIs. They answer 501 so a caller notices instead of silently losing messages.
 */
import http from 'node:http';
import { HttpError, listen, sendJson, stop } from '#local/emulators/http';
import { createQueue, type Delivery, defaultBackoffMs } from '#local/emulators/qstash/delivery';
import { route } from '#local/emulators/qstash/routes';
import { createSchedules } from '#local/emulators/qstash/schedules';
import { signDelivery } from '#local/emulators/qstash/signing';

export {
  type CronSpec,
  cronMatches,
  nextCronTime,
  parseCron,
} from '#local/emulators/qstash/cron';
export type { Delivery } from '#local/emulators/qstash/delivery';
export { compileRetryDelay, parseDuration } from '#local/emulators/qstash/durations';

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

export async function startQStash(opts: QStashOptions): Promise<LocalQStash> {
  const log = opts.log ?? (() => {});
  const keys = { current: opts.currentSigningKey, next: opts.nextSigningKey };
  const queue = createQueue({
    signingKey: keys.current,
    backoffMs: opts.retryBackoffMs ?? defaultBackoffMs,
    log,
    onSettled: (message, ok) => schedules.settle(message, ok),
  });
  const schedules = createSchedules(queue, log);
  const api = { token: opts.token, keys, queue, schedules };
  let closed = false;

  const server = http.createServer((req, res) => {
    route(api, req, res).catch((error: unknown) => {
      const status =
        error instanceof HttpError
          ? error.statusCode
          : error instanceof SyntaxError || error instanceof URIError
            ? 400
            : 500;
      if (status === 500) log(`qstash: internal error: ${(error as Error).stack ?? error}`);
      sendJson(res, status, { error: (error as Error).message });
    });
  });
  const port = await listen(server, opts.port);
  const url = `http://127.0.0.1:${port}`;
  schedules.start();
  log(`qstash: listening on ${url}`);

  return {
    url,
    port,
    deliveries: queue.deliveries,
    waitFor: queue.waitFor,
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
      return schedules.fire(schedule, Date.now());
    },
    async close() {
      if (closed) return;
      closed = true;
      schedules.stop();
      queue.close();
      await stop(server);
    },
  };
}
