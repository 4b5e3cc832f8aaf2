/**
 * Local stand-ins for Neon's two endpoints, in front of a real Postgres.
 *
 * HTTP mode (`neon()`, drizzle-orm/neon-http): the driver POSTs to `neonConfig.fetchEndpoint`
 * exactly as given when it is a string; a function is called as `(hostname, port, { jwtAuth })`
 * with the host and port of the connection string (port is `''` when the string has none) and
 * must return the full URL. The default is `https://api.<host minus its first label>/sql`.
 * Headers: `Neon-Connection-String` (scheme rewritten to `postgresql:`, `application_name`
 * added), `Neon-Raw-Text-Output: true`, `Neon-Array-Mode: true`, `Authorization: Bearer <token>`
 * with `authToken`, and for a batch `Neon-Batch-Isolation-Level`, `Neon-Batch-Read-Only`,
 * `Neon-Batch-Deferrable` when set. Body: `{query, params}` or `{queries: [{query, params}]}`,
 * params already serialised to strings or null. Answer 200 `{command, rowCount, rows, fields,
 * rowAsArray}` (a batch: `{results: [...]}`); 400 `{message, code, constraint, ...}` becomes a
 * NeonDbError with those fields; any other status (507 for an answer over 10 MiB) becomes
 * `Server error (HTTP status N): <body>`.
 *
 * WebSocket mode (`Pool`, `Client`, drizzle-orm/neon-serverless): `ws://<wsProxy(host, port)>`,
 * binary frames carry the raw Postgres protocol both ways.
 */
import { lookup } from 'node:dns/promises';
import { createServer, type IncomingMessage } from 'node:http';
import { isIP, type Socket, connect as tcpConnect } from 'node:net';
import type { Duplex } from 'node:stream';
import type { CustomTypesConfig, FieldDef, PoolClient, QueryArrayConfig } from 'pg';
import pg from 'pg';
import { type WebSocket, WebSocketServer } from 'ws';
import * as z from 'zod';
import { HttpError, listen, readJson, send, sendJson, stop } from '#local/emulators/http';

export type NeonProxy = {
  port: number;
  /** Full URL for `neonConfig.fetchEndpoint`. */
  fetchEndpoint: string;
  /** Value for `neonConfig.wsProxy`. */
  wsProxy: (host: string, port: number | string) => string;
  /** What HTTP mode has served: round trips and SQL statements, for benchmarks. */
  stats: { requests: number; statements: number };
  close(): Promise<void>;
};

const MAX_BODY_BYTES = 16 * 1024 * 1024;
// Neon's HTTP endpoint holds the whole answer in memory and refuses one past
// max_response_size_bytes (10 MiB by default) with 507, so a query that works here would fail there.
const MAX_RESPONSE_BYTES = 10 * 1024 * 1024;
const CONNECT_TIMEOUT_MS = 5_000;
const WS_HIGH_WATER_BYTES = 1024 * 1024;

const Statement = z.object({ query: z.string(), params: z.array(z.unknown()).default([]) });
const Body = z.union([z.object({ queries: z.array(Statement) }), Statement]);
type Statement = z.infer<typeof Statement>;

const ISOLATION_LEVELS: Record<string, string> = {
  ReadUncommitted: 'READ UNCOMMITTED',
  ReadCommitted: 'READ COMMITTED',
  RepeatableRead: 'REPEATABLE READ',
  Serializable: 'SERIALIZABLE',
};

const ERROR_FIELDS = [
  'severity',
  'code',
  'detail',
  'hint',
  'position',
  'internalPosition',
  'internalQuery',
  'where',
  'schema',
  'table',
  'column',
  'dataType',
  'constraint',
  'file',
  'line',
  'routine',
] as const;

const rawText: CustomTypesConfig = {
  getTypeParser: (() => (value: string) => value) as CustomTypesConfig['getTypeParser'],
};

// With Neon-Raw-Text-Output false Neon answers JSON values: numbers, booleans and JSON stay
// typed, everything else (int8, numeric, dates...) stays the Postgres text; arrays become arrays.
const TYPED_OIDS = new Set([
  16, 21, 23, 26, 114, 700, 701, 3802, 199, 1000, 1005, 1007, 1021, 1022, 1028, 3807,
]);
const STRING_ARRAY_OIDS = new Set([
  1001, 1009, 1014, 1015, 1016, 1115, 1182, 1183, 1185, 1187, 1231, 1270, 2951,
]);
const TEXT_ARRAY_OID: number = 1009;
const jsonValues: CustomTypesConfig = {
  getTypeParser: ((oid: number) => {
    if (TYPED_OIDS.has(oid)) return pg.types.getTypeParser(oid, 'text');
    if (STRING_ARRAY_OIDS.has(oid)) return pg.types.getTypeParser(TEXT_ARRAY_OID, 'text');
    return (value: string) => value;
  }) as CustomTypesConfig['getTypeParser'],
};

type Mode = { arrayMode: boolean; rawText: boolean };

/** One pool per connection string, and a way to stop a query running on one of its connections. */
type Backend = { pool: pg.Pool; cancel(pid: number): Promise<void> };

// pg sets `processID` from the server's BackendKeyData; @types/pg leaves it out.
type PooledClient = PoolClient & { processID: number };

type StatementResult = {
  command: string;
  rowCount: number | null;
  rows: unknown[];
  fields: FieldDef[];
  rowAsArray: boolean;
};

async function runStatement(
  client: PoolClient,
  statement: Statement,
  mode: Mode,
): Promise<StatementResult> {
  // The extended protocol refuses several statements in one string, as Neon's endpoint does.
  const config: QueryArrayConfig & { queryMode: 'extended' } = {
    text: statement.query,
    values: statement.params,
    rowMode: 'array',
    queryMode: 'extended',
    types: mode.rawText ? rawText : jsonValues,
  };
  const result = await client.query(config);
  const fields = result.fields ?? [];
  const rows = mode.arrayMode
    ? result.rows
    : result.rows.map((row) => Object.fromEntries(fields.map((f, i) => [f.name, row[i]])));
  return {
    command: result.command,
    rowCount: result.rowCount,
    rows,
    fields,
    rowAsArray: mode.arrayMode,
  };
}

function beginStatement(req: IncomingMessage): string {
  const parts = ['BEGIN'];
  const isolation = header(req, 'neon-batch-isolation-level');
  if (isolation !== undefined) {
    const level = ISOLATION_LEVELS[isolation];
    if (!level) throw new HttpError(400, `invalid Neon-Batch-Isolation-Level: ${isolation}`);
    parts.push(`ISOLATION LEVEL ${level}`);
  }
  // Neon reads anything but exactly `true` as false, and false as "not asked for", so the
  // database defaults apply.
  if (header(req, 'neon-batch-read-only') === 'true') parts.push('READ ONLY');
  if (header(req, 'neon-batch-deferrable') === 'true') parts.push('DEFERRABLE');
  return parts.join(' ');
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function isLoopback(address: string): boolean {
  return address.startsWith('127.') || address === '::1' || address === '::ffff:127.0.0.1';
}

/** Resolves `host` and refuses anything that is not this machine. */
async function loopbackAddress(host: string): Promise<string> {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  const address = isIP(bare) ? bare : (await lookup(bare).catch(() => undefined))?.address;
  if (!address || !isLoopback(address)) {
    throw new HttpError(403, `only loopback Postgres hosts are allowed, not ${host}`);
  }
  return address;
}

/** Serialises an answer, refusing one over Neon's size cap the way Neon does. */
function answer(body: unknown): string {
  const text = JSON.stringify(body);
  if (Buffer.byteLength(text) > MAX_RESPONSE_BYTES) {
    throw new HttpError(507, `response is too large (max is ${MAX_RESPONSE_BYTES} bytes)`);
  }
  return text;
}

/**
 * Runs `work` on a pooled connection, as Neon's HTTP endpoint does: if the client goes away
 * first, the running query is cancelled (otherwise it holds its connection until it ends on
 * its own), and a connection goes back to the pool only if it is idle, since one left inside a
 * transaction (a lone `BEGIN`) would run every later request in that transaction.
 */
async function onConnection<T>(
  backend: Backend,
  signal: AbortSignal,
  work: (client: PoolClient) => Promise<T>,
): Promise<T> {
  const client = (await backend.pool.connect()) as PooledClient;
  let cancelling: Promise<void> | undefined;
  const cancel = () => {
    cancelling = backend.cancel(client.processID);
  };
  try {
    signal.throwIfAborted();
    signal.addEventListener('abort', cancel, { once: true });
    return await work(client);
  } finally {
    signal.removeEventListener('abort', cancel);
    await cancelling;
    // A cancel that lands late would hit the next request's query on this connection.
    client.release(cancelling !== undefined || client.getTransactionStatus() !== 'I');
  }
}

function errorBody(error: pg.DatabaseError): Record<string, string> {
  const body: Record<string, string> = { message: error.message };
  for (const field of ERROR_FIELDS) {
    const value = error[field];
    if (value !== undefined) body[field] = value;
  }
  return body;
}

function endpointHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return isIP(host) === 6 ? `[${host}]` : host;
}

function parseAddress(address: string | null): { host: string; port: number } {
  const match = address?.match(/^(\[[^\]]+\]|[^:]+):(\d{1,5})$/);
  const port = Number(match?.[2]);
  if (!match?.[1] || !(port > 0 && port < 65536)) {
    throw new HttpError(400, 'expected ?address=host:port');
  }
  return { host: match[1], port };
}

function rejectUpgrade(socket: Duplex, status: number, message: string): void {
  if (socket.destroyed || socket.writableEnded) return;
  socket.end(
    `HTTP/1.1 ${status} ${message}\r\nConnection: close\r\nContent-Type: text/plain\r\n` +
      `Content-Length: ${Buffer.byteLength(message)}\r\n\r\n${message}`,
  );
}

/** Pipes one WebSocket to one TCP socket, with back-pressure both ways. */
function pipe(ws: WebSocket, tcp: Socket): void {
  tcp.on('data', (chunk) => {
    ws.send(chunk, () => {
      if (tcp.isPaused() && ws.bufferedAmount < WS_HIGH_WATER_BYTES) tcp.resume();
    });
    if (ws.bufferedAmount >= WS_HIGH_WATER_BYTES) tcp.pause();
  });
  ws.on('message', (data) => {
    const chunk = Buffer.isBuffer(data)
      ? data
      : Array.isArray(data)
        ? Buffer.concat(data)
        : Buffer.from(data);
    if (!tcp.write(chunk)) {
      ws.pause();
      tcp.once('drain', () => ws.resume());
    }
  });
  tcp.on('end', () => ws.close(1000));
  tcp.on('error', () => ws.terminate());
  tcp.on('close', () => {
    if (ws.readyState === ws.OPEN) ws.close(1000);
  });
  ws.on('close', () => tcp.end());
  ws.on('error', () => tcp.destroy());
}

export async function startNeonProxy(
  opts: { port?: number; host?: string } = {},
): Promise<NeonProxy> {
  const listenHost = opts.host ?? '127.0.0.1';
  const backends = new Map<string, Promise<Backend>>();
  const tcpSockets = new Set<Socket>();
  const wss = new WebSocketServer({ noServer: true });
  let closing = false;

  function backendFor(connectionString: string): Promise<Backend> {
    let backend = backends.get(connectionString);
    if (!backend) {
      backend = (async () => {
        let url: URL;
        try {
          url = new URL(connectionString);
        } catch {
          throw new HttpError(400, 'Neon-Connection-String is not a URL');
        }
        await loopbackAddress(url.hostname);
        // The local Postgres speaks plain TCP; TLS is Neon's business, not ours.
        for (const key of ['sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'channel_binding']) {
          url.searchParams.delete(key);
        }
        const pool = new pg.Pool({
          connectionString: url.href,
          max: 5,
          idleTimeoutMillis: 10_000,
          connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
          allowExitOnIdle: true,
        });
        pool.on('error', () => {});
        // From a connection of its own: the pool may be full of the very queries to cancel.
        const cancel = async (pid: number) => {
          const canceller = new pg.Client({
            connectionString: url.href,
            connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
          });
          canceller.on('error', () => {});
          // A cancel that fails leaves the query to end on its own; its connection is dropped
          // either way.
          await canceller
            .connect()
            .then(() => canceller.query('SELECT pg_cancel_backend($1)', [pid]))
            .catch(() => {});
          await canceller.end().catch(() => {});
        };
        return { pool, cancel };
      })();
      backends.set(connectionString, backend);
      backend.catch(() => backends.delete(connectionString));
    }
    return backend;
  }

  async function handleQuery(req: IncomingMessage, signal: AbortSignal): Promise<string> {
    const connectionString = header(req, 'neon-connection-string');
    if (!connectionString) throw new HttpError(400, 'missing Neon-Connection-String header');
    const mode: Mode = {
      arrayMode: header(req, 'neon-array-mode') === 'true',
      rawText: header(req, 'neon-raw-text-output') === 'true',
    };
    // Neon reads the transaction headers of every request, a single query's too.
    const begin = beginStatement(req);
    const parsed = Body.safeParse(
      await readJson(req, 'request body is not JSON', { limit: MAX_BODY_BYTES }),
    );
    if (!parsed.success) {
      throw new HttpError(400, 'expected {query, params} or {queries: [{query, params}]}');
    }
    const body = parsed.data;
    stats.requests++;
    stats.statements += 'queries' in body ? body.queries.length : 1;
    const backend = await backendFor(connectionString);
    if (!('queries' in body)) {
      return answer(await onConnection(backend, signal, (c) => runStatement(c, body, mode)));
    }
    return onConnection(backend, signal, async (client) => {
      await client.query(begin);
      try {
        const results: StatementResult[] = [];
        for (const statement of body.queries) {
          signal.throwIfAborted();
          results.push(await runStatement(client, statement, mode));
        }
        // Before COMMIT: Neon gives up on an oversized batch inside its transaction.
        const text = answer({ results });
        await client.query('COMMIT');
        return text;
      } catch (error) {
        // A failed ROLLBACK leaves the connection out of idle, so it is dropped, not reused.
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      }
    });
  }

  const stats = { requests: 0, statements: 0 };
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== '/sql') return sendJson(res, 404, { message: 'not found' });
    if (req.method !== 'POST') return sendJson(res, 405, { message: 'use POST' });
    // A driver that gives up (lib/db aborts its fetch at DB_TIMEOUT_MS) closes the socket
    // before the answer; that is all we see of it.
    const clientGone = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) clientGone.abort();
    });
    handleQuery(req, clientGone.signal).then(
      (text) => send(res, 200, text, { 'content-type': 'application/json' }),
      (error: unknown) => {
        if (error instanceof pg.DatabaseError) return sendJson(res, 400, errorBody(error));
        if (error instanceof HttpError) {
          return sendJson(res, error.statusCode, { message: error.message });
        }
        sendJson(res, 502, { message: `cannot reach Postgres: ${(error as Error).message}` });
      },
    );
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/v2') return rejectUpgrade(socket, 404, 'Not Found');
    let target: { host: string; port: number };
    try {
      target = parseAddress(url.searchParams.get('address'));
    } catch (error) {
      return rejectUpgrade(socket, 400, (error as Error).message);
    }
    loopbackAddress(target.host).then(
      (address) => {
        if (closing) return rejectUpgrade(socket, 503, 'Shutting Down');
        const tcp = tcpConnect({ host: address, port: target.port });
        tcpSockets.add(tcp);
        tcp.setNoDelay(true);
        tcp.setTimeout(CONNECT_TIMEOUT_MS, () => tcp.destroy(new Error('connect timeout')));
        let upgraded = false;
        tcp.on('error', () => {});
        tcp.on('close', () => {
          tcpSockets.delete(tcp);
          if (!upgraded) rejectUpgrade(socket, 502, 'Bad Gateway');
        });
        tcp.once('connect', () => {
          upgraded = true;
          tcp.setTimeout(0);
          // A handshake that ws rejects closes the socket without calling back.
          socket.once('close', () => tcp.destroy());
          wss.handleUpgrade(req, socket, head, (ws) => pipe(ws, tcp));
        });
      },
      (error: HttpError) => rejectUpgrade(socket, error.statusCode ?? 403, error.message),
    );
  });

  const port = await listen(server, opts.port, listenHost);
  const base = `${endpointHost(listenHost)}:${port}`;

  return {
    port,
    fetchEndpoint: `http://${base}/sql`,
    wsProxy: (host, port) => `${base}/v2?address=${host}:${port}`,
    stats,
    async close() {
      closing = true;
      const stopped = stop(server);
      for (const ws of wss.clients) ws.terminate();
      for (const tcp of tcpSockets) tcp.destroy();
      wss.close();
      const ending = [...backends.values()].map((b) =>
        b.then(({ pool }) => pool.end()).catch(() => {}),
      );
      backends.clear();
      await Promise.all([stopped, ...ending]);
    },
  };
}
