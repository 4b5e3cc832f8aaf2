import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { describe, expect, it } from 'vitest';
import { buildFunction, esbuildOptions, functionAssetHash } from '#infra/bundling';
import { CACHE_DIR, CHUNKS_DIR, prepareAsset } from '#infra/compile-cache';
import { root } from '#tools/root';

/** health's bundle as CDK builds it, in a fresh directory. */
async function healthAsset(): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'asset-'));
  await esbuild.build(esbuildOptions(path.join(root, 'functions', 'health', 'get-health.ts'), dir));
  return dir;
}

/** Every file under `dir` with its content hash: what a run wrote shows as a difference. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const file = path.join(dir, name);
    if (statSync(file).isFile()) {
      out[name] = createHash('sha256').update(readFileSync(file)).digest('hex');
    }
  }
  return out;
}

/** A copy of the asset as Lambda's /var/task is: at another path, and read-only. */
function readOnlyCopy(dir: string): string {
  const task = path.join(mkdtempSync(path.join(tmpdir(), 'var-task-')), 'task');
  cpSync(dir, task, { recursive: true });
  for (const name of readdirSync(task, { recursive: true }) as string[]) {
    chmodSync(path.join(task, name), statSync(path.join(task, name)).isDirectory() ? 0o555 : 0o444);
  }
  return task;
}

/**
 * Imports the asset's entry in a fresh Node, as Lambda does, with the cache's debug log; then
 * `later`, a chunk that the function imports when it needs it, when given.
 */
function loadLog(dir: string, later?: string): { stdout: string; stderr: string } {
  const run = spawnSync(
    process.execPath,
    [
      '--enable-source-maps',
      '--input-type=module',
      '-e',
      `const { handler } = await import(${JSON.stringify(path.join(dir, 'index.mjs'))}); ${later ? `await import(${JSON.stringify(later)});` : ''} console.log(typeof handler);`,
    ],
    {
      cwd: tmpdir(),
      env: {
        PATH: process.env.PATH,
        APP_ENV: 'development',
        LOG_LEVEL: 'ERROR',
        NODE_DEBUG_NATIVE: 'COMPILE_CACHE',
      },
      encoding: 'utf8',
    },
  );
  if (run.status !== 0) throw new Error(`loading ${dir} failed: ${run.stderr}`);
  return { stdout: run.stdout, stderr: run.stderr };
}

describe('the compile cache shipped in a function asset', () => {
  it('is made for this Node and CPU, then read, not rebuilt, from a read-only copy', async () => {
    const built = await healthAsset();
    const prepared = prepareAsset(built, process.arch);
    expect(prepared).toMatchObject({ cached: true, node: process.version, arch: process.arch });
    expect(readdirSync(path.join(built, CACHE_DIR))).toHaveLength(1);

    const task = readOnlyCopy(built);
    const before = tree(task);
    const log = loadLog(task);
    expect(log.stdout.trim()).toBe('function');
    expect(log.stderr).toMatch(/V8 code cache for ESM file:\/\/.*\/task\/main\.mjs was accepted/);
    expect(log.stderr).not.toMatch(/was rejected|writing cache/);
    expect(tree(task)).toEqual(before);
  });

  it('holds the chunks a function imports lazily, so their first use reads compiled code too', async () => {
    // Logout loads the @connections client only when the session had sockets to close.
    const built = mkdtempSync(path.join(tmpdir(), 'asset-'));
    buildFunction(
      path.join(root, 'functions', 'auth', 'logout.ts'),
      built,
      process.arch as 'arm64' | 'x64',
    );
    const chunks = readdirSync(path.join(built, CHUNKS_DIR)).filter((f) => f.endsWith('.mjs'));
    const client = chunks.find((f) =>
      readFileSync(path.join(built, CHUNKS_DIR, f), 'utf8').includes('PostToConnection'),
    );
    expect(client).toBeDefined();
    const task = readOnlyCopy(built);
    const before = tree(task);
    const log = loadLog(task, path.join(task, CHUNKS_DIR, client ?? ''));
    expect(log.stdout.trim()).toBe('function');
    expect(log.stderr).toMatch(
      new RegExp(`V8 code cache for ESM file://.*/task/chunks/${client}.* was accepted`),
    );
    expect(log.stderr).not.toMatch(/was rejected|writing cache/);
    expect(tree(task)).toEqual(before);
  });

  it('is not made on another architecture, and the loader then imports the bundle alone', async () => {
    const built = await healthAsset();
    const other = process.arch === 'arm64' ? 'x64' : 'arm64';
    const prepared = prepareAsset(built, other);
    expect(prepared.cached).toBe(false);
    expect(prepared.reason).toBe(`built on ${process.arch}, the function runs on ${other}`);
    expect(readdirSync(built)).not.toContain(CACHE_DIR);
    const log = loadLog(built);
    expect(log.stdout.trim()).toBe('function');
    expect(log.stderr).not.toMatch(/compile cache/);
  });

  it('is left unused by a Node other than the one that made it', async () => {
    const built = await healthAsset();
    prepareAsset(built, process.arch);
    const entry = path.join(built, 'index.mjs');
    const loader = readFileSync(entry, 'utf8');
    expect(loader).toContain(`process.version === ${JSON.stringify(process.version)}`);
    // As if Lambda's runtime had moved on to another patch release since the build.
    execFileSync('sed', ['-i', `s/${process.version}/v24.0.0/`, entry]);
    const log = loadLog(built);
    expect(log.stdout.trim()).toBe('function');
    expect(log.stderr).not.toMatch(/reading cache/);
  });

  it('differs from one build to the next, so the asset is hashed by what decides it', async () => {
    const caches = [];
    for (const built of [await healthAsset(), await healthAsset()]) {
      prepareAsset(built, process.arch);
      caches.push(tree(path.join(built, CACHE_DIR)));
    }
    // V8's code cache is not reproducible: hashing the output would publish every function
    // on every deploy.
    expect(caches[0]).not.toEqual(caches[1]);
    const health = path.join(root, 'functions', 'health', 'get-health.ts');
    const feed = path.join(root, 'functions', 'listings', 'list-public-listings.ts');
    expect(functionAssetHash(health)).toBe(functionAssetHash(health));
    expect(functionAssetHash(health)).toMatch(/^[0-9a-f]{64}$/);
    expect(functionAssetHash(feed)).not.toBe(functionAssetHash(health));
  });
});
