import type { Handler } from 'aws-lambda';
import { config } from '#lib/config';

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

const eager = config.SENTRY_DSN && config.SENTRY_TRACES ? await load() : undefined;

export function withSentry<E, R>(handler: Handler<E, R>): Handler<E, R> {
  return eager ? (eager.wrapHandler(handler) as Handler<E, R>) : handler;
}

/** Reports an unexpected error; 4xx errors are the client's and never come here. */
export async function reportError(error: unknown, requestId: string | undefined): Promise<void> {
  if (!config.SENTRY_DSN) return;
  const sentry = await load();
  sentry.captureException(error, { tags: { request_id: requestId ?? 'unknown' } });
  // The wrapped handler flushes at the end of the invocation; without it, flush here,
  // before Lambda freezes the process.
  if (!eager) await sentry.flush(2000);
}
