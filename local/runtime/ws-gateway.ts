import { createServer, type IncomingMessage, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { functionName, type WsRoute, wsRoutes } from '#lib/routes';
import { listen, stop } from '#local/emulators/http';
import { buildContext, toHttpResponse } from '#local/runtime/apigw-event';
import { createConnectionsApi } from '#local/runtime/connections-api';
import { createFunctionLoader } from '#local/runtime/functions';
import {
  apiGatewayId,
  buildConnectEvent,
  buildDisconnectEvent,
  buildMessageEvent,
  closeReason,
  selectRoute,
  type WsConnectionInfo,
  type WsLambdaEvent,
} from '#local/runtime/ws-event';

/** API Gateway's WebSocket quotas: message payload, idle and total connection time. */
const MAX_MESSAGE_BYTES = 128 * 1024;
const IDLE_TIMEOUT_MS = 10 * 60 * 1000;
const MAX_LIFETIME_MS = 2 * 60 * 60 * 1000;
/** A WebSocket API stops waiting for an integration after 29 seconds. */
const MAX_INTEGRATION_SECONDS = 29;
/** How long a closing socket may take to answer the close frame before it is cut. */
const CLOSE_GRACE_MS = 1000;

/** A route as the gateway needs it; the route table's entries (WsRoute) are ones. */
export type WsGatewayRoute = Pick<WsRoute, 'routeKey' | 'fn'> &
  Partial<Pick<WsRoute, 'auth' | 'memory' | 'timeout'>>;

export interface WsGatewayOptions {
  /** Default 0: any free port. */
  port?: number;
  host?: string;
  /** The stage in the callback URL's path; default `local`. */
  stage?: string;
  /** Default `WS_IDLE_SECONDS`, else 10 minutes. */
  idleTimeoutMs?: number;
  /** Default `WS_MAX_SECONDS`, else 2 hours. */
  maxLifetimeMs?: number;
  /** Default the route table's `wsRoutes`. */
  routes?: readonly WsGatewayRoute[];
  /** Where a route's `fn` is found (`<dir>/<fn>.ts`); default `functions/`. */
  functionsDir?: string;
  log?: (line: string) => void;
}

export interface WsGateway {
  /** Where clients connect: `ws://127.0.0.1:<port>` (`/<stage>` works too). */
  url: string;
  /** The `@connections` endpoint for the functions (WS_CALLBACK_URL): `http://…/<stage>`. */
  callbackUrl: string;
  port: number;
  /** The ids of the open connections. */
  connections(): string[];
  close(): Promise<void>;
}

interface Connection extends WsConnectionInfo {
  socket: WebSocket;
  lastActiveAt: number;
  /** Set when the gateway starts the close: the code and reason `$disconnect` reports. */
  closing?: { code: number; reason: string };
  disconnected: boolean;
  /** Restarted by every frame from the client. */
  idleTimer?: NodeJS.Timeout;
  lifetimeTimer?: NodeJS.Timeout;
}

/** The close code `ws` answers a broken frame with; anything else is the socket failing. */
const WS_ERROR_CLOSE_CODES: Record<string, number> = {
  WS_ERR_UNSUPPORTED_MESSAGE_LENGTH: 1009,
  WS_ERR_INVALID_UTF8: 1007,
};
const closeCodeOf = (error: Error & { code?: string }) =>
  WS_ERROR_CLOSE_CODES[error.code ?? ''] ?? (error.code?.startsWith('WS_ERR_') ? 1002 : 1006);

const stopTimers = (conn: Connection) => {
  clearTimeout(conn.idleTimer);
  clearTimeout(conn.lifetimeTimer);
};

/** A duration from the environment, in seconds (fractions allowed, for tests). */
function envMs(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new Error(`${name} must be a positive number of seconds, not ${raw}`);
  return seconds * 1000;
}

/** Answers an upgrade with an HTTP status instead of a WebSocket, as API Gateway does. */
function refuseUpgrade(
  socket: Duplex,
  status: number,
  headers: Record<string, string | string[]> = {},
  body: Buffer = Buffer.alloc(0),
) {
  if (!socket.writable) return;
  const lines = [`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`];
  for (const [name, value] of Object.entries(headers)) {
    if (name === 'content-length' || name === 'connection') continue;
    for (const v of Array.isArray(value) ? value : [value]) lines.push(`${name}: ${v}`);
  }
  lines.push(`content-length: ${body.length}`, 'connection: close');
  socket.end(Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`), body]));
}

/**
 * A local stand-in for API Gateway's WebSocket API: `$connect` decides the upgrade, frames
 * are routed on `$request.body.action`, every close invokes `$disconnect` once, and the
 * stage's `@connections` API answers on the same port. The route functions are loaded as
 * the HTTP gateway loads its own (each its own esbuild bundle and module state).
 */
export async function startWsGateway(options: WsGatewayOptions = {}): Promise<WsGateway> {
  const stage = options.stage ?? 'local';
  const idleTimeoutMs = options.idleTimeoutMs ?? envMs('WS_IDLE_SECONDS') ?? IDLE_TIMEOUT_MS;
  const maxLifetimeMs = options.maxLifetimeMs ?? envMs('WS_MAX_SECONDS') ?? MAX_LIFETIME_MS;
  const routes = options.routes ?? wsRoutes;
  const byKey = new Map(routes.map((r) => [r.routeKey, r]));
  const routeKeys = new Set(routes.map((r) => r.routeKey));
  const loader = createFunctionLoader(
    options.functionsDir ? { functionsDir: options.functionsDir } : {},
  );
  const log = options.log ?? (() => {});
  const open = new Map<string, Connection>();
  /** Invocations under way, so close() lets the `$disconnect`s it caused finish. */
  const pending = new Set<Promise<unknown>>();
  const track = <T>(p: Promise<T>): Promise<T> => {
    pending.add(p);
    p.finally(() => pending.delete(p)).catch(() => {});
    return p;
  };

  type Outcome = { result: unknown } | { error: unknown } | { timedOut: number };
  const invoke = async (route: WsGatewayRoute, event: WsLambdaEvent): Promise<Outcome> => {
    const name = functionName(route.fn);
    const timeout = Math.min(route.timeout ?? 10, MAX_INTEGRATION_SECONDS);
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    let outcome: Outcome;
    try {
      const handler = await loader.load(route.fn);
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeout * 1000);
      });
      const result = await Promise.race([
        handler(event, buildContext(name, route.memory ?? 512, timeout)),
        timedOut,
      ]);
      outcome = result === 'timeout' ? { timedOut: timeout } : { result };
    } catch (error) {
      outcome = { error };
    } finally {
      clearTimeout(timer);
    }
    const ms = Math.round(performance.now() - started);
    const { routeKey, connectionId } = event.requestContext;
    const status =
      'error' in outcome
        ? 'function error'
        : 'timedOut' in outcome
          ? `timed out after ${timeout} s`
          : toHttpResponse(outcome.result).statusCode;
    log(`WS ${routeKey} ${connectionId} ${status} ${ms}ms ${name}`);
    if ('error' in outcome) {
      const error = outcome.error as Error;
      log(`function error in ${name}: ${error?.stack ?? String(error)}`);
    }
    return outcome;
  };

  /** What API Gateway sends the client when a route's integration fails. */
  const sendFailure = (conn: Connection, message: string, requestId: string) => {
    if (conn.closing) return;
    conn.socket.send(JSON.stringify({ message, connectionId: conn.connectionId, requestId }));
  };

  const disconnect = (conn: Connection, code: number, reason: string) => {
    open.delete(conn.connectionId);
    stopTimers(conn);
    if (conn.disconnected) return;
    conn.disconnected = true;
    const route = byKey.get('$disconnect');
    if (route) void track(invoke(route, buildDisconnectEvent(conn, code, reason)));
  };

  /** Closes a connection from the gateway's side: idle, too old, too big, deleted, shutdown. */
  const shut = (conn: Connection, code: number, reason: string) => {
    if (conn.closing) return;
    conn.closing = { code, reason };
    open.delete(conn.connectionId);
    stopTimers(conn);
    conn.socket.close(code, reason);
    // A client that never answers the close frame is cut, as API Gateway would.
    setTimeout(() => conn.socket.terminate(), CLOSE_GRACE_MS).unref();
  };

  const onFrame = (conn: Connection, data: Buffer, isBinary: boolean) => {
    if (conn.closing) return;
    if (isBinary) {
      shut(conn, 1003, 'Binary frames are not supported');
      return;
    }
    conn.lastActiveAt = Date.now();
    conn.idleTimer?.refresh();
    const body = data.toString('utf8');
    const route = byKey.get(selectRoute(body, routeKeys));
    if (!route) {
      sendFailure(conn, 'Forbidden', apiGatewayId());
      return;
    }
    const event = buildMessageEvent(conn, route.routeKey, body);
    // Frames are not queued behind each other: API Gateway invokes a route per frame.
    void track(invoke(route, event)).then((outcome) => {
      if ('error' in outcome)
        sendFailure(conn, 'Internal server error', event.requestContext.requestId);
      else if ('timedOut' in outcome)
        sendFailure(conn, 'Endpoint request timed out', event.requestContext.requestId);
    });
  };

  /** The subprotocol a `$connect` function chose (its `Sec-WebSocket-Protocol` header). */
  const protocols = new WeakMap<IncomingMessage, string>();
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MESSAGE_BYTES,
    clientTracking: false,
    handleProtocols: (_offered, req) => protocols.get(req) ?? false,
  });
  let stopping = false;

  const accept = async (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => {});
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path.replace(/\/+$/, '') !== '' && path.replace(/\/+$/, '') !== `/${stage}`) {
      log(`WS upgrade ${path} 403 (connect to / or /${stage})`);
      refuseUpgrade(socket, 403);
      return;
    }
    if (req.headers.upgrade?.toLowerCase() !== 'websocket' || !req.headers['sec-websocket-key']) {
      refuseUpgrade(socket, 400);
      return;
    }
    const userAgent = req.headers['user-agent'];
    const conn: Omit<Connection, 'socket'> = {
      connectionId: apiGatewayId(),
      connectedAt: Date.now(),
      lastActiveAt: Date.now(),
      domainName: req.headers.host ?? 'localhost',
      stage,
      apiId: 'local',
      sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
      ...(userAgent === undefined ? {} : { userAgent }),
      disconnected: false,
    };
    const route = byKey.get('$connect');
    if (route) {
      const outcome = await track(
        invoke(
          route,
          buildConnectEvent(conn, {
            url: req.url ?? '/',
            rawHeaders: req.rawHeaders,
            localPort: req.socket.localPort ?? 0,
          }),
        ),
      );
      if (!('result' in outcome)) {
        refuseUpgrade(socket, 'timedOut' in outcome ? 504 : 500);
        return;
      }
      const response = toHttpResponse(outcome.result);
      if (response.statusCode < 200 || response.statusCode > 299) {
        refuseUpgrade(socket, response.statusCode, response.headers, response.body);
        return;
      }
      const protocol = response.headers['sec-websocket-protocol'];
      if (typeof protocol === 'string') protocols.set(req, protocol);
    }
    if (stopping) {
      refuseUpgrade(socket, 503);
      return;
    }
    if (socket.destroyed) return;
    wss.handleUpgrade(req, socket, head, (ws) => {
      const connection: Connection = { ...conn, socket: ws };
      open.set(connection.connectionId, connection);
      connection.idleTimer = setTimeout(() => shut(connection, 1001, 'Going away'), idleTimeoutMs);
      connection.lifetimeTimer = setTimeout(
        () => shut(connection, 1001, 'Going away'),
        maxLifetimeMs,
      );
      ws.on('message', (data, isBinary) => onFrame(connection, data as Buffer, isBinary));
      ws.on('error', (error: Error & { code?: string }) => {
        // ws has answered a frame over the limit with 1009 (or a broken one) and is closing.
        const code = closeCodeOf(error);
        connection.closing ??= { code, reason: closeReason(code) };
        open.delete(connection.connectionId);
      });
      ws.on('close', (code, reason) => {
        const closed = connection.closing ?? { code, reason: reason.toString('utf8') };
        disconnect(connection, closed.code, closed.reason);
      });
    });
  };

  const connectionsApi = createConnectionsApi({
    stage,
    log,
    find: (id) => {
      const conn = open.get(id);
      if (!conn || conn.socket.readyState !== conn.socket.OPEN) return undefined;
      return {
        connectedAt: conn.connectedAt,
        lastActiveAt: conn.lastActiveAt,
        sourceIp: conn.sourceIp,
        ...(conn.userAgent === undefined ? {} : { userAgent: conn.userAgent }),
        send: (data) =>
          new Promise<void>((resolve, reject) =>
            conn.socket.send(data, { binary: false }, (error) =>
              error ? reject(error) : resolve(),
            ),
          ),
        close: () => shut(conn, 1000, ''),
      };
    },
  });
  const server = createServer((req, res) => {
    connectionsApi(req, res).catch((error: Error) => {
      log(`@connections error: ${error.stack ?? String(error)}`);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    accept(req, socket, head).catch((error: Error) => {
      log(`WS upgrade error: ${error.stack ?? String(error)}`);
      refuseUpgrade(socket, 500);
    });
  });

  const port = await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
  return {
    url: `ws://127.0.0.1:${port}`,
    callbackUrl: `http://127.0.0.1:${port}/${stage}`,
    port,
    connections: () => [...open.keys()],
    async close() {
      stopping = true;
      const closing = [...open.values()].map(
        (conn) =>
          new Promise<void>((resolve) => {
            conn.socket.once('close', () => resolve());
            shut(conn, 1001, 'Going away');
          }),
      );
      await Promise.all(closing);
      while (pending.size > 0) await Promise.allSettled([...pending]);
      await stop(server);
      await loader.close();
    },
  };
}

/** The WebSocket routes, for the dev banner, in the columns of the HTTP routes'. */
export function describeWsRoutes(routes: readonly WsGatewayRoute[] = wsRoutes): string {
  return routes
    .map((r) => {
      const auth = r.auth === 'token' ? 'token (?token=)' : (r.auth ?? '');
      return `  WS     ${r.routeKey.padEnd(44)} ${auth.padEnd(16)} functions/${r.fn}.ts`;
    })
    .join('\n');
}
