/**
 * A local stand-in for Upstash QStash: it speaks the REST API the real `Client` from
 * `@upstash/qstash` uses (publish, batch, schedules, messages with bulk cancel, DLQ, keys) and
 * delivers messages the way QStash does, signed so the real `Receiver` accepts them. State lives
 * in memory, and in a JSON file too when `stateFile` is given, so a restart keeps it. Nothing is
 * downloaded (the SDK's own dev mode fetches a binary, which we cannot do here).
 *
 * Not emulated: URL groups, queues (`/v2/enqueue`), flow control, the logs and events APIs,
 * workflows, LLM/email APIs; they answer 501 so a caller notices instead of silently losing
 * messages. Publish headers for them (`Upstash-Queue-Name` on a schedule, flow control,
 * `Upstash-Redact-Fields`) are ignored.
 */
import http from 'node:http';
import { HttpError, listen, sendJson, stop } from '#local/emulators/http';
import { createQueue, type Delivery, defaultBackoffMs } from '#local/emulators/qstash/delivery';
import { createDlq } from '#local/emulators/qstash/dlq';
import { route } from '#local/emulators/qstash/routes';
import { createSchedules } from '#local/emulators/qstash/schedules';
import { signDelivery } from '#local/emulators/qstash/signing';
import { createStateFile } from '#local/emulators/qstash/state';

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
  /**
   * A JSON file that keeps pending messages (with their retry state), deduplication ids,
   * schedules and the DLQ across restarts: read at start, rewritten after changes. A missing
   * file is an empty state; an unreadable one is logged, moved aside, and the state starts empty.
   */
  stateFile?: string;
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
  const stateFile =
    opts.stateFile === undefined
      ? undefined
      : createStateFile(opts.stateFile, log, () => ({
          ...queue.snapshot(),
          schedules: schedules.snapshot(),
          dlq: dlq.snapshot(),
        }));
  const changed = stateFile?.changed ?? (() => {});
  const dlq = createDlq(log, changed);
  const queue = createQueue({
    signingKey: keys.current,
    backoffMs: opts.retryBackoffMs ?? defaultBackoffMs,
    log,
    onSettled: (message, ok) => schedules.settle(message, ok),
    deadLetter: dlq.add,
    changed,
  });
  const schedules = createSchedules(queue, log, changed);
  const saved = stateFile?.load();
  if (saved) {
    queue.restore(saved);
    schedules.restore(saved.schedules);
    dlq.restore(saved.dlq);
    log(
      `qstash: restored ${saved.messages.length} pending message(s), ${saved.schedules.length} schedule(s) and ${saved.dlq.length} DLQ message(s) from ${opts.stateFile}`,
    );
  }
  const api = { token: opts.token, keys, queue, schedules, dlq };
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
      // Before the queue drops its messages: the file keeps them, in-flight ones as pending.
      stateFile?.close();
      queue.close();
      await stop(server);
    },
  };
}
