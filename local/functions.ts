import { watch } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// biome-ignore lint/suspicious/noExplicitAny: a Lambda handler takes whatever event its trigger sends.
export type AnyHandler = (event: any, context: any) => Promise<unknown>;

interface Loaded {
  generation: number;
  build: esbuild.BuildContext;
  handler: Promise<AnyHandler>;
}

/**
 * Loads each function as Lambda would: its own bundle, so its own module state (config,
 * clients, warm caches). Edited source under functions/ or lib/ is picked up on the next
 * invocation without restarting the server.
 */
export function createFunctionLoader(options: { watch?: boolean } = {}) {
  let generation = 0;
  const loaded = new Map<string, Loaded>();
  const watchers =
    options.watch === false
      ? []
      : ['functions', 'lib'].map((dir) =>
          watch(path.join(root, dir), { recursive: true }, () => {
            generation++;
          }),
        );
  // One folder per loader, so parallel test files and the dev server never share a bundle.
  const outDir = path.join(
    root,
    '.local',
    'functions',
    `${process.pid}-${Date.now().toString(36)}`,
  );

  async function importBuild(fn: string, build: esbuild.BuildContext, version: number) {
    await build.rebuild();
    const file = path.join(outDir, `${fn}.mjs`);
    const mod = (await import(`${pathToFileURL(file).href}?v=${version}`)) as {
      handler?: AnyHandler;
    };
    if (typeof mod.handler !== 'function')
      throw new Error(`functions/${fn}.ts has no handler export`);
    return mod.handler;
  }

  async function load(fn: string): Promise<AnyHandler> {
    const current = loaded.get(fn);
    if (current && current.generation === generation) return current.handler;
    await mkdir(outDir, { recursive: true });
    const build =
      current?.build ??
      (await esbuild.context({
        entryPoints: [path.join(root, 'functions', `${fn}.ts`)],
        outfile: path.join(outDir, `${fn}.mjs`),
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node24',
        packages: 'external',
        sourcemap: 'inline',
        logLevel: 'silent',
      }));
    const entry: Loaded = { generation, build, handler: importBuild(fn, build, generation) };
    loaded.set(fn, entry);
    entry.handler.catch(() => loaded.delete(fn));
    return entry.handler;
  }

  async function close() {
    for (const w of watchers) w.close();
    await Promise.all([...loaded.values()].map((l) => l.build.dispose()));
    loaded.clear();
    await rm(outDir, { recursive: true, force: true });
  }

  return { load, close };
}
