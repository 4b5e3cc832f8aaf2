/**
 * How every function is bundled, shared by CDK and the cold-start benchmark so that the
 * benchmark measures what ships.
 *
 * - The AWS SDK v3 is bundled rather than taken from the runtime: its version is then the
 *   one in our lock file, and tree-shaken minified clients load faster than the runtime's.
 * - Sentry is not in the function's bundle. It is built once more into
 *   `node_modules/@sentry/aws-serverless` beside the bundle, where `lib/sentry` imports it
 *   only when SENTRY_DSN is set: functions without a DSN never read it, and it keeps the
 *   bundle well under 1 MB (it is ~700 KB minified).
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type BuildOptions, buildSync, type Metafile } from 'esbuild';
import {
  CHUNKS_DIR,
  cacheNodePath,
  loaderSource,
  nodeOf,
  type Prepared,
  prepareAsset,
} from '#infra/compile-cache';
import { root } from '#tools/root';

/** Every output file's first line: `require` for the builtins (`builtins` says why). */
const ESM_REQUIRE_SHIM =
  "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);";

const SIDECAR_PACKAGE = '@sentry/aws-serverless';

/**
 * The Node builtins that function code imports, each aliased to `infra/node-builtins/<name>.cjs`,
 * which `require`s it. An ESM `import` of a builtin is hoisted to the top of the bundle and
 * makes Node read every export of the module, so every lazy getter runs at load: node:http's
 * loads undici (~20 ms), node:process's reads every property of `process` (~4 ms), and the
 * ones that only a lazily imported SDK client needs (http2, https, child_process, ...) load at
 * every cold start. Through `require`, a builtin loads when the code that needs it first runs,
 * and only the exports it reads. tests/infra/bundling.test.ts fails on a builtin missing here.
 */
export const builtins = [
  'async_hooks',
  'buffer',
  'child_process',
  'console',
  'crypto',
  'events',
  'fs',
  'fs/promises',
  'http',
  'http2',
  'https',
  'net',
  'os',
  'path',
  'process',
  'stream',
  'stream/web',
  'timers',
  'util',
  'zlib',
] as const;

const TARGET = 'node24';

/** Writes the Sentry package, as one ESM file, into `outputDir`'s node_modules. */
export function buildSidecar(outputDir: string): void {
  const pkgDir = path.join(outputDir, 'node_modules', SIDECAR_PACKAGE);
  buildSync({
    entryPoints: [path.join(root, 'node_modules', SIDECAR_PACKAGE, 'build/npm/esm/index.js')],
    outfile: path.join(pkgDir, 'index.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: TARGET,
    minify: true,
    banner: { js: ESM_REQUIRE_SHIM },
    logLevel: 'error',
  });
  const manifest = { name: SIDECAR_PACKAGE, type: 'module', main: './index.mjs' };
  writeFileSync(path.join(pkgDir, 'package.json'), JSON.stringify(manifest));
}

/**
 * esbuild's options for one function: `entry` bundled into `outdir` as `index.mjs`, with code
 * splitting, so that what the function imports only when it needs it (the `@connections`
 * client, say, loaded when there is a frame to send) is a chunk in `chunks/` that a cold
 * start never reads. CDK (`buildFunction`), bench:cold and the tests all build with these.
 */
export function esbuildOptions(entry: string, outdir: string) {
  return {
    entryPoints: [entry],
    outdir,
    entryNames: 'index',
    chunkNames: `${CHUNKS_DIR}/[name]-[hash]`,
    outExtension: { '.js': '.mjs' },
    splitting: true,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: TARGET,
    minify: true,
    sourcemap: true,
    // Stack traces need the mappings, not the sources: with --enable-source-maps Node parses
    // the map at load, and without sourcesContent it is a third of the size (about 30 ms less
    // cold start per function, measured with bench:cold).
    sourcesContent: false,
    external: [SIDECAR_PACKAGE],
    banner: { js: ESM_REQUIRE_SHIM },
    mainFields: ['module', 'main'],
    // Every Node builtin through require (`builtins` says why).
    alias: Object.fromEntries(
      builtins.map((name) => [
        `node:${name}`,
        `./infra/node-builtins/${name.replace('/', '-')}.cjs`,
      ]),
    ),
    absWorkingDir: root,
    logLevel: 'error',
  } satisfies BuildOptions;
}

/**
 * The output files a cold start reads (keys of esbuild's metafile): `entry`, the function's
 * `index.mjs`, and every chunk it imports statically, transitively. A chunk imported with
 * `import()` waits for its first use.
 */
export function coldStartFiles(metafile: Metafile, entry: string): Set<string> {
  const files = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const i of metafile.outputs[file]?.imports ?? []) {
      if (i.kind === 'import-statement') visit(i.path);
    }
  };
  visit(entry);
  return files;
}

/**
 * A function asset's hash, from what decides its content: the bundle and its map (built here
 * the same way, not written), the loader, the Node and CPU that make the compile cache, and
 * the Sentry sidecar's version. Not from the files themselves: V8's code cache differs from
 * one build to the next, so hashing the output would publish every function on every deploy.
 */
export function functionAssetHash(entry: string): string {
  const outdir = path.join(root, 'cdk.out', 'hash');
  const built = buildSync({
    ...esbuildOptions(entry, outdir),
    write: false,
  });
  const hash = createHash('sha256');
  for (const file of built.outputFiles) {
    hash.update(path.relative(outdir, file.path)).update(file.contents);
  }
  hash.update(loaderSource(nodeOf(cacheNodePath())));
  const sentry = path.join(root, 'node_modules', SIDECAR_PACKAGE, 'package.json');
  hash.update(JSON.parse(readFileSync(sentry, 'utf8')).version);
  return hash.digest('hex');
}

/**
 * One function's asset, as CDK ships it, in `outputDir`: the bundle and its chunks, the Sentry
 * sidecar, and the loader with the compile cache when this build runs on `arch`
 * (infra/compile-cache.ts).
 */
export function buildFunction(entry: string, outputDir: string, arch: 'arm64' | 'x64'): Prepared {
  buildSync(esbuildOptions(entry, outputDir));
  buildSidecar(outputDir);
  return prepareAsset(outputDir, arch);
}
