/**
 * Embedded Postgres for `npm run dev` when nothing answers on 127.0.0.1:5432: PGlite (Postgres
 * compiled to WebAssembly, running inside this process) served over TCP by pglite-socket, so the
 * Neon stand-ins of local/emulators/neon reach it exactly as they reach a real server.
 *
 * PGlite is ONE Postgres session. pglite-socket lets many TCP connections share it by queueing
 * their protocol messages, but its queue keeps a connection's messages together only while an
 * explicit transaction is open. A query in the extended protocol (Parse, Bind, Describe,
 * Execute, Sync: every query with parameters) is not a transaction, so when two connections
 * are waiting (typically behind a third one's transaction) their messages interleave, one
 * connection binds the other's statement, and a query fails or, worse, returns wrong rows.
 * `SessionQueue` below replaces that queue: a connection keeps the session from its first
 * message until the database says it is idle again (ReadyForQuery with status `I`), which
 * covers both extended-protocol exchanges and transactions.
 *
 * What stays true of any single-session database: one transaction at a time, a query from
 * another connection waits until the open transaction ends, and code that waits for another
 * connection while it holds a transaction (an HTTP-mode query inside a WebSocket transaction)
 * waits forever, or until its client gives up. Session state (SET, temporary tables, named
 * prepared statements, advisory locks, LISTEN) is shared by every connection.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export type EmbeddedPostgres = {
  port: number;
  /** `postgres://postgres@127.0.0.1:PORT/postgres`; no password, any is accepted. */
  connectionString: string;
  close(): Promise<void>;
};

// Connections beyond this are dropped at accept; they cost nothing while idle.
const MAX_CONNECTIONS = 100;

const READY_FOR_QUERY = 0x5a;
const IDLE = 0x49;
const TERMINATE = 0x58;
const SYNC = Uint8Array.of(0x53, 0, 0, 0, 4);

type Job = {
  handlerId: number;
  /** A protocol message, or a reset after the connection went away. */
  message: Uint8Array | 'reset';
  onData: (data: Uint8Array) => void;
  resolve: (written: number) => void;
  reject: (error: Error) => void;
};

/** Ends with a ReadyForQuery message (`Z`, length 5, status) saying the session is idle. */
function endsIdle(tail: Uint8Array): boolean {
  return (
    tail.length === 6 &&
    tail[0] === READY_FOR_QUERY &&
    tail[1] === 0 &&
    tail[2] === 0 &&
    tail[3] === 0 &&
    tail[4] === 5 &&
    tail[5] === IDLE
  );
}

function lastBytes(previous: Uint8Array, data: Uint8Array, n: number): Uint8Array {
  if (data.length >= n) return data.slice(data.length - n);
  const joined = new Uint8Array(previous.length + data.length);
  joined.set(previous);
  joined.set(data, previous.length);
  return joined.slice(Math.max(0, joined.length - n));
}

/**
 * Gives the session to one connection at a time, from its first message until the database is
 * idle again. Same interface as pglite-socket's own QueryQueueManager, which its handlers call.
 */
class SessionQueue {
  readonly #db: PGlite;
  #jobs: Job[] = [];
  /** The connection holding the session; undefined when the session is idle. */
  #owner: number | undefined;
  #current: number | undefined;
  #running = false;
  #pumping: Promise<void> = Promise.resolve();

  constructor(db: PGlite) {
    this.#db = db;
  }

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void) {
    return new Promise<number>((resolve, reject) => {
      this.#jobs.push({ handlerId, message, onData, resolve, reject });
      this.#pump();
    });
  }

  getQueueLength(): number {
    return this.#jobs.length;
  }

  clearQueueForHandler(handlerId: number): void {
    this.#jobs = this.#jobs.filter((job) => {
      if (job.handlerId !== handlerId) return true;
      job.reject(new Error('Handler disconnected'));
      return false;
    });
  }

  /** Called when a connection goes away: ends whatever it left open, then frees the session. */
  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.#owner !== handlerId && this.#current !== handlerId) return;
    // Its detach must not fail: pglite-socket calls it without catching.
    await new Promise<number>((resolve, reject) => {
      this.#jobs.unshift({ handlerId, message: 'reset', onData: () => {}, resolve, reject });
      this.#pump();
    }).catch(() => {});
  }

  /** Resolves once no job is running or runnable; pending jobs of a busy owner may remain. */
  async settled(): Promise<void> {
    while (this.#running) await this.#pumping;
  }

  #next(): Job | undefined {
    const index =
      this.#owner === undefined ? 0 : this.#jobs.findIndex((j) => j.handlerId === this.#owner);
    return index < 0 ? undefined : this.#jobs.splice(index, 1)[0];
  }

  #pump(): void {
    // The flag is set and cleared synchronously with the queue checks, so a job enqueued by a
    // handler while the loop winds down is never left behind.
    if (this.#running) return;
    this.#running = true;
    this.#pumping = this.#drain();
  }

  async #drain(): Promise<void> {
    try {
      for (let job = this.#next(); job; job = this.#next()) {
        this.#current = job.handlerId;
        try {
          const { written, idle } = await this.#run(job);
          if (idle !== undefined) this.#owner = idle ? undefined : job.handlerId;
          job.resolve(written);
        } catch (error) {
          // A rejected handler drops its connection, and its detach queues a reset; until then
          // the session stays with it.
          this.#owner = job.message === 'reset' ? undefined : job.handlerId;
          job.reject(error as Error);
        }
        this.#current = undefined;
      }
    } finally {
      this.#running = false;
    }
  }

  /** `idle` is undefined when the answer says nothing about the session's state. */
  async #run(job: Job): Promise<{ written: number; idle: boolean | undefined }> {
    const db = this.#db;
    if (job.message === 'reset') {
      // execProtocolRaw would write to the previous stream's callback, i.e. another socket.
      const discard = { onRawData: () => {} };
      await db.runExclusive(async () => {
        // A Sync ends an unfinished extended-protocol exchange (and its error state).
        await db.execProtocolRawStream(SYNC, discard);
        if (db.isInTransaction()) await db.execProtocolRawStream(simpleQuery('ROLLBACK'), discard);
      });
      return { written: 0, idle: true };
    }
    const message = job.message;
    // PGlite ignores Terminate, and pglite-socket keeps the socket open. The Neon driver never
    // closes its WebSocket itself (its end callback is lost), it waits for the server to hang up
    // as Postgres does; without this every Pool.end() would leave a connection behind.
    if (message[0] === TERMINATE) throw new Error('Terminate');
    let written = 0;
    let tail: Uint8Array = new Uint8Array(0);
    await db.runExclusive(() =>
      db.execProtocolRawStream(message, {
        onRawData: (data) => {
          written += data.length;
          tail = lastBytes(tail, data, 6);
          job.onData(data);
        },
      }),
    );
    // A message answered with nothing (anything after an error until Sync, or a Flush with
    // nothing pending) leaves the session where it was.
    return { written, idle: written === 0 ? undefined : endsIdle(tail) };
  }
}

function simpleQuery(sql: string): Uint8Array {
  const text = Buffer.from(`${sql}\0`);
  const message = Buffer.alloc(5 + text.length);
  message.write('Q', 0);
  message.writeInt32BE(4 + text.length, 1);
  text.copy(message, 5);
  return message;
}

/**
 * Starts PGlite with btree_gist available (`CREATE EXTENSION btree_gist` still has to run, as
 * the migrations do) and serves it on 127.0.0.1. Without `dataDir` the database lives in memory
 * and is gone on close.
 */
export async function startPglite(
  opts: { dataDir?: string; port?: number } = {},
): Promise<EmbeddedPostgres> {
  const dataDir = opts.dataDir === undefined ? undefined : path.resolve(opts.dataDir);
  // PGlite creates the directory itself, but not its parents.
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const db = await PGlite.create({ dataDir, extensions: { btree_gist } });
  const queue = new SessionQueue(db);
  const server = new PGLiteSocketServer({
    db,
    host: '127.0.0.1',
    port: opts.port ?? 0,
    maxConnections: MAX_CONNECTIONS,
  });
  // The server hands its queue to each connection's handler; the field is private, so check
  // that it is still there rather than silently keep the interleaving queue after an upgrade.
  const internals = server as unknown as { queryQueue?: { enqueue?: unknown } };
  if (typeof internals.queryQueue?.enqueue !== 'function') {
    await db.close();
    throw new Error(
      '@electric-sql/pglite-socket changed its internals; revisit local/emulators/pglite',
    );
  }
  internals.queryQueue = queue as unknown as typeof internals.queryQueue;

  try {
    await server.start();
  } catch (error) {
    await db.close();
    throw error;
  }
  const port = Number(server.getServerConn().split(':').pop());

  let closing: Promise<void> | undefined;
  return {
    port,
    connectionString: `postgres://postgres@127.0.0.1:${port}/postgres`,
    close() {
      closing ??= (async () => {
        await server.stop();
        await queue.settled();
        await db.close();
      })();
      return closing;
    },
  };
}
