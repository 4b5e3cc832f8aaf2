// First: in a deployed function, its secrets are in process.env before any config is parsed.
import '#lib/platform/cold-start';
import type {
  APIGatewayProxyWebsocketEventV2,
  Context,
  Handler,
  APIGatewayProxyResultV2 as Result,
} from 'aws-lambda';
import { eq } from 'drizzle-orm';
import * as z from 'zod/mini';
import type { Role } from '#lib/auth/roles';
import { isSessionRevoked } from '#lib/auth/sessions';
import { verifyAccessToken } from '#lib/auth/tokens';
import { db, schema } from '#lib/db/index';
import { HttpError } from '#lib/http/errors';
import { logger, startLogger } from '#lib/platform/log';
import { reportError, scrubError, withSentry } from '#lib/platform/sentry';
import { send } from '#lib/ws/connections';
import type { ErrorFrame, WsContract } from '#lib/ws/contract';

/** A `$connect` event carries the query string; API Gateway's type leaves it out. */
export type WsEvent = APIGatewayProxyWebsocketEventV2 & {
  queryStringParameters?: Record<string, string | undefined>;
  headers?: Record<string, string | undefined>;
};

export interface WsCaller {
  id: string;
  role: Role;
  /** The sign-in (access token `sid`) the connection was opened with. */
  sessionId: string;
}

export interface WsInput<C extends WsContract> {
  body: C['body'] extends z.core.$ZodType ? z.output<C['body']> : undefined;
  caller: WsCaller;
  connectionId: string;
  event: WsEvent;
  context: Context;
}

/** An error the sender may see, as a frame `{type: "error", code, message}`. */
export class WsError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

const ok: Result = { statusCode: 200 };

async function callerOf(contract: WsContract, event: WsEvent): Promise<WsCaller | undefined> {
  if (contract.auth === 'token') {
    const token = event.queryStringParameters?.token;
    const claims = token ? await verifyAccessToken(token) : undefined;
    if (!claims || (await isSessionRevoked(claims.sid))) return undefined;
    return { id: claims.sub, role: claims.role, sessionId: claims.sid };
  }
  const [row] = await db()
    .select({
      id: schema.wsConnections.principalId,
      role: schema.wsConnections.role,
      sessionId: schema.wsConnections.sessionId,
    })
    .from(schema.wsConnections)
    .where(eq(schema.wsConnections.connectionId, event.requestContext.connectionId));
  return row;
}

/**
 * Builds the Lambda handler of one WebSocket route: who the caller is (the token on
 * `$connect`, the stored connection after), the frame's JSON checked against the contract,
 * and errors sent back to the sender only, as `{type: "error", code, message}`. `$connect`
 * answers 401 without a valid token, which refuses the upgrade.
 */
export function wsRoute<C extends WsContract>(
  contract: C,
  fn: (input: WsInput<C>) => Promise<void>,
): Handler<WsEvent, Result> {
  startLogger();
  const handler = async (event: WsEvent, context: Context): Promise<Result> => {
    const { connectionId, requestId } = event.requestContext;
    logger.appendKeys({ requestId, connectionId, route: contract.routeKey });
    const reply = async (code: string, message: string) => {
      await send(connectionId, { type: 'error', code, message } satisfies ErrorFrame).catch(
        () => 'gone',
      );
    };
    try {
      const caller = await callerOf(contract, event);
      if (!caller) {
        if (contract.auth === 'token') return { statusCode: 401, body: 'Unauthorized' };
        // A connection we no longer know (its row was cleaned up): nothing to act for.
        if (contract.routeKey !== '$disconnect') await reply('unauthorized', 'Connect again.');
        return contract.routeKey === '$disconnect' ? ok : { statusCode: 403 };
      }
      let body: unknown;
      if (contract.body) {
        let json: unknown;
        try {
          json = JSON.parse(event.body ?? '');
        } catch {
          await reply('invalid_json', 'The frame is not JSON.');
          return { statusCode: 400 };
        }
        const parsed = z.safeParse(contract.body, json);
        if (!parsed.success) {
          const issues = parsed.error.issues.map(
            (i) => `${i.path.join('.') || 'frame'}: ${i.message}`,
          );
          await reply('validation_failed', issues.join('; '));
          return { statusCode: 400 };
        }
        body = parsed.data;
      }
      await fn({ body: body as WsInput<C>['body'], caller, connectionId, event, context });
      return ok;
    } catch (error) {
      if (error instanceof WsError || (error instanceof HttpError && error.statusCode < 500)) {
        await reply((error as WsError).code, error.message);
        return { statusCode: 400 };
      }
      logger.error('unexpected error', { error: scrubError(error) as Error });
      await reportError(error, requestId).catch(() => {});
      await reply('internal_error', 'Something went wrong on our side; it has been reported.');
      return { statusCode: 500 };
    }
  };
  return withSentry(handler as Handler<WsEvent, Result>);
}
