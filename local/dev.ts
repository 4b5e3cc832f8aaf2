// npm run dev: the whole API on this machine, through the production client libraries,
// with stand-ins for the cloud endpoints they talk to.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { Client } from '@upstash/qstash';
import { Redis } from 'ioredis';
import { disabledServicesOf, parseConfig } from '#lib/platform/config';
import { startNeonProxy } from '#local/emulators/neon/index';
import { startPaystack } from '#local/emulators/paystack/index';
import { startQStash } from '#local/emulators/qstash/index';
import { LOCAL_S3_CREDENTIALS, startS3 } from '#local/emulators/s3/index';
import { startUpstashRedis } from '#local/emulators/upstash-redis/index';
import { devEnvFrom, removeDevEnv, writeDevEnv } from '#local/runtime/dev-env';
import { describeRoutes, startGateway } from '#local/runtime/gateway';
import { chatPages } from '#local/runtime/pages';
import { describeWsRoutes, startWsGateway } from '#local/runtime/ws-gateway';
import { seed, uploadSeedPhotos } from '#local/seed/demo';
import { DEFAULT_DATABASE_URL } from '#tools/database-url';
import { canConnect, ensureDatabase, migrateDatabase } from '#tools/db';
import { syncSchedules } from '#tools/schedules';

const closers: Array<() => Promise<void>> = [];
const isLoopback = (url: string) =>
  ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);

/** Prepares a local database: created, migrated, and seeded the first time. */
async function prepare(url: string, create: boolean): Promise<string> {
  if (create) await ensureDatabase(url);
  await migrateDatabase(url);
  return (await seed(url)) ? 'migrated, demo data loaded' : 'migrated';
}

/** DATABASE_URL, else Postgres on 127.0.0.1:5432, else embedded PGlite. */
async function startDatabase(): Promise<{ url: string; local: boolean; banner: string }> {
  const configured = process.env.DATABASE_URL;
  if (configured && !isLoopback(configured)) {
    return {
      url: configured,
      local: false,
      banner: `Neon at ${new URL(configured).hostname} (DATABASE_URL)`,
    };
  }
  const url = configured ?? DEFAULT_DATABASE_URL;
  if (await canConnect(url)) {
    const state = await prepare(url, true);
    return {
      url,
      local: true,
      banner: `PostgreSQL ${new URL(url).host}${new URL(url).pathname} (${state})`,
    };
  }
  const { startPglite } = await import('#local/emulators/pglite/index');
  const pglite = await startPglite({ dataDir: '.local/pglite' });
  closers.push(() => pglite.close());
  const state = await prepare(pglite.connectionString, false);
  return {
    url: pglite.connectionString,
    local: true,
    banner: [
      `PGlite, embedded (${state}; data in .local/pglite)`,
      `  !! No PostgreSQL answered at ${new URL(url).host}: using embedded PGlite, one session at a time.`,
      '  !! Start PostgreSQL and restart `npm run dev` to use it instead.',
    ].join('\n'),
  };
}

const database = await startDatabase();
process.env.DATABASE_URL = database.url;
if (database.local) {
  const neon = await startNeonProxy();
  closers.push(() => neon.close());
  process.env.NEON_LOCAL_PROXY_URL = `http://127.0.0.1:${neon.port}`;
}

/** Local signing secrets, made once and kept in .local so sign-ins survive a restart. */
async function localSecrets(): Promise<Record<string, string>> {
  const file = '.local/dev-secrets.json';
  const saved: Record<string, string> | undefined = await readFile(file, 'utf8').then(
    JSON.parse,
    () => undefined,
  );
  // A secret added since the file was written is made and saved beside the others.
  const secrets = {
    JWT_SIGNING_KEYS: `dev-${Date.now().toString(36)}:${randomBytes(32).toString('hex')}`,
    OTP_SECRET: randomBytes(32).toString('hex'),
    PAYSTACK_SECRET_KEY: `sk_test_${randomBytes(20).toString('hex')}`,
    ...saved,
  };
  if (saved && Object.keys(saved).length === Object.keys(secrets).length) return saved;
  await mkdir('.local', { recursive: true });
  await writeFile(file, JSON.stringify(secrets, null, 2));
  return secrets;
}
for (const [name, value] of Object.entries(await localSecrets())) process.env[name] ??= value;

/** The cache: the Upstash REST stand-in in front of Redis on 127.0.0.1:6379, if it answers. */
async function startCache(): Promise<string> {
  if (process.env.UPSTASH_REDIS_REST_URL) return `Upstash at ${process.env.UPSTASH_REDIS_REST_URL}`;
  const probe = new Redis({
    lazyConnect: true,
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  const up = await probe.connect().then(
    () => true,
    () => false,
  );
  probe.disconnect();
  if (!up) return 'none (no Redis on 127.0.0.1:6379; the API runs without a cache)';
  const token = 'local-upstash-token';
  const upstash = await startUpstashRedis({
    token,
    port: Number(process.env.UPSTASH_PORT ?? 8079),
  });
  closers.push(() => upstash.close());
  process.env.UPSTASH_REDIS_REST_URL = upstash.url;
  process.env.UPSTASH_REDIS_REST_TOKEN = token;
  return `Upstash REST stand-in ${upstash.url} → Redis 127.0.0.1:6379`;
}
const cacheBanner = await startCache();

// S3 for uploads, and the CDN path that serves the public bucket to browsers.
const s3 = await startS3({
  port: Number(process.env.S3_PORT ?? 4569),
  dataDir: '.local/s3',
  buckets: ['marketplace-private'],
  publicBuckets: ['marketplace-public'],
});
closers.push(() => s3.close());
// The seeded listings' photos, made again if .local/s3 lost them while the database kept its rows.
const seedPhotos = database.local
  ? await uploadSeedPhotos(database.url, { endpoint: s3.endpoint, bucket: 'marketplace-public' })
  : [];
Object.assign(process.env, {
  S3_ENDPOINT: s3.endpoint,
  S3_PUBLIC_BUCKET: 'marketplace-public',
  S3_PRIVATE_BUCKET: 'marketplace-private',
  CDN_BASE_URL: s3.cdnUrl('marketplace-public'),
  AWS_ACCESS_KEY_ID: LOCAL_S3_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: LOCAL_S3_CREDENTIALS.secretAccessKey,
  AWS_REGION: 'us-east-1',
});

const port = Number(process.env.PORT ?? 3000);
const publicApiUrl = `http://127.0.0.1:${port}`;

// The job queue: a local QStash that calls the job routes back with signed requests.
// Local-only keys; production's come from the deploy environment.
const qstashEnv = {
  QSTASH_TOKEN: 'local-qstash-token',
  QSTASH_CURRENT_SIGNING_KEY: 'local-current-signing-key',
  QSTASH_NEXT_SIGNING_KEY: 'local-next-signing-key',
};
const qstash = await startQStash({
  port: Number(process.env.QSTASH_PORT ?? 8080),
  token: qstashEnv.QSTASH_TOKEN,
  currentSigningKey: qstashEnv.QSTASH_CURRENT_SIGNING_KEY,
  nextSigningKey: qstashEnv.QSTASH_NEXT_SIGNING_KEY,
  retryBackoffMs: (retried) => 1000 * 2 ** retried,
  // Delayed messages (payment windows, host deadlines) survive a restart of npm run dev.
  stateFile: '.local/qstash-state.json',
  log: (line) => console.log(line),
});
closers.push(() => qstash.close());

// Payments: a local Paystack whose checkout page pays (or declines) and sends the signed
// webhooks to the API, as Paystack does.
const paystack = await startPaystack({
  port: Number(process.env.PAYSTACK_PORT ?? 8081),
  secretKey: process.env.PAYSTACK_SECRET_KEY as string,
  webhookUrl: `${publicApiUrl}/webhooks/paystack`,
  log: (line) => console.log(line),
});
closers.push(() => paystack.close());

const env = {
  ...qstashEnv,
  QSTASH_URL: qstash.url,
  PUBLIC_API_URL: publicApiUrl,
  PAYSTACK_BASE_URL: paystack.url,
};
Object.assign(process.env, env);

// Each function would say at its cold start which optional services are off; dev says it once.
const optionalOff = disabledServicesOf(parseConfig(process.env));
process.env.LOG_OPTIONAL_SERVICES = 'false';
// Every local request comes from 127.0.0.1: no per-address limits for it (README, Limits).
process.env.RATE_LIMIT_LOOPBACK_EXEMPT ??= 'true';

// The WebSocket API (the chat) and its @connections endpoint, which the functions post to.
const wsGateway = await startWsGateway({
  port: Number(process.env.WS_PORT ?? 3001),
  log: (line) => console.log(line),
});
closers.unshift(() => wsGateway.close());
process.env.WS_CALLBACK_URL = wsGateway.callbackUrl;

const gateway = await startGateway({
  port,
  log: (line) => console.log(line),
  pages: chatPages(wsGateway.url),
});
closers.unshift(() => gateway.close());
// What the functions got, for `npm run invoke`, `npm run enqueue` and `npm run schedules:sync`;
// written once the gateway answers, removed when dev stops.
await writeDevEnv(devEnvFrom(process.env));

const synced = await syncSchedules(
  new Client({
    baseUrl: qstash.url,
    token: qstashEnv.QSTASH_TOKEN,
    devMode: false,
    enableTelemetry: false,
  }),
  publicApiUrl,
);

console.log(`
HTTP API   ${gateway.url}
WebSocket  ${wsGateway.url} (?token=<access token>; functions post to ${wsGateway.callbackUrl}/@connections/<id>)
Chat page  ${gateway.url}/chat (sign in with a code from .local/outbox.jsonl)
API docs   ${gateway.url}/docs (HTTP, by Scalar) and ${gateway.url}/docs/ws (WebSocket, AsyncAPI)
Database   ${database.banner}
Cache      ${cacheBanner}
S3 and CDN ${s3.endpoint} (data in .local/s3${seedPhotos.length ? `, ${seedPhotos.length} demo photos added` : ''}; public images at ${s3.cdnUrl('marketplace-public')}/<key>)
Job queue  local QStash ${qstash.url} (schedules: ${[...synced.created, ...synced.updated, ...synced.unchanged].join(', ')})
Payments   local Paystack ${paystack.url} (checkout pages at ${paystack.url}/checkout/<code>)
Outbox     ${process.env.OUTBOX_FILE ?? '.local/outbox.jsonl'} (email, SMS and push without a provider)
Off        ${optionalOff.join('; ') || 'nothing'}
Logs       a line per request ending with the function that served it (and why it was refused);
           follow one function with: npm run dev | grep -F <function>, e.g. auth-request-otp

${describeRoutes()}
${describeWsRoutes()}
`);

const stop = async () => {
  await removeDevEnv().catch(() => {});
  for (const close of closers) await close().catch(() => {});
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
