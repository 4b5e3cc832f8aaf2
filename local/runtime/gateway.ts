import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describeAuth } from '#lib/http/contract';
import { allowedOrigin, cors, parseOrigins } from '#lib/http/cors';
import { config } from '#lib/platform/config';
import { functionName, type Route, routeKey, routes } from '#lib/routes';
import {
  buildContext,
  buildHttpEvent,
  type HttpResponseParts,
  toHttpResponse,
} from '#local/runtime/apigw-event';
import { createFunctionLoader } from '#local/runtime/functions';
import type { Pages } from '#local/runtime/pages';
import { decodedBody, type ResponseChecks, responseProblems } from '#local/runtime/response-check';
import { createMatcher } from '#local/runtime/route-match';

/** API Gateway's own limit on a request body. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
/** API Gateway HTTP APIs stop waiting for an integration after 30 seconds. */
const MAX_INTEGRATION_SECONDS = 30;

export interface Gateway {
  url: string;
  port: number;
  /** Every response it sent for the API, checked against the contracts (response-check.ts). */
  readonly responses: ResponseChecks;
  close(): Promise<void>;
}

export interface GatewayOptions {
  port?: number;
  host?: string;
  log?: (line: string) => void;
  pages?: Pages;
  /** Default the route table's `routes`. */
  routes?: readonly Route[];
  /** Where a route's `fn` is found (`<dir>/<fn>.ts`); default `functions/`. */
  functionsDir?: string;
  /**
   * Told of each response that breaks its contract, as it is sent (the response goes out
   * unchanged); default a `!!` line in the log. Each is also kept in `responses.violations`.
   */
  onViolation?: (violation: string) => void;
}

/** The API's error envelope, for what the gateway itself refuses (as the functions answer). */
function refusal(status: number, code: string, message: string): HttpResponseParts {
  return {
    statusCode: status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: Buffer.from(JSON.stringify({ error: { code, message } })),
  };
}

/** What API Gateway itself answers when a function fails or does not answer in time. */
function integrationFailure(status: 500 | 503, message: string): HttpResponseParts {
  return {
    statusCode: status,
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(JSON.stringify({ message })),
  };
}

/** API Gateway HTTP APIs refuse a request line and headers over 10 KB in all. */
const MAX_HEAD_BYTES = 10 * 1024;

function headBytes(req: IncomingMessage): number {
  let bytes = (req.method ?? '').length + (req.url ?? '').length;
  for (let i = 0; i < req.rawHeaders.length; i++) bytes += req.rawHeaders[i]?.length ?? 0;
  return bytes;
}

function isWellEncoded(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

/** `code: message (path: why; ...)` of an error envelope, for the dev log; '' for anything else. */
function refusalOf(response: HttpResponseParts): string {
  try {
    const { error } = JSON.parse(decodedBody(response).toString('utf8')) as {
      error?: {
        code?: string;
        message?: string;
        details?: Array<{ path: string; message: string }>;
      };
    };
    if (!error?.code) return '';
    const details = error.details?.map((d) => `${d.path}: ${d.message}`).join('; ');
    return `${error.code}: ${error.message ?? ''}${details ? ` (${details})` : ''}`;
  } catch {
    return '';
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_PAYLOAD_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** API Gateway's preflight answer, from the same settings the stack gives it (lib/http/cors.ts). */
function corsPreflightHeaders(origin: string | undefined): Record<string, string> {
  const allow = allowedOrigin(parseOrigins(config.CORS_ORIGINS), origin);
  if (!allow) return {};
  return {
    'access-control-allow-origin': allow,
    'access-control-allow-methods': cors.allowMethods.join(','),
    'access-control-allow-headers': cors.allowHeaders.join(','),
    'access-control-max-age': String(cors.maxAgeSeconds),
  };
}

/**
 * A local stand-in for API Gateway's HTTP API: matches the route table, builds payload
 * format 2.0 events, invokes the route's function and maps its result back. Every response
 * of the API it sends, its own refusals included, is checked against the route's contract
 * first; what breaks it is reported (`onViolation`) and kept (`responses`), and still sent.
 */
export async function startGateway(options: GatewayOptions = {}): Promise<Gateway> {
  const match = createMatcher(options.routes ?? routes);
  const loader = createFunctionLoader(
    options.functionsDir ? { functionsDir: options.functionsDir } : {},
  );
  const log = options.log ?? (() => {});
  const onViolation =
    options.onViolation ?? ((violation: string) => log(`!! breaks its contract: ${violation}`));
  const checks = { checked: 0, violations: [] as string[] };

  const invoke = async (route: Route, event: unknown) => {
    const name = functionName(route.fn);
    const handler = await loader.load(route.fn);
    const timeout = Math.min(route.timeout, MAX_INTEGRATION_SECONDS);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeout * 1000);
    });
    try {
      return await Promise.race([
        handler(event, buildContext(name, route.memory, timeout)),
        timedOut,
      ]);
    } finally {
      clearTimeout(timer);
    }
  };

  // Larger than API Gateway's limit, so an oversized request reaches the handler and gets
  // the same answer API Gateway gives rather than Node's bare 431.
  const server = createServer({ maxHeaderSize: 64 * 1024 }, async (req, res) => {
    const started = performance.now();
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const path = url.split('?')[0] ?? '/';
    // Who answered and why a request was refused, so one function's log can be followed
    // (`npm run dev | grep -F <function-name>`).
    let servedBy = 'gateway';
    let why = '';
    let route: Route | undefined;
    res.on('finish', () => {
      const ms = Math.round(performance.now() - started);
      log(`${method} ${path} ${res.statusCode} ${ms}ms ${servedBy}${why ? ` ${why}` : ''}`);
    });
    /** Sends an answer of the API, once checked against the route's contract (if it has one). */
    const answer = (response: HttpResponseParts) => {
      const problems = responseProblems(route, response);
      checks.checked++;
      if (problems.length > 0) {
        const violation = `${method} ${path} ${response.statusCode} (${servedBy}): ${problems.join('; ')}`;
        checks.violations.push(violation);
        onViolation(violation);
      }
      res.writeHead(response.statusCode, response.headers);
      res.end(response.body);
    };
    const gatewayRefuses = (status: number, code: string, message: string) => {
      why = `refused: ${message}`;
      answer(refusal(status, code, message));
    };
    try {
      if (method === 'OPTIONS') {
        res.writeHead(204, corsPreflightHeaders(req.headers.origin));
        res.end();
        return;
      }
      if (headBytes(req) > MAX_HEAD_BYTES) {
        gatewayRefuses(
          431,
          'request_too_large',
          `The request line and headers exceed ${MAX_HEAD_BYTES} bytes.`,
        );
        return;
      }
      if (!isWellEncoded(path)) {
        gatewayRefuses(400, 'bad_request', 'The path has malformed percent-encoding.');
        return;
      }
      const page = await options.pages?.(method, path);
      if (page) {
        servedBy = 'page';
        res.writeHead(200, { 'content-type': page.type, 'cache-control': 'no-store' });
        res.end(page.body);
        return;
      }
      const found = match(method, path);
      if (!found) {
        gatewayRefuses(404, 'not_found', `No route for ${method} ${path}.`);
        return;
      }
      route = found.route;
      servedBy = functionName(route.fn);
      const body = await readBody(req);
      if (!body) {
        gatewayRefuses(
          413,
          'payload_too_large',
          `The request body exceeds ${MAX_PAYLOAD_BYTES} bytes.`,
        );
        return;
      }
      const event = buildHttpEvent(
        {
          method,
          url,
          headers: req.headers,
          body,
          sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        },
        routeKey(route),
        found.pathParameters,
      );
      const result = await invoke(route, event);
      if (result === 'timeout') {
        // What API Gateway answers when the integration does not answer in time; not the
        // envelope, so the check reports it: a function that times out is a bug here.
        why = `timed out after ${Math.min(route.timeout, MAX_INTEGRATION_SECONDS)} s`;
        answer(integrationFailure(503, 'Service Unavailable'));
        return;
      }
      const response = toHttpResponse(result);
      if (response.statusCode >= 400) why = refusalOf(response);
      answer(response);
    } catch (error) {
      // What API Gateway answers when the function itself fails (crash, bad export).
      why = 'function error';
      log(`function error in ${servedBy}: ${(error as Error).stack ?? String(error)}`);
      if (!res.headersSent) answer(integrationFailure(500, 'Internal Server Error'));
    }
  });
  // Past even the raised limit Node refuses before any handler: the envelope all the same.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return;
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    const body = JSON.stringify({
      error: tooLarge
        ? {
            code: 'request_too_large',
            message: `The request line and headers exceed ${MAX_HEAD_BYTES} bytes.`,
          }
        : { code: 'bad_request', message: 'The request is not valid HTTP.' },
    });
    log(`gateway refused a request: ${error.code ?? error.message}`);
    socket.end(
      `HTTP/1.1 ${tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request'}\r\n` +
        `content-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  });

  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve),
  );
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    responses: checks,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await loader.close();
    },
  };
}

export function describeRoutes(): string {
  const rows = routes.map((r) => {
    const auth = describeAuth(r.auth);
    return `  ${r.method.padEnd(6)} ${r.path.padEnd(44)} ${auth.padEnd(16)} functions/${r.fn}.ts`;
  });
  return rows.join('\n');
}
