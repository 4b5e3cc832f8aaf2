// First: in a deployed function, its secrets are in process.env before any config is parsed.
import '#lib/platform/cold-start';
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
import * as z from 'zod/mini';
import { isDbUnavailable, pgCode } from '#lib/db/errors';
import { type Authenticate, authenticate } from '#lib/http/auth';
import type { CallerOf, Contract } from '#lib/http/contract';
import { parseOrigins } from '#lib/http/cors';
import { type ErrorDetail, HttpError, validationFailed } from '#lib/http/errors';
import type { Reply } from '#lib/http/reply';
import { config } from '#lib/platform/config';
import { logger, startLogger } from '#lib/platform/log';
import { reportError, scrubError, withSentry } from '#lib/platform/sentry';

type Parsed<C, K extends 'params' | 'query' | 'body'> = C extends { [P in K]: infer S }
  ? S extends z.core.$ZodType
    ? z.output<S>
    : undefined
  : undefined;

export interface Input<C extends Contract> {
  params: Parsed<C, 'params'>;
  query: Parsed<C, 'query'>;
  body: Parsed<C, 'body'>;
  /** The caller, as the contract's auth established it. */
  principal: CallerOf<C['auth']>;
  requestId: string;
  event: APIGatewayProxyEventV2;
  context: Context;
}

/** A body as a handler may build it: instants as Dates, which JSON turns into ISO strings. */
export type Wire<T> = T extends string
  ? T | Date
  : T extends readonly (infer E)[]
    ? Wire<E>[]
    : T extends object
      ? { [K in keyof T]: Wire<T[K]> }
      : T;

type BodyOf<S> = S extends z.core.$ZodType ? Wire<z.input<S>> : undefined;

/** The replies a contract allows: one of its statuses, with that status's body. */
export type ReplyOf<C extends Contract> = {
  [S in keyof C['responses'] & number]: Reply<S, BodyOf<C['responses'][S]>>;
}[keyof C['responses'] & number];

type RouteEvent = APIGatewayProxyEventV2 & {
  principal?: unknown;
  parsed?: { params: unknown; query: unknown; body: unknown };
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

/**
 * Builds the Lambda handler of one route from its contract: body size limit, JSON
 * parsing, the contract's auth, zod validation of path, query and body, JSON errors,
 * CORS, security headers and compression. Outside staging and production every answer
 * is checked against the contract's response schema, so a handler that drifts from its
 * contract fails a test, not a client. The environment is parsed here, at cold start.
 */
export function route<C extends Contract>(
  contract: C,
  fn: (input: Input<C>) => Promise<ReplyOf<C>>,
  options: { authenticate?: Authenticate } = {},
): Handler<APIGatewayProxyEventV2, Result> {
  startLogger();
  const checkResponses = config.APP_ENV !== 'production' && config.APP_ENV !== 'staging';
  const core = async (event: RouteEvent, context: Context): Promise<Result> => {
    const reply = (await fn({
      ...(event.parsed as Pick<Input<C>, 'params' | 'query' | 'body'>),
      principal: event.principal as CallerOf<C['auth']>,
      requestId: event.requestContext.requestId,
      event,
      context,
    })) as Reply;
    if (checkResponses) checkReply(contract, reply);
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
    .use(httpCors({ origins: parseOrigins(config.CORS_ORIGINS), credentials: false }))
    .use(authentication(contract, options.authenticate))
    .use(bodyLimit());
  if (contract.body) stack.use(jsonBody());
  stack.use(validation(contract)).use(errorHandler()).handler(core);

  return withSentry(stack as unknown as Handler<APIGatewayProxyEventV2, Result>);
}

/** Fails the request (a 500) when a reply is not what the contract says the status carries. */
function checkReply(contract: Contract, reply: Reply): void {
  const where = `${contract.method} ${contract.path} answered ${reply.status}`;
  if (!(reply.status in contract.responses)) {
    throw new Error(`${where}, a status its contract does not declare`);
  }
  const schema = contract.responses[reply.status];
  if (!schema) {
    if (reply.body !== undefined) throw new Error(`${where} with a body; its contract has none`);
    return;
  }
  const wire = JSON.parse(JSON.stringify(reply.body ?? null)) as unknown;
  const result = z.safeParse(schema, wire);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`${where} with a body its contract refuses: ${issues.join('; ')}`);
  }
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
 * The auth slot, before anything reads the request: the contract's strategy finds the caller,
 * or the route's own (`jobRoute`'s QStash check).
 */
function authentication(contract: Contract, own?: Authenticate): MiddlewareObj<RouteEvent, Result> {
  return {
    before: async ({ event }) => {
      event.principal = await (own ? own(event) : authenticate(contract.auth, event));
    },
  };
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

function validation(spec: Contract): MiddlewareObj<RouteEvent, Result> {
  return {
    before: ({ event }) => {
      const details: ErrorDetail[] = [];
      const check = (
        where: 'params' | 'query' | 'body',
        schema: z.core.$ZodType | undefined,
        value: unknown,
      ) => {
        if (!schema) return undefined;
        const result = z.safeParse(schema, value);
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
