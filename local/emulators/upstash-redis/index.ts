import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Redis, ReplyError } from 'ioredis';
import { HttpError, listen, readJson, sendJson, stop } from '#local/emulators/http';

/**
 * A local stand-in for the Upstash Redis REST API, in front of a real Redis.
 *
 * It speaks what `@upstash/redis` sends: `POST /` with one command as a JSON array,
 * `POST /pipeline` and `POST /multi-exec` with an array of commands, `Authorization: Bearer`
 * (or `?_token=`), and `Upstash-Encoding: base64`. Path-style commands (`/set/foo/bar`) and the
 * streaming endpoints (subscribe, monitor) are not served.
 */

export interface UpstashRedisOptions {
  /** Port to listen on; 0 or absent picks a free one. */
  port?: number;
  token: string;
  /** @default 'redis://127.0.0.1:6379' */
  redisUrl?: string;
  /** Redis logical database, for test isolation. */
  db?: number;
}

export interface UpstashRedisServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

type Arg = string | number | boolean;
type Command = [string, ...Arg[]];
type Reply = { result: unknown } | { error: string };

/** Bounds how long a request waits for an in-flight connection attempt; a dead Redis must fail fast. */
const CONNECT_TIMEOUT_MS = 1_000;
/** Catches a Redis that accepts connections but stops answering. */
const COMMAND_TIMEOUT_MS = 5_000;

/**
 * Commands that would change the state of the connection every request shares, or take it
 * over. Upstash serves none of them on these endpoints; transactions go through `/multi-exec`.
 */
const CONNECTION_COMMANDS = new Set([
  'AUTH',
  'CLIENT',
  'DISCARD',
  'EXEC',
  'HELLO',
  'MONITOR',
  'MULTI',
  'PSUBSCRIBE',
  'PUNSUBSCRIBE',
  'QUIT',
  'RESET',
  'SELECT',
  'SSUBSCRIBE',
  'SUBSCRIBE',
  'SUNSUBSCRIBE',
  'UNSUBSCRIBE',
  'UNWATCH',
  'WATCH',
]);

export async function startUpstashRedis(opts: UpstashRedisOptions): Promise<UpstashRedisServer> {
  const redisUrl = opts.redisUrl ?? 'redis://127.0.0.1:6379';
  const redis = new Redis(redisUrl, {
    ...(opts.db === undefined ? {} : { db: opts.db }),
    // RESP2 replies are what Upstash returns (no RESP3 maps, doubles or booleans).
    protocol: 2,
    lazyConnect: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    commandTimeout: COMMAND_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: (times) => Math.min(times * 100, 1_000),
  });
  let warned = false;
  redis.on('error', (error: Error) => {
    if (!warned) console.warn(`[upstash-redis] Redis at ${redisUrl}: ${error.message}`);
    warned = true;
  });
  redis.on('ready', () => {
    warned = false;
  });
  // A Redis that is down at start is reported per request, not as a failed start.
  await redis.connect().catch(() => {});

  const expectedToken = digest(opts.token);

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const known = error instanceof HttpError;
      sendJson(res, known ? error.statusCode : 500, {
        error: known ? error.message : `ERR ${(error as Error).message}`,
      });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!authorized(req, url)) {
      throw new HttpError(401, 'Unauthorized');
    }
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      throw new HttpError(405, 'ERR only POST with a JSON body is supported');
    }
    const base64 = String(req.headers['upstash-encoding']).toLowerCase() === 'base64';
    const body = await readJson(req, 'ERR request body is not valid JSON');

    switch (url.pathname) {
      case '/': {
        const command = toCommand(body);
        await ensureReady();
        const reply = await run(command, base64);
        sendJson(res, 'error' in reply ? 400 : 200, reply);
        return;
      }
      case '/pipeline': {
        const commands = toCommands(body);
        await ensureReady();
        const replies = await Promise.all(commands.map((command) => run(command, base64)));
        sendJson(res, 200, replies);
        return;
      }
      case '/multi-exec': {
        const commands = toCommands(body);
        await ensureReady();
        sendJson(res, 200, await runAtomically(commands, base64));
        return;
      }
      default:
        throw new HttpError(404, `ERR unknown endpoint ${url.pathname}`);
    }
  }

  function authorized(req: IncomingMessage, url: URL): boolean {
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ')
      ? header.slice('Bearer '.length)
      : url.searchParams.get('_token');
    return token !== null && token !== undefined && timingSafeEqual(digest(token), expectedToken);
  }

  /** Waits for a connection attempt already under way; fails at once while Redis is down. */
  async function ensureReady(): Promise<void> {
    if (redis.status === 'ready') return;
    if (redis.status === 'wait') redis.connect().catch(() => {});
    if (redis.status === 'connecting' || redis.status === 'connect') {
      const ready = await new Promise<boolean>((resolve) => {
        const done = (ok: boolean) => {
          clearTimeout(timer);
          redis.off('ready', onReady);
          redis.off('error', onError);
          resolve(ok);
        };
        const onReady = () => done(true);
        const onError = () => done(false);
        const timer = setTimeout(onError, CONNECT_TIMEOUT_MS);
        redis.once('ready', onReady);
        redis.once('error', onError);
      });
      if (ready) return;
    }
    throw new HttpError(503, `ERR Redis at ${redisUrl} is unreachable`);
  }

  async function run([name, ...args]: Command, base64: boolean): Promise<Reply> {
    const refused = refuse(name);
    if (refused) return refused;
    try {
      const result = await redis.callBuffer(name.toUpperCase(), ...args.map(String));
      return { result: encode(result, base64, true) };
    } catch (error) {
      return { error: (error as Error).message };
    }
  }

  async function runAtomically(commands: Command[], base64: boolean): Promise<Reply[]> {
    for (const [name] of commands) {
      const refused = refuse(name);
      if (refused) throw new HttpError(400, refused.error);
    }
    const transaction = redis.multi();
    for (const [name, ...args] of commands) {
      transaction.callBuffer(name.toUpperCase(), ...args.map(String));
    }
    let results: [Error | null, unknown][] | null;
    try {
      results = await transaction.exec();
    } catch (error) {
      // EXECABORT: a command was rejected while queueing, so nothing ran.
      const previous = (error as { previousErrors?: Error[] }).previousErrors;
      const message = previous?.[0]?.message ?? (error as Error).message;
      throw new HttpError(error instanceof ReplyError ? 400 : 503, message);
    }
    if (!results) throw new HttpError(400, 'ERR transaction aborted');
    return results.map(([error, result]) =>
      error ? { error: error.message } : { result: encode(result, base64, true) },
    );
  }

  const port = await listen(server, opts.port);

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    async close() {
      redis.disconnect();
      await stop(server);
    },
  };
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

function refuse(name: string): { error: string } | undefined {
  const upper = name.toUpperCase();
  return CONNECTION_COMMANDS.has(upper)
    ? { error: `ERR command '${upper}' is not supported over REST` }
    : undefined;
}

/**
 * Turns a RESP2 reply into JSON the way Upstash does: integers stay numbers, nil is null, and
 * with base64 on every string is base64, except a bare top-level `OK` (the client relies on it).
 */
function encode(value: unknown, base64: boolean, topLevel: boolean): unknown {
  if (Buffer.isBuffer(value)) {
    if (!base64 || (topLevel && value.equals(OK))) return value.toString('utf8');
    return value.toString('base64');
  }
  if (typeof value === 'string') return encode(Buffer.from(value), base64, topLevel);
  if (Array.isArray(value)) return value.map((item) => encode(item, base64, false));
  // An error nested in an array reply (Lua `redis.pcall`) has no JSON form but its message.
  if (value instanceof Error) return encode(Buffer.from(value.message), base64, false);
  return value ?? null;
}

const OK = Buffer.from('OK');

function toCommand(value: unknown): Command {
  if (
    Array.isArray(value) &&
    typeof value[0] === 'string' &&
    value[0] !== '' &&
    value.every((arg) => ['string', 'number', 'boolean'].includes(typeof arg))
  ) {
    return value as Command;
  }
  throw new HttpError(400, 'ERR a command is a JSON array: [name, ...args]');
}

function toCommands(value: unknown): Command[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new HttpError(400, 'ERR expected a non-empty JSON array of commands');
  }
  return value.map(toCommand);
}
