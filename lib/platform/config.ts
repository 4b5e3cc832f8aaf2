import { en } from 'zod/locales';
import * as z from 'zod/mini';

/** The stages a stack is deployed as (`cdk -c stage=...`); tests run as `test`. */
export const stages = ['production', 'staging', 'development'] as const;
export type Stage = (typeof stages)[number];

/**
 * The variables that are secrets. A deployed function gets none of them in its environment:
 * each is its own AWS Secrets Manager secret (`marketplace/<stage>/<NAME>`), and a function
 * reads at cold start only those its route needs (`SECRET_NAMES`, lib/platform/secrets.ts).
 */
export const secretNames = [
  'DATABASE_URL',
  'SENTRY_DSN',
  'JWT_SIGNING_KEYS',
  'OTP_SECRET',
  'UPSTASH_REDIS_REST_TOKEN',
  'QSTASH_TOKEN',
  'QSTASH_CURRENT_SIGNING_KEY',
  'QSTASH_NEXT_SIGNING_KEY',
  'PAYSTACK_SECRET_KEY',
  'TERMII_API_KEY',
  'EXPO_ACCESS_TOKEN',
] as const;
export type SecretName = (typeof secretNames)[number];

const isSecretName = (name: string): name is SecretName =>
  (secretNames as readonly string[]).includes(name);

/**
 * zod without its JIT, for every schema of the function (classic and mini share this switch).
 * The JIT compiles an object's parser with `new Function` on its first parse, and first asks
 * `navigator` whether eval is allowed, which loads Node's navigator: a cold start pays both
 * for parsers that run a few times before the function is recycled (bench:cold).
 */
z.config({ jitless: true });
/**
 * zod's English messages ("Too big: expected string to have <=80 characters"), which a 400's
 * details carry. Classic zod loads them when it is first imported; zod/mini, all a function
 * bundles, never does, and would answer a bare "Invalid input".
 */
z.config(en());

const blankIsAbsent = (v: unknown) => (v === '' ? undefined : v);
/** zod/mini: a smaller, faster schema to build and first parse at every cold start (bench:cold). */
const blank = () => z.transform(blankIsAbsent);
const optionalUrl = z.pipe(blank(), z.optional(z.url()));
const optionalText = z.pipe(blank(), z.optional(z.string().check(z.minLength(1))));

/** What production cannot run without. */
const productionRequired = [
  'JWT_SIGNING_KEYS',
  'OTP_SECRET',
  'DATABASE_URL',
  'QSTASH_TOKEN',
  'QSTASH_CURRENT_SIGNING_KEY',
  'QSTASH_NEXT_SIGNING_KEY',
  // Revocations, the catalogue and rate of database reads rely on it at scale.
  'UPSTASH_REDIS_REST_URL',
  'UPSTASH_REDIS_REST_TOKEN',
  // Without them nothing can be paid for.
  'PAYSTACK_SECRET_KEY',
  'PAYSTACK_CALLBACK_URL',
] as const;

const schema = z
  .object({
    APP_ENV: z._default(z.enum([...stages, 'test']), 'development'),
    APP_VERSION: z._default(z.string().check(z.minLength(1)), 'dev'),
    /**
     * A deployed function: the secrets it reads at cold start, comma-separated (the stack sets
     * it from the route table; lib/platform/secrets.ts loads them).
     */
    SECRET_NAMES: z.optional(z.string().check(z.regex(/^([A-Z_]+(,[A-Z_]+)*)?$/))),
    /** Where those secrets live in Secrets Manager: `marketplace/<stage>/`, then the name. */
    SECRETS_PREFIX: optionalText,
    LOG_LEVEL: z._default(z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT']), 'INFO'),
    /**
     * Local development only (`npm run dev` sets it): requests from loopback have no
     * per-address rate limit, since every local request comes from 127.0.0.1.
     */
    RATE_LIMIT_LOOPBACK_EXEMPT: z._default(z.stringbool(), false),
    /** Countries (ISO 3166 alpha-2) whose phones may sign in by SMS; others use email. */
    OTP_SMS_COUNTRIES: z.pipe(
      z._default(
        z
          .string()
          .check(z.regex(/^[A-Z]{2}(,[A-Z]{2})*$/, 'comma-separated country codes like NG,GH')),
        'NG,GH,KE,ZA',
      ),
      z.transform((v: string) => v.split(',')),
    ),
    /** Sign-in SMS a day, per country and in all; past a cap, SMS sign-in pauses and alerts. */
    OTP_SMS_COUNTRY_DAILY_CAP: z._default(z.coerce.number().check(z.int(), z.positive()), 5000),
    OTP_SMS_DAILY_CAP: z._default(z.coerce.number().check(z.int(), z.positive()), 10000),
    /** The guest's service fee, in basis points of the nightly subtotal (1000 = 10%). */
    SERVICE_FEE_BPS: z._default(
      z.coerce.number().check(z.int(), z.minimum(0), z.maximum(5000)),
      1000,
    ),
    /** The marketplace's fee deducted from the host's payout, in basis points of the subtotal. */
    HOST_FEE_BPS: z._default(z.coerce.number().check(z.int(), z.minimum(0), z.maximum(5000)), 300),
    /** How long a booking holds its dates while the guest pays; then it expires. */
    PAYMENT_WINDOW_SECONDS: z._default(
      z.coerce.number().check(z.int(), z.minimum(1), z.maximum(86_400)),
      900,
    ),
    /** How long a host has to accept or decline a paid request; then it expires, refunded. */
    HOST_RESPONSE_SECONDS: z._default(
      z.coerce.number().check(z.int(), z.minimum(1), z.maximum(7 * 86_400)),
      86_400,
    ),
    /** Check-in time (hour, Africa/Lagos) on the check-in date: cancellation notice is measured to it. */
    CHECK_IN_HOUR: z._default(z.coerce.number().check(z.int(), z.minimum(0), z.maximum(23)), 14),
    /** Check-out time (hour, Africa/Lagos) on the check-out date: the stay completes then. */
    CHECK_OUT_HOUR: z._default(z.coerce.number().check(z.int(), z.minimum(0), z.maximum(23)), 11),
    /** A host is paid this long after check-in, as Airbnb pays about a day after. */
    PAYOUT_DELAY_SECONDS: z._default(
      z.coerce.number().check(z.int(), z.minimum(0), z.maximum(30 * 86_400)),
      86_400,
    ),
    /** Transfers a failed or reversed payout is tried with, in all, before an admin must act. */
    PAYOUT_MAX_ATTEMPTS: z._default(
      z.coerce.number().check(z.int(), z.minimum(1), z.maximum(10)),
      3,
    ),
    /** After check-out, how long each side may review the other; reviews publish at its end. */
    REVIEW_WINDOW_SECONDS: z._default(
      z.coerce.number().check(z.int(), z.minimum(1), z.maximum(60 * 86_400)),
      14 * 86_400,
    ),
    /**
     * The longest delay QStash takes on this plan (7 days free, a year pay-as-you-go): a job
     * due later is published for this far ahead and publishes itself again when it runs early.
     */
    QSTASH_MAX_DELAY_SECONDS: z._default(
      z.coerce.number().check(z.int(), z.minimum(60)),
      7 * 86_400,
    ),
    /** Say at cold start which optional services are off; `npm run dev` says it once instead. */
    LOG_OPTIONAL_SERVICES: z._default(z.stringbool(), true),
    /** Largest request body a route accepts, in bytes. */
    MAX_BODY_BYTES: z._default(z.coerce.number().check(z.int(), z.positive()), 100 * 1024),
    /** Comma-separated list of origins allowed by CORS, or `*`. */
    CORS_ORIGINS: z._default(z.string(), '*'),
    /** Neon's pooled connection string (postgres://...). */
    DATABASE_URL: optionalUrl,
    /** Local development only: the stand-in for Neon's HTTP and WebSocket endpoints. */
    NEON_LOCAL_PROXY_URL: optionalUrl,
    /** Longest a database round trip may take before the request gets a 503. */
    DB_TIMEOUT_MS: z._default(z.coerce.number().check(z.int(), z.positive()), 5000),
    SENTRY_DSN: optionalUrl,
    /** Load Sentry at cold start to trace every invocation; otherwise only on the first error. */
    SENTRY_TRACES: z._default(z.stringbool(), false),

    /**
     * Keys that sign access tokens, `kid:secret` pairs separated by commas. The first signs;
     * all verify, so a new key can be added first and an old one dropped later.
     */
    JWT_SIGNING_KEYS: z.optional(
      z
        .string()
        .check(
          z.regex(
            /^[\w-]+:[^,]{32,}(,[\w-]+:[^,]{32,})*$/,
            'kid:secret pairs, secrets of 32+ characters',
          ),
        ),
    ),
    /** Server secret of the HMAC that OTP codes are stored as. */
    OTP_SECRET: z.optional(z.string().check(z.minLength(32))),

    /** Upstash Redis REST endpoint and token; without them the API runs without a cache. */
    UPSTASH_REDIS_REST_URL: optionalUrl,
    UPSTASH_REDIS_REST_TOKEN: optionalText,
    /** Prefix of every cache key; by default a hash of the database's host, port and name. */
    CACHE_NAMESPACE: z.pipe(blank(), z.optional(z.string().check(z.regex(/^[\w-]{1,40}$/)))),
    /** Longest a cache call may take before it counts as a miss. */
    CACHE_TIMEOUT_MS: z._default(z.coerce.number().check(z.int(), z.positive()), 100),
    /** Bucket of public images (listing photos, avatars), served by the CDN. */
    S3_PUBLIC_BUCKET: z._default(z.string().check(z.minLength(3)), 'marketplace-public'),
    /** Bucket of private documents, reachable only by short-lived presigned URLs. */
    S3_PRIVATE_BUCKET: z._default(z.string().check(z.minLength(3)), 'marketplace-private'),
    /** Local development only: an S3 stand-in (path-style). */
    S3_ENDPOINT: optionalUrl,
    AWS_REGION: z._default(z.string().check(z.minLength(1)), 'eu-west-1'),
    /** How long a presigned URL to a private document works, in seconds (at most 5 minutes). */
    PRIVATE_URL_SECONDS: z._default(
      z.coerce.number().check(z.int(), z.minimum(1), z.maximum(300)),
      300,
    ),
    /** Public base URL of the CDN in front of the public bucket (https://${CDN_DOMAIN}). */
    CDN_BASE_URL: z._default(z.url(), 'https://cdn.example.com'),

    /** Where this API is reached from outside: QStash calls the job routes under it. */
    PUBLIC_API_URL: z._default(z.url(), 'http://127.0.0.1:3000'),
    QSTASH_URL: z._default(z.url(), 'https://qstash.upstash.io'),
    QSTASH_TOKEN: optionalText,
    QSTASH_CURRENT_SIGNING_KEY: optionalText,
    QSTASH_NEXT_SIGNING_KEY: optionalText,

    /**
     * The WebSocket API's `@connections` endpoint, where functions post to connections: the
     * stage's `https://{api}.execute-api.{region}.amazonaws.com/{stage}` (CDK sets it), or
     * the local WebSocket gateway's.
     */
    WS_CALLBACK_URL: optionalUrl,

    /** How each channel sends: a real provider, or the outbox file (local development). */
    EMAIL_PROVIDER: z._default(z.enum(['ses', 'outbox']), 'outbox'),
    EMAIL_FROM: optionalText,
    /** SES v2 API endpoint override; the AWS SDK's default otherwise. */
    SES_ENDPOINT: optionalUrl,
    SMS_PROVIDER: z._default(z.enum(['termii', 'outbox']), 'outbox'),
    TERMII_API_KEY: optionalText,
    TERMII_SENDER_ID: optionalText,
    TERMII_URL: z._default(z.url(), 'https://api.ng.termii.com'),
    PUSH_PROVIDER: z._default(z.enum(['expo', 'outbox']), 'outbox'),
    EXPO_PUSH_URL: z._default(z.url(), 'https://exp.host/--/api/v2/push/send'),
    EXPO_ACCESS_TOKEN: optionalText,
    OUTBOX_FILE: z._default(z.string().check(z.minLength(1)), '.local/outbox.jsonl'),
    /** Longest a call to an outside provider (SMS, email, push) may take. */
    PROVIDER_TIMEOUT_MS: z._default(z.coerce.number().check(z.int(), z.positive()), 8000),

    /** Paystack's API; `npm run dev` and the tests point it at the stand-in. */
    PAYSTACK_BASE_URL: z._default(z.url(), 'https://api.paystack.co'),
    /** Paystack's secret key: signs API calls and the webhooks Paystack sends us. */
    PAYSTACK_SECRET_KEY: optionalText,
    /** The web app's page Paystack's checkout returns to (`?reference=...`). */
    PAYSTACK_CALLBACK_URL: optionalUrl,
  })
  .check(
    z.superRefine((c, ctx) => {
      // A deployed function needs only the secrets it was given (SECRET_NAMES): one that never
      // sends an SMS runs without TERMII_API_KEY, one that never calls Paystack without its key.
      const granted = c.SECRET_NAMES?.split(',');
      const need = (when: boolean, names: ReadonlyArray<keyof typeof c>, why: string) => {
        if (!when) return;
        for (const name of names) {
          if (granted && isSecretName(name) && !granted.includes(name)) continue;
          if (!c[name]) ctx.addIssue({ code: 'custom', path: [name], message: `required ${why}` });
        }
      };
      need(c.EMAIL_PROVIDER === 'ses', ['EMAIL_FROM'], 'when EMAIL_PROVIDER is ses');
      need(
        c.SMS_PROVIDER === 'termii',
        ['TERMII_API_KEY', 'TERMII_SENDER_ID'],
        'when SMS_PROVIDER is termii',
      );
      need(c.APP_ENV === 'production', productionRequired, 'in production');
      if (c.RATE_LIMIT_LOOPBACK_EXEMPT && (c.APP_ENV === 'production' || c.APP_ENV === 'staging')) {
        ctx.addIssue({
          code: 'custom',
          path: ['RATE_LIMIT_LOOPBACK_EXEMPT'],
          message: 'is for local development; every deployed stage keeps every limit',
        });
      }
      for (const channel of ['EMAIL_PROVIDER', 'SMS_PROVIDER', 'PUSH_PROVIDER'] as const) {
        if (c.APP_ENV === 'production' && c[channel] === 'outbox') {
          ctx.addIssue({
            code: 'custom',
            path: [channel],
            message: 'the outbox is for local development; choose a provider in production',
          });
        }
      }
    }),
  );

export type Config = z.infer<typeof schema>;

/** Every variable the configuration reads, as the schema names them. */
export const configNames = Object.keys(schema.shape) as Array<keyof Config>;

/**
 * Variables that only a local run sets: the stand-ins' endpoints and dev-only switches.
 * A deployed function never gets them.
 */
export const localOnlyNames: ReadonlyArray<keyof Config> = [
  'NEON_LOCAL_PROXY_URL',
  'S3_ENDPOINT',
  'RATE_LIMIT_LOOPBACK_EXEMPT',
  'OUTBOX_FILE',
  'LOG_OPTIONAL_SERVICES',
];

/** Parses an environment; throws one error naming every missing or malformed variable. */
export function parseConfig(env: NodeJS.ProcessEnv): Config {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid environment: ${problems.join('; ')}`);
  }
  return result.data;
}

let parsed: Config | undefined;

/**
 * This process's configuration, parsed from `process.env` on first use: a function's
 * `route(...)` reads it at cold start, while importing a contract or the route table
 * parses nothing.
 */
export const config: Config = new Proxy({} as Config, {
  get: (_, name) => {
    parsed ??= parseConfig(process.env);
    return parsed[name as keyof Config];
  },
});

/** Names of optional services that are off because their variables are absent. */
export const disabledServicesOf = (config: Config): string[] =>
  [
    !config.SENTRY_DSN && 'sentry (SENTRY_DSN not set)',
    !config.QSTASH_TOKEN && 'job queue (QSTASH_TOKEN not set: enqueue fails)',
    !config.UPSTASH_REDIS_REST_URL && 'cache (UPSTASH_REDIS_REST_URL not set)',
    config.EMAIL_PROVIDER === 'outbox' && `email (written to ${config.OUTBOX_FILE})`,
    config.SMS_PROVIDER === 'outbox' && `sms (written to ${config.OUTBOX_FILE})`,
    config.PUSH_PROVIDER === 'outbox' && `push (written to ${config.OUTBOX_FILE})`,
  ].filter((s): s is string => typeof s === 'string');
