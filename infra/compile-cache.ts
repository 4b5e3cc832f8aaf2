/**
 * V8's compile cache, made at build time for the exact bundle and shipped in the function's
 * asset, so a cold start reads compiled code instead of compiling the bundle again.
 *
 * After esbuild, the bundle becomes `main.mjs` and `index.mjs` is a small loader that turns
 * the cache on (`module.enableCompileCache`, portable: keyed by paths relative to the cache,
 * so it survives the move to `/var/task`) and then imports `main.mjs`. A code cache made by
 * another Node or another CPU has crashed Node rather than being refused
 * (zertosh/v8-compile-cache#36, nodejs/node#62781), so:
 * - the cache is made only when the Node doing the build is the function's architecture
 *   (the deploy workflow builds on an arm64 runner for our arm64 functions, with
 *   COMPILE_CACHE_NODE set to the Node that Lambda's nodejs24.x runs);
 * - the loader uses it only when `process.version` and `process.arch` are the ones that made
 *   it; anywhere else it imports the bundle without it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const MAIN = 'main.mjs';
export const CACHE_DIR = 'compile-cache';
/** Where esbuild's code splitting puts what the bundle imports lazily (infra/bundling.ts). */
export const CHUNKS_DIR = 'chunks';

/** The function's entry: the cache for exactly this Node and CPU, then the bundle. */
export const loaderSource = (made: { node: string; arch: string } | undefined) =>
  [
    made
      ? `import module from 'node:module';\nif (process.version === ${JSON.stringify(made.node)} && process.arch === ${JSON.stringify(made.arch)}) module.enableCompileCache({ directory: new URL('./${CACHE_DIR}', import.meta.url).pathname, portable: true });`
      : '// No compile cache: the build ran on another architecture or Node than the function.',
    `const main = await import('./${MAIN}');`,
    'export const handler = main.handler;',
    '',
  ].join('\n');

export interface Prepared {
  /** Whether the asset carries a cache, and why not when it does not. */
  cached: boolean;
  reason: string;
  node: string;
  arch: string;
}

/**
 * The Node that makes the compile cache: COMPILE_CACHE_NODE, else the one running this
 * (the deploy workflow sets it to setup-node's).
 */
export const cacheNodePath = () => process.env.COMPILE_CACHE_NODE || process.execPath;

const made = new Map<string, { node: string; arch: string }>();

/** A Node binary's version and CPU (`v24.21.0`, `arm64`), asked once per binary. */
export function nodeOf(node: string): { node: string; arch: string } {
  let found = made.get(node);
  if (!found) {
    const [version = '', arch = ''] = execFileSync(
      node,
      ['-p', 'process.version + " " + process.arch'],
      { encoding: 'utf8' },
    )
      .trim()
      .split(' ');
    found = { node: version, arch };
    made.set(node, found);
  }
  return found;
}

/**
 * Turns an esbuild output directory (`index.mjs`) into the loader and `main.mjs`, with a
 * compile cache when `node` (default: this one) runs on `arch`.
 */
export function prepareAsset(dir: string, arch: string, node = cacheNodePath()): Prepared {
  const { node: version, arch: nodeArch } = nodeOf(node);
  if (!existsSync(path.join(dir, MAIN)))
    renameSync(path.join(dir, 'index.mjs'), path.join(dir, MAIN));
  const entry = path.join(dir, 'index.mjs');
  const made = { node: version, arch: nodeArch };
  if (nodeArch !== arch) {
    writeFileSync(entry, loaderSource(undefined));
    return { cached: false, reason: `built on ${nodeArch}, the function runs on ${arch}`, ...made };
  }
  writeFileSync(entry, loaderSource(made));
  // One import fills the cache with what loading compiles (the module's top level and what it
  // calls), then each chunk that the bundle imports only when it needs it, so that its first
  // use reads compiled code too. It needs a configuration, not secrets: development defaults,
  // no network.
  const chunks = existsSync(path.join(dir, CHUNKS_DIR))
    ? readdirSync(path.join(dir, CHUNKS_DIR)).filter((f) => f.endsWith('.mjs'))
    : [];
  const urls = [entry, ...chunks.map((f) => path.join(dir, CHUNKS_DIR, f))].map(
    (f) => pathToFileURL(f).href,
  );
  execFileSync(
    node,
    [
      '--enable-source-maps',
      '--input-type=module',
      '-e',
      `for (const url of ${JSON.stringify(urls)}) await import(url); (await import('node:module')).default.flushCompileCache();`,
    ],
    {
      env: { PATH: process.env.PATH, APP_ENV: 'development', LOG_LEVEL: 'ERROR' },
      stdio: 'ignore',
    },
  );
  return { cached: true, reason: `made by Node ${version} on ${nodeArch}`, ...made };
}
