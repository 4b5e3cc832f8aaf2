// The `@connections` management API of a WebSocket stage, as the AWS SDK's
// ApiGatewayManagementApiClient calls it with `endpoint` set to the stage's callback URL:
// `{POST,GET,DELETE} /{stage}/@connections/{connectionId}`, the id percent-encoded.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, send } from '#local/emulators/http';
import { apiGatewayId } from '#local/runtime/ws-event';

/** The largest frame API Gateway posts to a connection (its message payload quota). */
export const MAX_POST_BYTES = 128 * 1024;

/** What the management API needs of an open connection. */
export interface ManagedConnection {
  connectedAt: number;
  lastActiveAt: number;
  sourceIp: string;
  userAgent?: string;
  /** Sends one text frame; resolves once it is written. */
  send(data: Buffer): Promise<void>;
  /** Closes the connection as `DeleteConnection` does ($disconnect follows). */
  close(): void;
}

/** An error as API Gateway answers it: the status, `x-amzn-errortype`, `{"message"}`. */
function fail(
  res: ServerResponse,
  status: number,
  type: string,
  message: string,
  requestId: string,
): void {
  send(res, status, JSON.stringify({ message }), {
    'content-type': 'application/json',
    'x-amzn-errortype': type,
    'x-amzn-requestid': requestId,
  });
}

/** The path's segments, percent-decoded; undefined when one is malformed. */
function segments(path: string): string[] | undefined {
  try {
    return path.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return undefined;
  }
}

/**
 * Answers one request to the management API. Signatures are not verified, but a request
 * must carry one (as the SDK always does): a bare `curl` is refused with 403, as AWS would.
 */
export function createConnectionsApi(options: {
  stage: string;
  find(connectionId: string): ManagedConnection | undefined;
  log?: (line: string) => void;
}) {
  const log = options.log ?? (() => {});
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const requestId = apiGatewayId();
    let why = '';
    res.on('finish', () =>
      log(`${method} ${path} ${res.statusCode} @connections${why ? ` ${why}` : ''}`),
    );

    const parts = segments(path);
    if (!parts) {
      fail(res, 400, 'BadRequestException', 'The path has malformed percent-encoding.', requestId);
      return;
    }
    const [stage, resource, connectionId, ...rest] = parts;
    if (stage !== options.stage || resource !== '@connections' || !connectionId || rest.length) {
      why = `(the API is at /${options.stage}/@connections/{connectionId})`;
      fail(res, 403, 'ForbiddenException', 'Forbidden', requestId);
      return;
    }
    if (!req.headers.authorization?.startsWith('AWS4-HMAC-SHA256')) {
      why = '(no SigV4 authorization header)';
      fail(
        res,
        403,
        'MissingAuthenticationTokenException',
        'Missing Authentication Token',
        requestId,
      );
      return;
    }
    if (method !== 'POST' && method !== 'GET' && method !== 'DELETE') {
      fail(res, 403, 'ForbiddenException', 'Forbidden', requestId);
      return;
    }
    // Read before looking the connection up: it may close while the body arrives.
    const body = method === 'POST' ? await readBody(req) : undefined;
    const connection = options.find(connectionId);
    if (!connection) {
      why = `${connectionId} gone`;
      fail(res, 410, 'GoneException', `No open connection ${connectionId}.`, requestId);
      return;
    }
    const headers = { 'x-amzn-requestid': requestId };
    if (method === 'GET') {
      send(
        res,
        200,
        JSON.stringify({
          connectedAt: new Date(connection.connectedAt).toISOString(),
          identity: { sourceIp: connection.sourceIp, userAgent: connection.userAgent ?? '' },
          lastActiveAt: new Date(connection.lastActiveAt).toISOString(),
        }),
        { ...headers, 'content-type': 'application/json' },
      );
      return;
    }
    if (method === 'DELETE') {
      send(res, 204, undefined, headers);
      connection.close();
      return;
    }
    if (body && body.length > MAX_POST_BYTES) {
      fail(res, 413, 'PayloadTooLargeException', 'Request Entity Too Large', requestId);
      return;
    }
    try {
      await connection.send(body ?? Buffer.alloc(0));
    } catch {
      // Closed between the look-up and the write.
      fail(res, 410, 'GoneException', `No open connection ${connectionId}.`, requestId);
      return;
    }
    send(res, 200, undefined, headers);
  };
}
