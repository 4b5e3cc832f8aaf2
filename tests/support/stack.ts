import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import type { Role } from '#lib/auth/roles';
import { type LocalPaystack, startPaystack } from '#local/emulators/paystack/index';
import { type LocalQStash, startQStash } from '#local/emulators/qstash/index';
import { LOCAL_S3_CREDENTIALS, startS3 } from '#local/emulators/s3/index';
import { startUpstashRedis } from '#local/emulators/upstash-redis/index';
import type { Gateway } from '#local/runtime/gateway';
import type { WsGateway } from '#local/runtime/ws-gateway';
import { type ApiResponse, type CallOptions, call } from '#tests/support/api';
import { settleResponseChecks } from '#tests/support/response-checks';
import { type Session, signIn } from '#tests/support/sign-in';

/** A port nothing listens on, for a server to take. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

export interface LocalStack {
  gateway: Gateway;
  qstash: LocalQStash;
  /** The Paystack stand-in, whose webhooks go to this stack's gateway. */
  paystack: LocalPaystack;
  keys: { token: string; current: string; next: string };
  /** The lines written to this stack's outbox so far. */
  outbox(): Promise<Array<Record<string, unknown>>>;
  /** One request to this stack's API, as a client sends it. */
  api(method: string, path: string, options?: CallOptions): Promise<ApiResponse>;
  /** Signs in as a client does, reading the code from the outbox: a new phone, or `email`. */
  signIn(role: Role, email?: string): Promise<Session>;
  /** The local WebSocket API: where clients connect, and the functions' `@connections` URL. */
  ws: Pick<WsGateway, 'url' | 'callbackUrl'>;
  /** Opens a WebSocket to this stack as the app does (`?token=`); see `openWebSocket`. */
  connect(token?: string, options?: WsConnectOptions): Promise<WsClient>;
  /** Stops it all; fails, listing them, if any response it sent broke its route's contract. */
  close(): Promise<void>;
}

export interface WsConnectOptions {
  /** More query parameters for the upgrade request. */
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** Subprotocols to offer (`Sec-WebSocket-Protocol`). */
  protocols?: string[];
}

/** A WebSocket opened by a test, with what it received. */
export interface WsClient {
  socket: WebSocket;
  /** Every frame received, in order: parsed JSON, or the text of a frame that is not JSON. */
  frames: unknown[];
  /**
   * The first frame matching `pred` (default any) that no earlier `next` returned, received
   * already or within `timeoutMs` (default 5 s).
   */
  // biome-ignore lint/suspicious/noExplicitAny: frames are whatever JSON the server sent.
  next<T = any>(pred?: (frame: T) => boolean, timeoutMs?: number): Promise<T>;
  /** Sends a frame: a string as it is, anything else as JSON. */
  send(frame: unknown): void;
  /** Resolves with the close code and reason, whoever closed. */
  closed: Promise<{ code: number; reason: string }>;
  close(code?: number, reason?: string): Promise<{ code: number; reason: string }>;
}

/** A refused upgrade: the HTTP status and body the server answered instead. */
export class UpgradeRefused extends Error {
  readonly status: number;
  readonly body: string;
  constructor(status: number, body: string) {
    super(`the WebSocket upgrade was refused with ${status}: ${body}`);
    this.status = status;
    this.body = body;
  }
}

/**
 * Opens a WebSocket to `url` (with `?token=` when given) and resolves once it is open; a
 * refused upgrade rejects with `UpgradeRefused` (its `status`).
 */
export function openWebSocket(
  url: string,
  token?: string,
  options: WsConnectOptions = {},
): Promise<WsClient> {
  const target = new URL(url);
  if (token !== undefined) target.searchParams.set('token', token);
  for (const [k, v] of Object.entries(options.query ?? {})) target.searchParams.set(k, v);
  const socket = new WebSocket(target, options.protocols ?? [], {
    headers: options.headers ?? {},
  });
  const frames: unknown[] = [];
  const taken = new Set<number>();
  const waiters = new Set<() => void>();
  socket.on('message', (data) => {
    const text = data.toString();
    try {
      frames.push(JSON.parse(text));
    } catch {
      frames.push(text);
    }
    for (const wake of waiters) wake();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  const client: WsClient = {
    socket,
    frames,
    next(pred = () => true, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const look = () => {
          const i = frames.findIndex((f, index) => !taken.has(index) && pred(f as never));
          if (i === -1) return false;
          taken.add(i);
          waiters.delete(look);
          clearTimeout(timer);
          resolve(frames[i] as never);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(look);
          reject(new Error(`no matching frame in ${timeoutMs} ms; got ${JSON.stringify(frames)}`));
        }, timeoutMs);
        if (!look()) waiters.add(look);
      });
    },
    send: (frame) => socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
    closed,
    close(code, reason) {
      socket.close(code, reason);
      return closed;
    },
  };
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(client));
    socket.once('unexpected-response', (req, res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        reject(new UpgradeRefused(res.statusCode ?? 0, Buffer.concat(chunks).toString()));
        req.destroy();
      });
    });
    socket.on('error', reject);
  });
}

/**
 * The local API as `npm run dev` runs it (gateway and QStash), for API tests. The
 * environment is set before the gateway is imported, because the functions and the
 * modules a test imports afterwards read it at cold start. The gateway checks every
 * response against its route's contract, and `close()` fails on any that broke it.
 */
export async function startLocalStack(
  env: Record<string, string> = {},
  options: { cache?: 'live' | 'dead' | 'none' } = {},
): Promise<LocalStack> {
  const keys = {
    token: randomBytes(16).toString('hex'),
    current: randomBytes(16).toString('hex'),
    next: randomBytes(16).toString('hex'),
  };
  const qstash = await startQStash({
    token: keys.token,
    currentSigningKey: keys.current,
    nextSigningKey: keys.next,
    retryBackoffMs: () => 50,
  });
  const dir = await mkdtemp(path.join(tmpdir(), 'outbox-'));
  const closers: Array<() => Promise<void>> = [];
  const cacheEnv: Record<string, string> = {};
  if (options.cache === 'live' || options.cache === 'dead') {
    // A live cache is the real Redis behind the Upstash stand-in, in a logical database of
    // this worker's own; a dead one is the stand-in in front of a Redis that is not there.
    const db = Number(process.env.VITEST_POOL_ID ?? 1) % 16;
    const upstash = await startUpstashRedis({
      token: keys.token,
      db,
      ...(options.cache === 'dead' ? { redisUrl: 'redis://127.0.0.1:1' } : {}),
    });
    closers.push(() => upstash.close());
    cacheEnv.UPSTASH_REDIS_REST_URL = upstash.url;
    cacheEnv.UPSTASH_REDIS_REST_TOKEN = keys.token;
  }
  const s3 = await startS3({ buckets: ['test-private'], publicBuckets: ['test-public'] });
  closers.push(() => s3.close());
  const port = await freePort();
  const paystackKey = `sk_test_${randomBytes(20).toString('hex')}`;
  const paystack = await startPaystack({
    secretKey: paystackKey,
    webhookUrl: `http://127.0.0.1:${port}/webhooks/paystack`,
    retryDelaysMs: [100, 300, 1000],
    refundDelayMs: 50,
    transferDelayMs: 50,
  });
  closers.push(() => paystack.close());
  Object.assign(process.env, {
    PUBLIC_API_URL: `http://127.0.0.1:${port}`,
    QSTASH_URL: qstash.url,
    QSTASH_TOKEN: keys.token,
    QSTASH_CURRENT_SIGNING_KEY: keys.current,
    QSTASH_NEXT_SIGNING_KEY: keys.next,
    OUTBOX_FILE: path.join(dir, 'outbox.jsonl'),
    S3_ENDPOINT: s3.endpoint,
    S3_PUBLIC_BUCKET: 'test-public',
    S3_PRIVATE_BUCKET: 'test-private',
    CDN_BASE_URL: s3.cdnUrl('test-public'),
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: LOCAL_S3_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_S3_CREDENTIALS.secretAccessKey,
    PAYSTACK_BASE_URL: paystack.url,
    PAYSTACK_SECRET_KEY: paystackKey,
    ...cacheEnv,
    ...env,
  });
  // Before any function loads: they read WS_CALLBACK_URL at cold start.
  const { startWsGateway } = await import('#local/runtime/ws-gateway');
  const ws = await startWsGateway();
  process.env.WS_CALLBACK_URL = env.WS_CALLBACK_URL ?? ws.callbackUrl;
  const { startGateway } = await import('#local/runtime/gateway');
  const { chatPages } = await import('#local/runtime/pages');
  const gateway = await startGateway({
    port,
    pages: chatPages(ws.url),
    // Said at once, in the output of the test that sent the request; close() fails on it.
    onViolation: (violation) => console.error(`!! breaks its contract: ${violation}`),
  });
  const stack: LocalStack = {
    gateway,
    qstash,
    paystack,
    keys,
    async outbox() {
      const text = await readFile(path.join(dir, 'outbox.jsonl'), 'utf8').catch(() => '');
      return text
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l));
    },
    ws: { url: ws.url, callbackUrl: ws.callbackUrl },
    connect: (token, options) => openWebSocket(ws.url, token, options),
    async close() {
      await ws.close();
      await gateway.close();
      await qstash.close();
      for (const close of closers) await close();
      // A job that ran during close may still be appending to the outbox: retry the removal.
      await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
      await settleResponseChecks(gateway);
    },
    api: (method, path, options) => call(gateway.url, method, path, options),
    signIn: (role, email) => signIn(stack, role, email),
  };
  return stack;
}
