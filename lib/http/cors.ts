/**
 * CORS, once. API Gateway answers preflights with these settings (infra), the local
 * gateway answers them the same way in dev, and every function's own CORS headers use the
 * same origins, from the same `CORS_ORIGINS` the stack gives both.
 */
export const cors = {
  allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
  allowHeaders: ['authorization', 'content-type'],
  maxAgeSeconds: 600,
} as const;

/** `CORS_ORIGINS` (comma-separated origins, or `*`) as a list. */
export const parseOrigins = (value: string): string[] =>
  value
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o.length > 0);

/** The origin to allow for a request's `Origin`, or undefined when it is not allowed. */
export function allowedOrigin(origins: readonly string[], origin: string | undefined) {
  if (origins.includes('*')) return '*';
  return origin && origins.includes(origin) ? origin : undefined;
}
