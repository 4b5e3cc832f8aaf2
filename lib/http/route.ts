import { constants as zlibConstants } from 'node:zlib';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy, { type MiddlewareObj, type Request } from '@middy/core';
import httpContentEncoding from '@middy/http-content-encoding';
import httpContentNegotiation from '@middy/http-content-negotiation';
import httpCors from '@middy/http-cors';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import httpSecurityHeaders from '@middy/http-security-headers';
import type {
  APIGatewayProxyEventV2,
  Context,
  Handler,
  APIGatewayProxyStructuredResultV2 as Result,
} from 'aws-lambda';
import type * as z from 'zod';
import { isSessionRevoked } from '#lib/auth/sessions';
import { verifyAccessToken } from '#lib/auth/tokens';
import { config } from '#lib/config';
import { isDbUnavailable, pgCode } from '#lib/db/errors';
import {
  type ErrorDetail,
  forbidden,
  HttpError,
  unauthorized,
  validationFailed,
} from '#lib/http/errors';
import type { Reply } from '#lib/http/reply';
import { logger } from '#lib/log';
import { type Auth, findRoute, type Role } from '#lib/routes';
import { reportError, scrubError, withSentry } from '#lib/sentry';

export interface Spec {
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
}

type Infer<T> = T extends z.ZodType ? z.output<T> : undefined;

/** The identity of a signed-in caller; filled in by the auth slot. */
export interface Principal {
  id: string;
  role: Role;
}

export interface Input<S extends Spec> {
  params: Infer<S['params']>;
  query: Infer<S['query']>;
  body: Infer<S['body']>;
  principal: Principal | null;
  /** On job routes: the id of the delivery's verified signature (see jobRoute). */
  signatureId: string | undefined;
  requestId: string;
  event: APIGatewayProxyEventV2;
  context: Context;
}

type RouteEvent = APIGatewayProxyEventV2 & {
  principal?: Principal | null;
  /** The verified QStash signature's id, on job routes. */
  signatureId?: string;
  parsed?: Pick<Input<Spec>, 'params' | 'query' | 'body'>;
};

const COMPRESS_MIN_BYTES = 1024;
/** The headers that matter for a JSON API; the HTML-page ones would cost 3G users ~1 KB a response. */
const securityHeaders = {
  contentSecurityPolicy: { 'default-src': "'none'", 'frame-ancestors': "'none'" },
  crossOriginEmbedderPolicy: false,
  crossOriginOpenerPolicy: false,
  crossOriginResourcePolicy: false,
  dnsPrefetchControl: false,
  downloadOptions: false,
  originAgentCluster: false,
  permissionsPolicy: false,
  permittedCrossDomainPolicies: false,
  reportingEndpoints: false,
  reportTo: false,
};
const corsOrigins = config.CORS_ORIGINS.split(',').map((o) => o.trim());

/**
 * Builds the Lambda handler of one HTTP route: body size limit, JSON parsing, zod
 * validation of path, query and body, the route's auth requirement, JSON errors,
 * CORS, security headers and compression.
 */
export function route<S extends Spec>(
  spec: S,
  fn: (input: Input<S>) => Promise<Reply>,
): Handler<APIGatewayProxyEventV2, Result> {
  const core = async (event: RouteEvent, context: Context): Promise<Result> => {
    const reply = await fn({
      ...(event.parsed as Pick<Input<S>, 'params' | 'query' | 'body'>),
      principal: event.principal ?? null,
      signatureId: event.signatureId,
      requestId: event.requestContext.requestId,
      event,
      context,
    });
    return toResult(reply);
  };

  const stack = middy<RouteEvent, Result>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(requestIdMiddleware())
    .use(
      httpContentNegotiation({
        parseCharsets: false,
        parseLanguages: false,
        parseMediaTypes: false,
        availableEncodings: ['br', 'gzip'],
        failOnMismatch: false,
      }),
    )
    .use(compression())
    .use(httpSecurityHeaders(securityHeaders))
    .use(httpCors({ origins: corsOrigins, credentials: false }))
    .use(authentication())
    .use(bodyLimit());
  if (spec.body) stack.use(jsonBody());
  stack.use(validation(spec)).use(errorHandler()).handler(core);

  return withSentry(stack as unknown as Handler<APIGatewayProxyEventV2, Result>);
}

function toResult(reply: Reply): Result {
  const hasBody = reply.body !== undefined && reply.status !== 204;
  return {
    statusCode: reply.status,
    headers: {
      ...(hasBody ? { 'Content-Type': 'application/json; charset=utf-8' } : {}),
      ...reply.headers,
    },
    ...(hasBody ? { body: JSON.stringify(reply.body) } : {}),
    ...(reply.cookies ? { cookies: reply.cookies } : {}),
  };
}

/**
 * The auth slot, before anything reads the request: the route table says who may call;
 * public routes have no principal.
 */
function authentication(): MiddlewareObj<RouteEvent, Result> {
  return {
    before: async ({ event }) => {
      const auth: Auth | undefined = findRoute(event.routeKey)?.auth;
      if (auth === 'public') {
        event.principal = null;
        return;
      }
      if (auth === 'qstash') {
        // Only job routes need the QStash receiver: loaded on first use.
        const { verifyQStashSignature } = await import('#lib/jobs/verify');
        event.signatureId = await verifyQStashSignature(event);
        event.principal = null;
        return;
      }
      // Fail closed: a route missing from the table has no caller it accepts.
      if (!auth) throw unauthorized();
      event.principal = await bearerPrincipal(event, auth);
    },
  };
}

/** The caller of a route for signed-in roles: a valid, unrevoked access token of one of them. */
async function bearerPrincipal(
  event: APIGatewayProxyEventV2,
  roles: readonly Role[],
): Promise<Principal> {
  const header = event.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1]) throw unauthorized();
  const claims = await verifyAccessToken(match[1]);
  if (!claims || (await isSessionRevoked(claims.sid))) {
    throw unauthorized('The access token is invalid, expired or revoked.');
  }
  if (!roles.includes(claims.role)) throw forbidden();
  return { id: claims.sub, role: claims.role };
}

function requestIdMiddleware(): MiddlewareObj<RouteEvent, Result> {
  return {
    before: (request) => {
      logger.appendKeys({ requestId: request.event.requestContext?.requestId });
    },
  };
}

/**
 * JSON bodies through middy's parser; a request without a body reaches validation as
 * `undefined`, so a body schema decides whether one is required.
 */
function jsonBody(): MiddlewareObj<RouteEvent, Result> {
  const parser = httpJsonBodyParser<RouteEvent>();
  return {
    before: async (request) => {
      if (!request.event.body) {
        (request.event as { body?: unknown }).body = undefined;
        return;
      }
      await parser.before?.(request);
    },
  };
}

function bodyLimit(): MiddlewareObj<RouteEvent, Result> {
  return {
    before: ({ event }) => {
      if (typeof event.body !== 'string') return;
      const bytes = Buffer.byteLength(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
      if (bytes > config.MAX_BODY_BYTES) {
        throw new HttpError(
          413,
          'payload_too_large',
          `The request body is ${bytes} bytes; the limit is ${config.MAX_BODY_BYTES}.`,
        );
      }
    },
  };
}

function validation(spec: Spec): MiddlewareObj<RouteEvent, Result> {
  return {
    before: ({ event }) => {
      const details: ErrorDetail[] = [];
      const check = (
        where: 'params' | 'query' | 'body',
        schema: z.ZodType | undefined,
        value: unknown,
      ) => {
        if (!schema) return undefined;
        const result = schema.safeParse(value);
        if (result.success) return result.data;
        for (const issue of result.error.issues) {
          details.push({ path: [where, ...issue.path].join('.'), message: issue.message });
        }
        return undefined;
      };
      const parsed = {
        params: check('params', spec.params, event.pathParameters ?? {}),
        query: check('query', spec.query, event.queryStringParameters ?? {}),
        body: check('body', spec.body, event.body),
      };
      if (details.length > 0) throw validationFailed(details);
      event.parsed = parsed;
    },
  };
}

/** Compresses JSON bodies over 1 KB with the encoding the client prefers (br, then gzip). */
function compression(): MiddlewareObj<RouteEvent, Result> {
  const encoder = httpContentEncoding({
    br: { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 5 } },
    gzip: { level: 6 },
    overridePreferredEncoding: ['br', 'gzip'],
  });
  const maybeCompress = async (request: Request<RouteEvent, Result>) => {
    const body = request.response?.body;
    if (typeof body !== 'string' || Buffer.byteLength(body) < COMPRESS_MIN_BYTES) return;
    await encoder.after?.(request as never);
  };
  return { after: maybeCompress, onError: maybeCompress };
}

const middyCodes: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable_entity',
};

function errorHandler(): MiddlewareObj<RouteEvent, Result> {
  return {
    onError: async (request) => {
      const requestId = request.event.requestContext?.requestId;
      const error = toHttpError(request.error);
      if (request.error instanceof HttpError && error.statusCode >= 500) {
        // A failure we raised on purpose (a provider down, a job to retry): no stack to report.
        logger.warn('request failed', {
          status: error.statusCode,
          code: error.code,
          reason: error.message,
        });
      } else if (error.statusCode >= 500) {
        // Scrubbed: a failed statement's parameters (phones, hashes) stay out of the logs.
        logger.error('unexpected error', { requestId, error: scrubError(request.error) as Error });
        await reportError(request.error, requestId).catch((e: unknown) => {
          logger.warn('could not report to Sentry', { reason: String(e) });
        });
      } else {
        logger.info('request refused', {
          status: error.statusCode,
          code: error.code,
          ...(error.details ? { details: error.details } : {}),
        });
      }
      request.response = {
        statusCode: error.statusCode,
        headers: { 'Content-Type': 'application/json; charset=utf-8', ...error.headers },
        body: JSON.stringify({
          error: {
            code: error.code,
            message: error.message,
            ...(error.details ? { details: error.details } : {}),
          },
        }),
      };
    },
  };
}

/** What a database error means to the client, when it means something. */
function fromDatabase(error: unknown): HttpError | undefined {
  if (isDbUnavailable(error))
    return new HttpError(
      503,
      'service_unavailable',
      'The database is unavailable; try again shortly.',
    );
  switch (pgCode(error)) {
    case '23505':
      return new HttpError(409, 'conflict', 'That already exists.');
    case '23P01':
      return new HttpError(409, 'conflict', 'That overlaps with an existing one.');
    case '23503':
      return new HttpError(409, 'conflict', 'That refers to something that does not exist.');
    case '23514':
      return new HttpError(400, 'invalid_input', 'A value is out of range or malformed.');
    case '40001':
    case '40P01':
      // Two requests locked the same rows in turn; one was rolled back, whole.
      return new HttpError(409, 'concurrent_change', 'Another change got in the way; try again.');
    default:
      // Class 22, data exceptions: a value out of range or malformed.
      return pgCode(error)?.startsWith('22')
        ? new HttpError(400, 'invalid_input', 'A value is out of range or malformed.')
        : undefined;
  }
}

function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  const fromDb = fromDatabase(error);
  if (fromDb) return fromDb;
  const e = error as {
    statusCode?: number;
    expose?: boolean;
    message?: string;
    cause?: { package?: string };
  };
  if (e?.cause?.package === '@middy/http-json-body-parser' && e.statusCode === 422) {
    return new HttpError(400, 'invalid_json', 'The request body is not valid JSON.');
  }
  if (typeof e?.statusCode === 'number' && e.statusCode < 500 && e.expose !== false) {
    return new HttpError(
      e.statusCode,
      middyCodes[e.statusCode] ?? 'bad_request',
      e.message ?? 'Bad request.',
    );
  }
  return new HttpError(
    500,
    'internal_error',
    'Something went wrong on our side; it has been reported.',
  );
}

/** The signed-in caller of a route whose auth is a list of roles (the stack has checked it). */
export function caller(principal: Principal | null): Principal {
  if (!principal) throw unauthorized();
  return principal;
}
