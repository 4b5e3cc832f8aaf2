import { randomUUID } from 'node:crypto';
import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { root } from '#tools/root';

// biome-ignore lint/suspicious/noExplicitAny: a Lambda handler takes whatever event its trigger sends.
export type AnyHandler = (event: any, context: any) => Promise<unknown>;

interface Loaded {
  build: esbuild.BuildContext;
  /** The project files in the bundle, and a fingerprint of their mtimes and sizes. */
  inputs: string[];
  fingerprint: string;
  handler: AnyHandler;
}

async function fingerprint(files: string[]): Promise<string> {
  const stats = await Promise.all(files.map((f) => stat(f).catch(() => undefined)));
  return stats.map((s) => (s ? `${s.mtimeMs}:${s.size}` : 'gone')).join('|');
}

/**
 * Loads each function as Lambda would: its own bundle, so its own module state (config,
 * clients, warm caches). Before each invocation it checks the bundle's own source files
 * (a few stat calls) and rebuilds when one changed, so edits apply without a restart.
 */
export function createFunctionLoader(options: { functionsDir?: string } = {}) {
  const functionsDir = options.functionsDir ?? path.join(root, 'functions');
  const loaded = new Map<string, Promise<Loaded>>();
  // One folder per loader (the HTTP and the WebSocket gateway each have one), so parallel
  // test files and the dev server never share, or delete, each other's bundles.
  const outDir = path.join(root, '.local', 'functions', `${process.pid}-${randomUUID()}`);
  let version = 0;

  async function build(fn: string, previous: Loaded | undefined): Promise<Loaded> {
    const outfile = path.join(outDir, `${fn}.mjs`);
    await mkdir(path.dirname(outfile), { recursive: true });
    const context =
      previous?.build ??
      (await esbuild.context({
        entryPoints: [path.join(functionsDir, `${fn}.ts`)],
        outfile,
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node24',
        packages: 'external',
        sourcemap: 'inline',
        metafile: true,
        logLevel: 'silent',
      }));
    const result = await context.rebuild();
    const inputs = Object.keys(result.metafile?.inputs ?? {}).map((f) => path.resolve(root, f));
    const print = await fingerprint(inputs);
    const mod = (await import(`${pathToFileURL(outfile).href}?v=${++version}`)) as {
      handler?: AnyHandler;
    };
    if (typeof mod.handler !== 'function')
      throw new Error(`functions/${fn}.ts has no handler export`);
    return { build: context, inputs, fingerprint: print, handler: mod.handler };
  }

  async function load(fn: string): Promise<AnyHandler> {
    let entry = loaded.get(fn);
    const current = entry ? await entry.catch(() => undefined) : undefined;
    if (!entry || !current || (await fingerprint(current.inputs)) !== current.fingerprint) {
      entry = build(fn, current);
      loaded.set(fn, entry);
      entry.catch(() => loaded.delete(fn));
    }
    return (await entry).handler;
  }

  async function close() {
    const all = await Promise.all([...loaded.values()].map((l) => l.catch(() => undefined)));
    await Promise.all(all.map((l) => l?.build.dispose()));
    loaded.clear();
    await rm(outDir, { recursive: true, force: true });
  }

  return { load, close };
}
