/**
 * Builds every function as CDK does and prints, for each, its bundle size and two cold-start
 * figures, each beside an empty module measured in the same run (the median of RUNS fresh
 * Node processes, alternating with the empty one so the machine's drift cancels):
 *
 * - import: a fresh process (source maps on, node:http loaded as Lambda's runtime has) that
 *   imports the bundle and exits. This is the module cost that function-per-route is for.
 * - invoke: the same, then one invocation with the route's sample event. Its runner and the
 *   work of one request add ~100 ms of their own and hide the module cost, so it is the
 *   second column, not the only one.
 *
 * - cached: the import of the asset as CDK ships it, the loader and the bundle with the V8
 *   compile cache made for this Node and CPU (infra/compile-cache.ts).
 *
 * Targets (on the cached import): hot routes import ≤ 3× the empty module, every other ≤ 4×;
 * every bundle ≤ 1 MB (KB: all it ships, its lazily imported chunks included); each function
 * ≤ half the import cost of the whole API bundled into one file (no code splitting) and
 * shipped the same way (with its compile cache), printed at the top. Then what each cold start
 * reads and its five largest inputs (esbuild's metafile), so that a regression names its cause.
 * The last lines count "half the whole API" two more ways: against the whole bundle alone (no
 * compile cache, as the issue first measured it), and by the ms each import adds to the empty
 * process. Every function carries the base the whole API has (Node, the database and cache
 * clients, the schema, the stack), so the first, strict reading is the hardest to meet.
 *
 *   npm run bench:cold [-- --runs 9] [-- --only auth/]
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as esbuild from 'esbuild';
import { buildSidecar, coldStartFiles, esbuildOptions } from '#infra/bundling';
import { MAIN, prepareAsset } from '#infra/compile-cache';
import { functionName, routes, wsRoutes } from '#lib/routes';
import { startNeonProxy } from '#local/emulators/neon/index';
import { DEFAULT_DATABASE_URL } from '#tools/database-url';
import { ensureDatabase, migrateDatabase } from '#tools/db';
import { root } from '#tools/root';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '9' },
    only: { type: 'string' },
    inputs: { type: 'string', default: '5' },
  },
});
const RUNS = Number(values.runs);
const out = await mkdtemp(path.join(tmpdir(), 'bench-cold-'));

/** The routes a user waits on first: the app's launch, sign-in and booking. */
const HOT = new Set([
  'health/get-health',
  'listings/list-public-listings',
  'listings/get-public-listing',
  'home-feed/get-home-feed',
  'auth/request-otp',
  'auth/verify-otp',
  'auth/refresh-token',
  'auth/logout',
  'listings/get-listing-quote',
  'bookings/create-booking',
]);

interface Built {
  file: string;
  /** Every file of JavaScript it ships: the bundle and its chunks, maps aside. */
  bytes: number;
  /** What a cold start reads of it: the bundle and the chunks it imports statically. */
  loadedBytes: number;
  /** The largest inputs of what a cold start reads, by bytes in the output. */
  largest: Array<{ input: string; bytes: number }>;
}

/** Builds `entry` as CDK does; `oneFile` turns code splitting off (the whole API's bundle). */
async function build(entry: string, name: string, oneFile = false): Promise<Built> {
  const dir = path.join(out, name);
  const { metafile } = await esbuild.build({
    ...esbuildOptions(entry, dir),
    ...(oneFile ? { splitting: false } : {}),
    metafile: true,
  });
  const { outputs } = metafile;
  const loaded = coldStartFiles(metafile, path.relative(root, path.join(dir, 'index.mjs')));
  const inputs = new Map<string, number>();
  for (const file of loaded) {
    for (const [input, { bytesInOutput }] of Object.entries(outputs[file]?.inputs ?? {})) {
      inputs.set(input, (inputs.get(input) ?? 0) + bytesInOutput);
    }
  }
  const largest = [...inputs]
    .map(([input, bytes]) => ({ input, bytes }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, Number(values.inputs));
  const size = (files: Iterable<string>) =>
    [...files].reduce((sum, f) => sum + (outputs[f]?.bytes ?? 0), 0);
  const shipped = Object.keys(outputs).filter((f) => f.endsWith('.mjs'));
  return {
    file: path.join(dir, 'index.mjs'),
    bytes: size(shipped),
    loadedBytes: size(loaded),
    largest,
  };
}

// Lambda's Node runtime has required node:http (its Runtime API client, CommonJS) before it
// imports the function, so both runners do too. Not with an ESM import: that reads every
// export of node:http, and one of them loads undici (~20 ms) that Lambda's runtime never loads.
const preload =
  "import { createRequire } from 'node:module';\ncreateRequire(import.meta.url)('node:http');\n";
const importRunner = path.join(out, 'import.mjs');
await writeFile(importRunner, `${preload}await import(process.argv[2]);\nprocess.exit(0);\n`);
const invokeRunner = path.join(out, 'invoke.mjs');
await writeFile(
  invokeRunner,
  `${preload}import { readFileSync } from 'node:fs';
const [bundle, eventFile] = process.argv.slice(2);
const { handler } = await import(bundle);
const event = eventFile ? JSON.parse(readFileSync(eventFile, 'utf8')) : {};
const context = { awsRequestId: 'bench', functionName: 'bench', memoryLimitInMB: '512', getRemainingTimeInMillis: () => 10000 };
const result = await handler(event, context);
process.stdout.write(String(result?.statusCode ?? 'none'));
process.exit(0);
`,
);

function run(args: string[], env: NodeJS.ProcessEnv) {
  return new Promise<{ ms: number; status: string }>((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--enable-source-maps', ...args], {
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let status = '';
    child.stdout.on('data', (d) => {
      status += d;
    });
    child.on('error', reject);
    child.on('exit', () => resolve({ ms: performance.now() - started, status }));
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/**
 * RUNS rounds of fresh processes: `baseline`, then each of `variants`, in turn. Answers the
 * medians, so every variant is compared with the same baseline measured beside it.
 */
async function beside(variants: string[][], baseline: string[], env: NodeJS.ProcessEnv) {
  const own: number[][] = variants.map(() => []);
  const base: number[] = [];
  let status = '';
  for (let i = 0; i < RUNS; i++) {
    base.push((await run(baseline, env)).ms);
    for (const [v, args] of variants.entries()) {
      const r = await run(args, env);
      own[v]?.push(r.ms);
      status = r.status;
    }
  }
  return { ms: own.map(median), base: median(base), status };
}

async function sampleEvent(fn: string): Promise<string | undefined> {
  const dir = path.join(root, 'events', path.dirname(fn));
  const files = (await readdir(dir)).filter((f) => f.startsWith(`${path.basename(fn)}.`)).sort();
  const preferred = files.find((f) => f.includes('.default.')) ?? files[0];
  return preferred ? path.join(dir, preferred) : undefined;
}

buildSidecar(out);
// The invocations run their real queries: against a database at the latest migration.
await ensureDatabase(DEFAULT_DATABASE_URL);
await migrateDatabase(DEFAULT_DATABASE_URL);
// A production environment with every required setting; the database is a local one behind
// the Neon stand-in, so public routes run their real query.
const neon = await startNeonProxy();
const env = {
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
  PAYSTACK_SECRET_KEY: 'sk_test_bench',
  PAYSTACK_CALLBACK_URL: 'https://app.example.com/bookings/return',
};

const emptyEntry = path.join(out, 'empty.ts');
await writeFile(
  emptyEntry,
  'export const handler = async () => ({ statusCode: 200, body: "{}" });\n',
);
const empty = await build(emptyEntry, 'empty');

const all = [...routes, ...wsRoutes].filter((r) => !values.only || r.fn.includes(values.only));

// The whole API in one file: what one Lambda serving every route would load.
const wholeEntry = path.join(out, 'whole.ts');
await writeFile(
  wholeEntry,
  [...routes, ...wsRoutes]
    .map(
      (r, i) =>
        `export { handler as h${i} } from ${JSON.stringify(path.join(root, 'functions', `${r.fn}.ts`))};`,
    )
    .join('\n'),
);
const whole = await build(wholeEntry, 'whole', true);
// Like a function, both ways: the bundle alone, and shipped with its compile cache.
prepareAsset(path.dirname(whole.file), process.arch);
const wholeRun = await beside(
  [
    [importRunner, path.join(path.dirname(whole.file), MAIN)],
    [importRunner, whole.file],
  ],
  [importRunner, empty.file],
  env,
);
const wholeImport = { ms: wholeRun.ms[0] ?? 0, cachedMs: wholeRun.ms[1] ?? 0, base: wholeRun.base };

console.log(
  `cold start: fresh Node ${process.version} processes with --enable-source-maps, median of ${RUNS}, each beside an empty module`,
);
console.log(
  `whole API in one bundle: ${(whole.bytes / 1024).toFixed(0)} KB, import ${wholeImport.ms.toFixed(0)} ms = ${(wholeImport.ms / wholeImport.base).toFixed(2)}x, cached ${wholeImport.cachedMs.toFixed(0)} ms = ${(wholeImport.cachedMs / wholeImport.base).toFixed(2)}x the empty module (${wholeImport.base.toFixed(0)} ms)\n`,
);
console.log(
  [
    'function',
    'KB',
    'import ms',
    'ratio',
    'cached ms',
    'ratio',
    'empty ms',
    'invoke ms',
    'ratio',
    'status',
    '/whole',
    'target',
  ].join('\t'),
);

let failures = 0;
// "Half the whole API", three ways: the first decides `target`, the others are counted.
const readings = { limits: 0, plain: 0, own: 0 };
const inputs: string[] = [];
// Shipped against shipped: the function's cached import against the whole API's.
const wholeRatio = wholeImport.cachedMs / wholeImport.base;
const wholePlainRatio = wholeImport.ms / wholeImport.base;
for (const route of all) {
  const built = await build(path.join(root, 'functions', `${route.fn}.ts`), functionName(route.fn));
  const event = await sampleEvent(route.fn);
  // As CDK ships it: index.mjs the loader, main.mjs the bundle, and the compile cache made
  // for this Node and CPU (the ones measuring).
  const dir = path.dirname(built.file);
  prepareAsset(dir, process.arch);
  const main = path.join(dir, MAIN);
  const imports = await beside(
    [
      [importRunner, main],
      [importRunner, built.file],
    ],
    [importRunner, empty.file],
    env,
  );
  const [plainMs = 0, cachedMs = 0] = imports.ms;
  const invoked = await beside(
    [[invokeRunner, built.file, ...(event ? [event] : [])]],
    [invokeRunner, empty.file],
    env,
  );
  const invokedMs = invoked.ms[0] ?? 0;
  const plainRatio = plainMs / imports.base;
  // The targets hold for what ships: the bundle with its cache.
  const ratio = cachedMs / imports.base;
  const limit = HOT.has(route.fn) ? 3 : 4;
  const half = wholeRatio / 2;
  const met = built.bytes <= 1024 * 1024 && ratio <= limit && ratio <= half;
  if (!met) failures++;
  const others = built.bytes <= 1024 * 1024 && ratio <= limit;
  if (others) readings.limits++;
  // Against the whole API as the issue measured it (its bundle alone, no compile cache).
  if (others && ratio <= wholePlainRatio / 2) readings.plain++;
  // By module cost: the ms each import adds to the empty process, both shipped.
  const own = cachedMs - imports.base;
  if (others && own <= (wholeImport.cachedMs - wholeImport.base) / 2) readings.own++;
  console.log(
    [
      functionName(route.fn),
      (built.bytes / 1024).toFixed(0),
      plainMs.toFixed(0),
      `${plainRatio.toFixed(2)}x`,
      cachedMs.toFixed(0),
      `${ratio.toFixed(2)}x`,
      imports.base.toFixed(0),
      invokedMs.toFixed(0),
      `${(invokedMs / invoked.base).toFixed(2)}x`,
      invoked.status,
      `${((ratio / wholeRatio) * 100).toFixed(0)}%`,
      `${met ? 'met' : 'MISSED'} (≤${limit}x${HOT.has(route.fn) ? ', hot' : ''})`,
    ].join('\t'),
  );
  inputs.push(
    `${functionName(route.fn)} (reads ${(built.loadedBytes / 1024).toFixed(0)} KB of ${(built.bytes / 1024).toFixed(0)}): ${built.largest
      .map((i) => `${i.input.replace(/^node_modules\//, '')} ${(i.bytes / 1024).toFixed(0)} KB`)
      .join(', ')}`,
  );
}
console.log(
  `\nlargest inputs of what each cold start reads (bytes in the output; the chunks it imports only when it needs them aside):\n${inputs.join('\n')}`,
);
console.log(
  `\n${all.length - failures} of ${all.length} functions meet their targets (bundle ≤ 1 MB; import ≤ 3x hot, ≤ 4x other; ≤ half the whole API's ratio, both shipped with their compile cache)`,
);
console.log(
  `${readings.limits} of ${all.length} meet the size and ratio targets; read "half the whole API" another way, ${readings.plain} of ${all.length} meet every target against the whole API's bundle alone (${wholePlainRatio.toFixed(2)}x, no compile cache, as the issue measured it), and ${readings.own} of ${all.length} by module cost (ms over the empty process, both shipped)`,
);
await neon.close();
process.exitCode = failures > 0 ? 1 : 0;
