import * as z from 'zod';

const optionalUrl = z.preprocess((v) => (v === '' ? undefined : v), z.url().optional());

const schema = z.object({
  APP_ENV: z.enum(['production', 'staging', 'development', 'test']).default('development'),
  APP_VERSION: z.string().min(1).default('dev'),
  LOG_LEVEL: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT']).default('INFO'),
  /** Largest request body a route accepts, in bytes. */
  MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(100 * 1024),
  /** Comma-separated list of origins allowed by CORS, or `*`. */
  CORS_ORIGINS: z.string().default('*'),
  /** Neon's pooled connection string (postgres://...). */
  DATABASE_URL: optionalUrl,
  /** Local development only: the stand-in for Neon's HTTP and WebSocket endpoints. */
  NEON_LOCAL_PROXY_URL: optionalUrl,
  /** Longest a database round trip may take before the request gets a 503. */
  DB_TIMEOUT_MS: z.coerce.number().int().positive().default(5000),
  SENTRY_DSN: optionalUrl,
  /** Load Sentry at cold start to trace every invocation; otherwise only on the first error. */
  SENTRY_TRACES: z.stringbool().default(false),
});

export type Config = z.infer<typeof schema>;

/** Parses an environment; throws one error naming every missing or malformed variable. */
export function parseConfig(env: NodeJS.ProcessEnv): Config {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid environment: ${problems.join('; ')}`);
  }
  return result.data;
}

export const config: Config = parseConfig(process.env);

/** Names of optional services that are off because their variables are absent. */
export const disabledServices: string[] = [
  !config.SENTRY_DSN && 'sentry (SENTRY_DSN not set)',
].filter((s): s is string => typeof s === 'string');
