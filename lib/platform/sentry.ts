import type { Handler } from 'aws-lambda';
import { pgCode, pgConstraint } from '#lib/db/errors';
import { config } from '#lib/platform/config';

type SentryModule = typeof import('@sentry/aws-serverless');

/**
 * Sentry's SDK costs about 250 ms of cold start, more than the rest of a function. So by
 * default it is loaded on the first unexpected error only, which is then sent and flushed
 * before the response. With SENTRY_TRACES it is loaded at cold start instead and wraps
 * the handler, so that invocations are traced as well.
 */
let loading: Promise<SentryModule> | undefined;

function load(): Promise<SentryModule> {
  loading ??= import('@sentry/aws-serverless').then((sentry) => {
    sentry.init({
      dsn: config.SENTRY_DSN,
      environment: config.APP_ENV,
      release: config.APP_VERSION,
      sendDefaultPii: false,
      tracesSampleRate: config.APP_ENV === 'production' ? 0.2 : 1.0,
    });
    return sentry;
  });
  return loading;
}

const tracing = () => Boolean(config.SENTRY_DSN && config.SENTRY_TRACES);

/**
 * The handler, wrapped by Sentry when it traces. Sentry is loaded when the function is
 * built, at cold start, and awaited on the first invocation (no top-level await).
 */
export function withSentry<E, R>(handler: Handler<E, R>): Handler<E, R> {
  if (!tracing()) return handler;
  const wrapped = load().then((sentry) => sentry.wrapHandler(handler) as Handler<E, R>);
  return (async (event: E, context: Parameters<Handler<E, R>>[1]) =>
    (await wrapped)(event, context, () => {})) as Handler<E, R>;
}

/** Fields of database errors that carry the values a statement ran with or a row held. */
const VALUE_FIELDS = new Set(['params', 'parameters', 'detail', 'where', 'internalQuery']);

/**
 * drizzle's `Failed query: <sql>\nparams: <values>` keeps its SQL; Postgres' messages lose the
 * input they quote at their end (`invalid input syntax for type uuid: "<value>"`).
 */
function scrubMessage(message: string): string {
  if (message.startsWith('Failed query: ')) return message.replace(/\nparams: [\s\S]*$/, '');
  return message.replace(/: ".*"$/, ': [value removed]');
}

/**
 * A copy of an error fit for logs and Sentry, which must not hold the phone numbers, emails
 * and hashes a statement ran with: drizzle's message keeps its SQL and loses its parameters,
 * and the fields that repeat them or a row's values (params, detail, where) go. The name,
 * stack frames, SQLSTATE, constraint, table and column stay; causes are scrubbed alike.
 */
export function scrubError(error: unknown, depth = 0): unknown {
  if (!(error instanceof Error) || depth > 5) return error;
  const message = scrubMessage(error.message);
  const copy = new Error(message);
  copy.name = error.name;
  const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  copy.stack = [`${error.name}: ${message}`, ...frames].join('\n');
  for (const [field, value] of Object.entries(error)) {
    if (VALUE_FIELDS.has(field) || ['message', 'stack', 'cause'].includes(field)) continue;
    (copy as unknown as Record<string, unknown>)[field] =
      value instanceof Error ? scrubError(value, depth + 1) : value;
  }
  if (error.cause !== undefined) copy.cause = scrubError(error.cause, depth + 1);
  return copy;
}

/** Reports an unexpected error, scrubbed; 4xx errors are the client's and never come here. */
export async function reportError(error: unknown, requestId: string | undefined): Promise<void> {
  if (!config.SENTRY_DSN) return;
  const sentry = await load();
  const code = pgCode(error);
  const constraint = pgConstraint(error);
  sentry.captureException(scrubError(error), {
    tags: {
      request_id: requestId ?? 'unknown',
      ...(code ? { sqlstate: code } : {}),
      ...(constraint ? { constraint } : {}),
    },
  });
  // The wrapped handler flushes at the end of the invocation; without it, flush here,
  // before Lambda freezes the process.
  if (!tracing()) await sentry.flush(2000);
}
