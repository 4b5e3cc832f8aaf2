/**
 * The state file: what a restart must not lose (pending messages with their retry state,
 * deduplication ids, schedules and the DLQ), as JSON, so a message due tomorrow is still
 * delivered after `npm run dev` has been stopped and started again.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseCron } from '#local/emulators/qstash/cron';
import type { Deduplication, MessageData } from '#local/emulators/qstash/delivery';
import type { DeadLetter } from '#local/emulators/qstash/dlq';
import { compileRetryDelay } from '#local/emulators/qstash/durations';
import type { DeliveryOptions } from '#local/emulators/qstash/publish';
import type { ScheduleData } from '#local/emulators/qstash/schedules';

export interface State {
  messages: MessageData[];
  deduplication: [string, Deduplication][];
  schedules: ScheduleData[];
  dlq: DeadLetter[];
}

const VERSION = 1;
/** Changes this close together share one write. */
const COALESCE_MS = 20;

type Json = Record<string, unknown>;

const toBase64 = (bytes: Buffer) => bytes.toString('base64');

function fromBase64(value: unknown, what: string): Buffer {
  if (typeof value !== 'string') throw new Error(`${what} has no body`);
  return Buffer.from(value, 'base64');
}

function list(raw: Json, key: string): Json[] {
  const value = raw[key];
  if (!Array.isArray(value) || !value.every((v) => v && typeof v === 'object')) {
    throw new Error(`"${key}" is not a list of objects`);
  }
  return value as Json[];
}

function need(record: Json, keys: string[], what: string): void {
  for (const key of keys) {
    if (record[key] === undefined) throw new Error(`${what} has no ${key}`);
  }
}

/** Expressions are compiled when a retry is due; one that cannot be must fail here instead. */
function checkRetryDelays(options: DeliveryOptions): void {
  for (const o of [options, options.callbackOptions, options.failureCallbackOptions]) {
    if (o?.retryDelay !== undefined) compileRetryDelay(String(o.retryDelay));
  }
}

function encode(state: State): string {
  return JSON.stringify({
    version: VERSION,
    messages: state.messages.map((m) => ({ ...m, body: toBase64(m.body) })),
    deduplication: state.deduplication,
    schedules: state.schedules.map((s) => ({ ...s, body: toBase64(s.body) })),
    dlq: state.dlq.map((e) => ({
      ...e,
      message: { ...e.message, body: toBase64(e.message.body) },
      responseBody: toBase64(e.responseBody),
    })),
  });
}

/** The file's state; throws on anything it cannot trust, so the caller starts empty instead. */
function decode(text: string): State {
  const raw = JSON.parse(text) as Json | null;
  if (!raw || raw.version !== VERSION) throw new Error(`not a version ${VERSION} state file`);
  const message = (m: Json, what: string): MessageData => {
    need(m, ['messageId', 'url', 'method', 'header', 'dueAt'], what);
    checkRetryDelays(m as unknown as MessageData);
    return { ...(m as unknown as MessageData), body: fromBase64(m.body, what) };
  };
  return {
    messages: list(raw, 'messages').map((m) => message(m, 'a message')),
    deduplication: list(raw, 'deduplication') as unknown as [string, Deduplication][],
    schedules: list(raw, 'schedules').map((s) => {
      need(s, ['scheduleId', 'cron', 'destination', 'method', 'header'], 'a schedule');
      parseCron(String(s.cron));
      checkRetryDelays(s as unknown as ScheduleData);
      return { ...(s as unknown as ScheduleData), body: fromBase64(s.body, 'a schedule') };
    }),
    dlq: list(raw, 'dlq').map((e) => {
      need(e, ['dlqId', 'seq', 'message', 'responseHeader'], 'a DLQ message');
      return {
        ...(e as unknown as DeadLetter),
        message: message(e.message as Json, 'a DLQ message'),
        responseBody: fromBase64(e.responseBody, 'a DLQ response'),
      };
    }),
  };
}

/**
 * Reads the state at start and writes it after changes: the whole state each time, to a
 * temporary file renamed over the old one, so a crash mid-write leaves the previous state.
 */
export function createStateFile(file: string, log: (line: string) => void, current: () => State) {
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  function write(): void {
    timer = undefined;
    const temporary = `${file}.${process.pid}.tmp`;
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(temporary, encode(current()));
      renameSync(temporary, file);
    } catch (error) {
      log(`qstash: could not write the state file ${file}: ${(error as Error).message}`);
    }
  }

  /**
   * The saved state; undefined when there is none. A file that cannot be read as one is moved
   * aside (kept for a look, not overwritten) and the server starts empty rather than crash.
   */
  function load(): State | undefined {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      log(
        `qstash: could not read the state file ${file}: ${(error as Error).message}; starting empty`,
      );
      return undefined;
    }
    try {
      return decode(text);
    } catch (error) {
      const aside = `${file}.corrupt`;
      let kept = `kept as ${aside}`;
      try {
        renameSync(file, aside);
      } catch {
        kept = 'it will be overwritten';
      }
      log(
        `qstash: state file ${file} is unreadable (${(error as Error).message}); starting empty, ${kept}`,
      );
      return undefined;
    }
  }

  return {
    load,
    changed(): void {
      if (!closed && !timer) timer = setTimeout(write, COALESCE_MS);
    },
    /** Writes what is pending now; nothing is written after. */
    close(): void {
      if (closed) return;
      closed = true;
      clearTimeout(timer);
      write();
    },
  };
}
