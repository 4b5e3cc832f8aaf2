/**
 * The dead letter queue: messages whose retries ran out (or that the destination refused with a
 * non-retryable 489), kept with the last answer until they are retried or deleted.
 */
import { HttpError } from '#local/emulators/http';
import {
  type Answer,
  type Message,
  type MessageData,
  messageData,
} from '#local/emulators/qstash/delivery';
import type { Filterable } from '#local/emulators/qstash/filters';
import { multiValued } from '#local/emulators/qstash/publish';
import { randomId } from '#local/emulators/qstash/signing';

/** QStash bounds its DLQ by a retention period; a count is the simpler bound for a dev box. */
const MAX_DEAD_LETTERS = 10_000;

export interface DeadLetter {
  dlqId: string;
  /** Arrival order; a list's cursor is the last one it returned. */
  seq: number;
  message: MessageData;
  /** Absent when no answer came (connection error, timeout). */
  responseStatus?: number;
  responseHeader: Record<string, string[]>;
  responseBody: Buffer;
}

export interface Page {
  entries: DeadLetter[];
  cursor?: string;
}

export type Dlq = ReturnType<typeof createDlq>;

export function createDlq(log: (line: string) => void, changed: () => void) {
  const entries = new Map<string, DeadLetter>();
  let lastSeq = 0;

  function add(message: Message, answer: Answer): string {
    const entry: DeadLetter = {
      dlqId: randomId('dlq'),
      seq: ++lastSeq,
      message: messageData(message),
      ...(answer.status !== null && { responseStatus: answer.status }),
      responseHeader: multiValued(answer.headers),
      responseBody: answer.body,
    };
    entries.set(entry.dlqId, entry);
    for (const oldest of entries.keys()) {
      if (entries.size <= MAX_DEAD_LETTERS) break;
      entries.delete(oldest);
    }
    log(`qstash: ${message.messageId} moved to the DLQ as ${entry.dlqId}`);
    changed();
    return entry.dlqId;
  }

  function find(dlqId: string): DeadLetter {
    const entry = entries.get(dlqId);
    if (!entry) throw new HttpError(404, `DLQ message not found: ${dlqId}`);
    return entry;
  }

  /** One page of the entries `match` accepts, after `cursor`, oldest first unless `latestFirst`. */
  function page(
    match: ((r: Filterable) => boolean) | undefined,
    opts: { count: number; cursor?: string | null; latestFirst?: boolean },
  ): Page {
    const after = opts.cursor ? Number(opts.cursor) : undefined;
    const all = [...entries.values()];
    if (opts.latestFirst) all.reverse();
    const matching = all.filter(
      (e) =>
        (after === undefined || (opts.latestFirst ? e.seq < after : e.seq > after)) &&
        (!match || match(filterable(e))),
    );
    const taken = matching.slice(0, opts.count);
    const last = taken.at(-1);
    return {
      entries: taken,
      ...(matching.length > taken.length && last && { cursor: String(last.seq) }),
    };
  }

  function remove(dlqIds: string[]): number {
    let deleted = 0;
    for (const id of dlqIds) if (entries.delete(id)) deleted += 1;
    if (deleted) changed();
    return deleted;
  }

  function restore(saved: DeadLetter[]): void {
    for (const entry of saved) {
      entries.set(entry.dlqId, entry);
      lastSeq = Math.max(lastSeq, entry.seq);
    }
  }

  return {
    add,
    find,
    page,
    /** The entries with these ids, in the order given; unknown ids are skipped. */
    pick: (dlqIds: string[]) => dlqIds.flatMap((id) => entries.get(id) ?? []),
    remove,
    restore,
    snapshot: () => [...entries.values()],
  };
}

function filterable(e: DeadLetter): Filterable {
  return { ...e.message, responseStatus: e.responseStatus };
}
