import type { Handler } from 'aws-lambda';
import { config } from '#lib/config';

type SentryModule = typeof import('@sentry/aws-serverless');

/**
 * Sentry is loaded only when SENTRY_DSN is set, so functions without it do not pay
 * for the SDK at cold start.
 */
const sentry: SentryModule | undefined = config.SENTRY_DSN
  ? await import('@sentry/aws-serverless')
  : undefined;

sentry?.init({
  dsn: config.SENTRY_DSN,
  environment: config.APP_ENV,
  release: config.APP_VERSION,
  sendDefaultPii: false,
  tracesSampleRate: config.APP_ENV === 'production' ? 0.2 : 1.0,
});

export function withSentry<E, R>(handler: Handler<E, R>): Handler<E, R> {
  return sentry ? (sentry.wrapHandler(handler) as Handler<E, R>) : handler;
}

/** Reports an unexpected error; 4xx errors are the client's and never come here. */
export function reportError(error: unknown, requestId: string | undefined): void {
  sentry?.captureException(error, { tags: { request_id: requestId ?? 'unknown' } });
}
