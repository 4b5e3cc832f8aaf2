/**
 * Builds every function as CDK does and prints, for each, its bundle size and its cold
 * start: a fresh Node process that imports the bundle and serves one invocation (median
 * of RUNS), beside the same for an empty handler. Targets: bundle ≤ 1 MB, cold start ≤ 2×.
 *
 *   npm run bench:cold [-- --runs 9]
 */
import { execSync, spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as esbuild from 'esbuild';
import { bundleSettings, sidecarCommands } from '#infra/bundling';
import { functionName, routes } from '#lib/routes';
import { startNeonProxy } from '#local/emulators/neon/index';
import { startSentryIngest } from '#local/emulators/sentry/index';
import { DEFAULT_DATABASE_URL } from '#tools/database-url';
import { root } from '#tools/root';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' } } });
const RUNS = Number(values.runs);
const out = await mkdtemp(path.join(tmpdir(), 'bench-cold-'));

async function build(entry: string, name: string): Promise<string> {
  const outfile = path.join(out, name, 'index.mjs');
  await esbuild.build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: bundleSettings.target,
    minify: bundleSettings.minify,
    sourcemap: bundleSettings.sourceMap,
    sourcesContent: bundleSettings.sourcesContent,
    external: bundleSettings.externalModules,
    banner: { js: bundleSettings.banner },
    mainFields: bundleSettings.mainFields,
    logLevel: 'error',
  });
  return outfile;
}

const runner = path.join(out, 'runner.mjs');
await writeFile(
  runner,
  `// Lambda's Node runtime has loaded node:http (its Runtime API client) before it imports
// the function, so the runner does too: both the empty handler and ours start from there.
import 'node:http';
import { readFileSync } from 'node:fs';
const [bundle, eventFile] = process.argv.slice(2);
const { handler } = await import(bundle);
const event = eventFile ? JSON.parse(readFileSync(eventFile, 'utf8')) : {};
const context = { awsRequestId: 'bench', functionName: 'bench', memoryLimitInMB: '512', getRemainingTimeInMillis: () => 10000 };
const result = await handler(event, context);
process.stdout.write(String(result?.statusCode ?? 'none'));
process.exit(0);
`,
);

function coldStart(bundle: string, event: string | undefined, env: NodeJS.ProcessEnv) {
  return new Promise<{ ms: number; status: string }>((resolve, reject) => {
    const started = performance.now();
    const child = spawn(
      process.execPath,
      ['--enable-source-maps', runner, bundle, ...(event ? [event] : [])],
      {
        env,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let status = '';
    child.stdout.on('data', (d) => {
      status += d;
    });
    child.on('error', reject);
    child.on('exit', () => resolve({ ms: performance.now() - started, status }));
  });
}

async function median(bundle: string, event: string | undefined, env: NodeJS.ProcessEnv) {
  const times: number[] = [];
  let status = '';
  for (let i = 0; i < RUNS; i++) {
    const r = await coldStart(bundle, event, env);
    times.push(r.ms);
    status = r.status;
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)] ?? 0, status };
}

async function sampleEvent(fn: string): Promise<string | undefined> {
  const dir = path.join(root, 'events', path.dirname(fn));
  const files = (await readdir(dir)).filter((f) => f.startsWith(`${path.basename(fn)}.`)).sort();
  const preferred = files.find((f) => f.includes('.default.')) ?? files[0];
  return preferred ? path.join(dir, preferred) : undefined;
}

for (const command of sidecarCommands(out)) execSync(command, { stdio: 'inherit' });
const ingest = await startSentryIngest();
// A production environment with every required setting; the database is a local one
// behind the Neon stand-in, so public routes run their real query.
const neon = await startNeonProxy();
const baseEnv = {
  PATH: process.env.PATH,
  APP_ENV: 'production',
  LOG_LEVEL: 'WARN',
  DATABASE_URL: DEFAULT_DATABASE_URL,
  NEON_LOCAL_PROXY_URL: `http://127.0.0.1:${neon.port}`,
  JWT_SIGNING_KEYS: `bench:${'k'.repeat(40)}`,
  OTP_SECRET: 's'.repeat(40),
  QSTASH_TOKEN: 'bench',
  QSTASH_CURRENT_SIGNING_KEY: 'bench-current',
  QSTASH_NEXT_SIGNING_KEY: 'bench-next',
  // Production needs a cache; none answers here, so every cache call is a quick miss.
  UPSTASH_REDIS_REST_URL: 'http://127.0.0.1:9',
  UPSTASH_REDIS_REST_TOKEN: 'bench',
  EMAIL_PROVIDER: 'ses',
  EMAIL_FROM: 'bench@example.com',
  SMS_PROVIDER: 'termii',
  TERMII_API_KEY: 'bench',
  TERMII_SENDER_ID: 'bench',
  PUSH_PROVIDER: 'expo',
};
const sentryEnv = { ...baseEnv, SENTRY_DSN: ingest.dsn };
const tracingEnv = { ...sentryEnv, SENTRY_TRACES: 'true' };

const emptyEntry = path.join(out, 'empty.ts');
await writeFile(
  emptyEntry,
  'export const handler = async () => ({ statusCode: 200, body: "{}" });\n',
);
const emptyBundle = await build(emptyEntry, 'empty');
// The machine's speed drifts over a run of minutes, so each function is compared with the
// empty handler measured right beside it, not once at the start.
const emptyNow = () => median(emptyBundle, undefined, baseEnv);
const empty = await emptyNow();

console.log(
  `cold start = fresh Node ${process.version} process: import bundle + one invocation; median of ${RUNS}`,
);
console.log(`empty handler: ${empty.ms.toFixed(0)} ms (measured again beside each function)\n`);
console.log(
  'cold: no SENTRY_DSN | dsn: SENTRY_DSN set (SDK loaded on the first error) | traces: SENTRY_TRACES too (SDK at cold start)\n',
);
const header = [
  'function',
  'KB',
  'cold ms',
  'ratio',
  'dsn ms',
  'ratio',
  'traces ms',
  'ratio',
  'empty ms',
  'status',
  'targets',
];
console.log(header.join('\t'));
let failures = 0;
for (const route of routes) {
  const bundle = await build(
    path.join(root, 'functions', `${route.fn}.ts`),
    functionName(route.fn),
  );
  const bytes = (await stat(bundle)).size;
  const event = await sampleEvent(route.fn);
  const beside = await emptyNow();
  const plain = await median(bundle, event, baseEnv);
  const withDsn = await median(bundle, event, sentryEnv);
  const withTracing = await median(bundle, event, tracingEnv);
  const ratio = plain.ms / beside.ms;
  const met = bytes <= 1024 * 1024 && ratio <= 2 && withDsn.ms / beside.ms <= 2;
  if (!met) failures++;
  console.log(
    [
      functionName(route.fn),
      (bytes / 1024).toFixed(0),
      plain.ms.toFixed(0),
      `${ratio.toFixed(2)}x`,
      withDsn.ms.toFixed(0),
      `${(withDsn.ms / beside.ms).toFixed(2)}x`,
      withTracing.ms.toFixed(0),
      `${(withTracing.ms / beside.ms).toFixed(2)}x`,
      beside.ms.toFixed(0),
      plain.status,
      met ? 'met' : 'MISSED',
    ].join('\t'),
  );
}
const sidecar = (await stat(path.join(out, 'node_modules/@sentry/aws-serverless/index.mjs'))).size;
console.log(
  `\nSentry package beside each bundle (read only when SENTRY_DSN is set): ${(sidecar / 1024).toFixed(0)} KB`,
);
console.log(
  `${routes.length - failures} of ${routes.length} functions meet both targets (bundle ≤ 1 MB, cold and dsn ≤ 2x)`,
);
await ingest.close();
await neon.close();
await rm(out, { recursive: true, force: true });
