import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { config } from '#lib/config';
import { functionName, type Route, routeKey, routes } from '#lib/routes';
import { buildContext, buildHttpEvent, toHttpResponse } from '#local/apigw-event';
import { createFunctionLoader } from '#local/functions';
import { createMatcher } from '#local/route-match';

/** API Gateway's own limit on a request body. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
/** API Gateway HTTP APIs stop waiting for an integration after 30 seconds. */
const MAX_INTEGRATION_SECONDS = 30;

export interface Gateway {
  url: string;
  port: number;
  close(): Promise<void>;
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
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

function corsPreflightHeaders(origin: string | undefined): Record<string, string> {
  const allowed = config.CORS_ORIGINS.split(',').map((o) => o.trim());
  const allow = allowed.includes('*')
    ? '*'
    : origin && allowed.includes(origin)
      ? origin
      : undefined;
  if (!allow) return {};
  return {
    'access-control-allow-origin': allow,
    'access-control-allow-methods': 'GET,POST,PUT,PATCH,DELETE,OPTIONS',
    'access-control-allow-headers': 'authorization,content-type',
    'access-control-max-age': '600',
  };
}

/**
 * A local stand-in for API Gateway's HTTP API: matches the route table, builds payload
 * format 2.0 events, invokes the route's function and maps its result back.
 */
export async function startGateway(
  options: { port?: number; host?: string; log?: (line: string) => void } = {},
): Promise<Gateway> {
  const match = createMatcher(routes);
  const loader = createFunctionLoader();
  const log = options.log ?? (() => {});

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

  const server = createServer(async (req, res) => {
    const started = performance.now();
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const path = url.split('?')[0] ?? '/';
    res.on('finish', () => {
      log(`${method} ${path} ${res.statusCode} ${Math.round(performance.now() - started)}ms`);
    });
    try {
      if (method === 'OPTIONS') {
        res.writeHead(204, corsPreflightHeaders(req.headers.origin));
        res.end();
        return;
      }
      const found = match(method, path);
      if (!found) {
        sendJson(res, 404, {
          error: { code: 'not_found', message: `No route for ${method} ${path}.` },
        });
        return;
      }
      const body = await readBody(req);
      if (!body) {
        sendJson(res, 413, { message: 'Request Entity Too Large' });
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
        routeKey(found.route),
        found.pathParameters,
      );
      const result = await invoke(found.route, event);
      if (result === 'timeout') {
        sendJson(res, 503, { message: 'Service Unavailable' });
        return;
      }
      const response = toHttpResponse(result);
      res.writeHead(response.statusCode, response.headers);
      res.end(response.body);
    } catch (error) {
      // What API Gateway answers when the function itself fails (crash, bad export).
      log(`function error: ${(error as Error).stack ?? String(error)}`);
      if (!res.headersSent) sendJson(res, 500, { message: 'Internal Server Error' });
    }
  });

  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve),
  );
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await loader.close();
    },
  };
}

export function describeRoutes(): string {
  const rows = routes.map((r) => {
    const auth = typeof r.auth === 'string' ? r.auth : r.auth.join('|');
    return `  ${r.method.padEnd(6)} ${r.path.padEnd(44)} ${auth.padEnd(16)} functions/${r.fn}.ts`;
  });
  return rows.join('\n');
}
