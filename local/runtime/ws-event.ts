// The events API Gateway builds for a WebSocket API's Lambda proxy integrations, after the
// samples in its developer guide ("Input format of a Lambda function for proxy integration
// for WebSocket APIs") and events logged from deployed APIs.
import { randomBytes } from 'node:crypto';
import type { APIGatewayEventWebsocketRequestContextV2 } from 'aws-lambda';
import { ROUTE_SELECTION } from '#lib/ws/contract';

/** API Gateway's ids: 11 random bytes, base64url, with its `=` (`PJqB0fHsqRcCHlw=`). */
export const apiGatewayId = () => `${randomBytes(11).toString('base64url')}=`;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `29/Nov/2023:08:04:01 +0000`, the format of requestContext.requestTime. */
function clfTime(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** What API Gateway knows of a connection, copied into every event of it. */
export interface WsConnectionInfo {
  connectionId: string;
  connectedAt: number;
  /** The Host the client connected to. */
  domainName: string;
  stage: string;
  apiId: string;
  sourceIp: string;
  userAgent?: string;
}

/**
 * `requestContext` as API Gateway sends it. @types/aws-lambda's type has no `identity` and
 * no disconnect fields, and claims a `messageId` on every event (only messages have one).
 */
export type WsRequestContext = Omit<APIGatewayEventWebsocketRequestContextV2, 'messageId'> & {
  messageId?: string;
  identity: { sourceIp: string; userAgent?: string };
  disconnectStatusCode?: number;
  disconnectReason?: string;
};

export interface WsLambdaEvent {
  requestContext: WsRequestContext;
  /** `$connect` and `$disconnect` only; names as the client sent them, not lower-cased. */
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  /** `$connect` only, and only when the URL has a query string. */
  queryStringParameters?: Record<string, string>;
  multiValueQueryStringParameters?: Record<string, string[]>;
  /** Messages only: the frame's text. */
  body?: string;
  isBase64Encoded: false;
}

function requestContext(
  conn: WsConnectionInfo,
  routeKey: string,
  eventType: WsRequestContext['eventType'],
): WsRequestContext {
  const now = new Date();
  const requestId = apiGatewayId();
  return {
    routeKey,
    eventType,
    extendedRequestId: requestId,
    requestTime: clfTime(now),
    messageDirection: 'IN',
    stage: conn.stage,
    connectedAt: conn.connectedAt,
    requestTimeEpoch: now.getTime(),
    identity: {
      sourceIp: conn.sourceIp,
      ...(conn.userAgent === undefined ? {} : { userAgent: conn.userAgent }),
    },
    requestId,
    domainName: conn.domainName,
    connectionId: conn.connectionId,
    apiId: conn.apiId,
  };
}

/** Hop-by-hop headers of the upgrade, which API Gateway does not pass on. */
const HOP_BY_HOP = new Set(['connection', 'upgrade']);

export interface UpgradeRequestLike {
  /** Path and query as received, e.g. `/?token=...`. */
  url: string;
  /** Node's `rawHeaders`: names as sent, then values, alternately. */
  rawHeaders: string[];
  /** The port the client connected to, for `X-Forwarded-Port`. */
  localPort: number;
}

/** The `$connect` event: the upgrade request's headers and query string. */
export function buildConnectEvent(conn: WsConnectionInfo, req: UpgradeRequestLike): WsLambdaEvent {
  const multiValueHeaders: Record<string, string[]> = {};
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i] as string;
    if (HOP_BY_HOP.has(name.toLowerCase())) continue;
    multiValueHeaders[name] = [...(multiValueHeaders[name] ?? []), req.rawHeaders[i + 1] as string];
  }
  multiValueHeaders['X-Forwarded-For'] = [conn.sourceIp];
  multiValueHeaders['X-Forwarded-Port'] = [String(req.localPort)];
  multiValueHeaders['X-Forwarded-Proto'] = ['http'];
  const headers: Record<string, string> = {};
  for (const [name, values] of Object.entries(multiValueHeaders))
    headers[name] = values.at(-1) as string;

  const event: WsLambdaEvent = {
    headers,
    multiValueHeaders,
    requestContext: requestContext(conn, '$connect', 'CONNECT'),
    isBase64Encoded: false,
  };
  const queryIndex = req.url.indexOf('?');
  if (queryIndex !== -1) {
    const query: Record<string, string> = {};
    const multi: Record<string, string[]> = {};
    for (const [k, v] of new URLSearchParams(req.url.slice(queryIndex + 1))) {
      query[k] = v;
      multi[k] = [...(multi[k] ?? []), v];
    }
    if (Object.keys(query).length > 0) {
      event.queryStringParameters = query;
      event.multiValueQueryStringParameters = multi;
    }
  }
  return event;
}

/** A text frame's event, for the route it selected. */
export function buildMessageEvent(
  conn: WsConnectionInfo,
  routeKey: string,
  body: string,
): WsLambdaEvent {
  const context = requestContext(conn, routeKey, 'MESSAGE');
  return {
    requestContext: { ...context, messageId: apiGatewayId() },
    body,
    isBase64Encoded: false,
  };
}

/** API Gateway's `disconnectReason` for a close without a reason of its own. */
const CLOSE_REASONS: Record<number, string> = {
  1000: 'Connection Closed Normally',
  1001: 'Going away',
  1002: 'Protocol error',
  1003: 'Unsupported data',
  1005: 'Client-side close frame status not set',
  1006: 'Connection closed abnormally',
  1007: 'Invalid frame payload data',
  1009: 'Message too big',
};

export const closeReason = (code: number, reason = '') =>
  reason || CLOSE_REASONS[code] || `Closed with code ${code}`;

/** The `$disconnect` event: the close code and reason, and the headers API Gateway sends. */
export function buildDisconnectEvent(
  conn: WsConnectionInfo,
  code: number,
  reason: string,
): WsLambdaEvent {
  const headers = {
    Host: conn.domainName,
    'x-api-key': '',
    'X-Forwarded-For': '',
    'x-restapi': '',
  };
  const context = requestContext(conn, '$disconnect', 'DISCONNECT');
  return {
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    requestContext: {
      ...context,
      disconnectStatusCode: code,
      disconnectReason: closeReason(code, reason),
    },
    isBase64Encoded: false,
  };
}

/** The frame's field that selects its route: `action`, from `$request.body.action`. */
const selectionField = (expression: string): string => {
  const field = /^\$request\.body\.(\w+)$/.exec(expression)?.[1];
  if (!field) throw new Error(`unsupported route selection expression ${expression}`);
  return field;
};

/**
 * Route selection as API Gateway does it on `$request.body.action` (ROUTE_SELECTION): a frame
 * that is JSON with an `action` naming one of `routeKeys` goes to that route; anything else
 * (not JSON, no action, an unknown one) to `$default`.
 */
export function selectRoute(
  body: string,
  routeKeys: ReadonlySet<string>,
  expression = ROUTE_SELECTION,
): string {
  const field = selectionField(expression);
  let selected: unknown;
  try {
    selected = (JSON.parse(body) as Record<string, unknown> | null)?.[field];
  } catch {
    return '$default';
  }
  return typeof selected === 'string' && !selected.startsWith('$') && routeKeys.has(selected)
    ? selected
    : '$default';
}
