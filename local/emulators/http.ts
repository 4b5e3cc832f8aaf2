/**
 * What every emulator's HTTP server needs: one error type for a refused request, reading a
 * body with a ceiling, answering JSON, and starting and stopping the server. Each emulator
 * still answers errors in its own service's format (S3's XML, QStash's `{ error }`, ...).
 */
import type { IncomingMessage, OutgoingHttpHeaders, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the emulator refuses: answered with `statusCode` and the message. */
export class HttpError extends Error {
  readonly statusCode: number;
  constructor(statusCode: number, message: string) {
    super(message);
    this.statusCode = statusCode;
  }
}

export const badRequest = (message: string) => new HttpError(400, message);

export interface ReadOptions {
  /** Past this many bytes reading stops, with `tooLarge`; default: no ceiling. */
  limit?: number;
  /** The error for a body past `limit`; default: a 413. */
  tooLarge?: (size: number, limit: number) => Error;
  /**
   * Leaves the request open after a refusal, so the caller can drain the rest and the client
   * reads the answer; by default the connection is dropped.
   */
  keepOpen?: boolean;
}

const bodyTooLarge = () => new HttpError(413, 'request body too large');

/** The whole request body, without buffering more than `limit` bytes of it. */
export async function readBody(req: IncomingMessage, options: ReadOptions = {}): Promise<Buffer> {
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req.iterator({ destroyOnReturn: !options.keepOpen })) {
    size += (chunk as Buffer).length;
    if (size > limit) throw (options.tooLarge ?? bodyTooLarge)(size, limit);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks, size);
}

/** The request body parsed as JSON; a body that is not JSON is a 400 with `invalid`. */
export async function readJson(
  req: IncomingMessage,
  invalid: string,
  options: ReadOptions = {},
): Promise<unknown> {
  const body = await readBody(req, options);
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw badRequest(invalid);
  }
}

/**
 * Answers with a body already serialised, or none, and its Content-Length. Nothing is sent
 * once the answer has started or the client has gone. A HEAD answer keeps the length and
 * leaves the body out.
 */
export function send(
  res: ServerResponse,
  statusCode: number,
  body?: string | Buffer,
  headers: OutgoingHttpHeaders = {},
): void {
  if (res.headersSent || res.destroyed) return;
  if (body === undefined) {
    res.writeHead(statusCode, headers).end();
    return;
  }
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  res.writeHead(statusCode, { ...headers, 'content-length': bytes.length });
  res.end(res.req.method === 'HEAD' ? undefined : bytes);
}

/** Answers `value` as JSON; without a value, an empty answer. */
export function sendJson(res: ServerResponse, statusCode: number, value?: unknown): void {
  if (value === undefined) send(res, statusCode);
  else send(res, statusCode, JSON.stringify(value), { 'content-type': 'application/json' });
}

/** Listens on `host` (default 127.0.0.1) and `port` (0: any free one); resolves to the port. */
export async function listen(server: Server, port = 0, host = '127.0.0.1'): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

/** Stops the server and ends its connections, kept-alive ones too. */
export async function stop(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // Clients keep connections alive; without this, close() waits for them to time out.
  server.closeAllConnections();
  await closed;
}
