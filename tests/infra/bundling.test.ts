import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import * as esbuild from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtins, coldStartFiles, esbuildOptions } from '#infra/bundling';
import { routes, wsRoutes } from '#lib/routes';
import { root } from '#tools/root';

const run = promisify(execFile);

describe('a function bundle', () => {
  let dir: string;
  let externals: Array<{ kind: string; path: string }>;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'bundling-'));
    // Every function in one build: what any of them imports from Node is in here.
    const entry = path.join(dir, 'all.ts');
    await writeFile(
      entry,
      [...routes, ...wsRoutes]
        .map((r, i) => `export { handler as h${i} } from '${root}/functions/${r.fn}.ts';`)
        .join('\n'),
    );
    const built = await esbuild.build({
      ...esbuildOptions(entry, path.join(dir, 'all')),
      metafile: true,
      write: false,
    });
    externals = Object.values(built.metafile.inputs).flatMap((input) =>
      input.imports.filter((i) => i.external).map(({ kind, path }) => ({ kind, path })),
    );
  }, 120_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('requires every Node builtin instead of importing it (no hoisted load of every export)', () => {
    const imported = externals.filter((i) => i.kind === 'import-statement').map((i) => i.path);
    // The banner's createRequire is the only builtin an ESM import may load.
    expect([...new Set(imported)]).toEqual(['node:module']);
    const required = new Set(externals.filter((i) => i.kind === 'require-call').map((i) => i.path));
    expect(required).toContain('http');
    expect(required).toContain('http2');
  });

  it('has a shim for each aliased builtin that requires the bare name', async () => {
    for (const name of builtins) {
      const file = path.join(root, 'infra', 'node-builtins', `${name.replace('/', '-')}.cjs`);
      const text = await readFile(file, 'utf8');
      expect(text, name).toContain(
        name === 'process' ? 'module.exports = process;' : `module.exports = require('${name}');`,
      );
    }
  });

  it('loads a builtin that only a lazily imported client needs when that client first runs', async () => {
    // Logout imports the WebSocket connections client only when a session had sockets.
    const file = path.join(dir, 'logout', 'index.mjs');
    await esbuild.build(
      esbuildOptions(path.join(root, 'functions/auth/logout.ts'), path.dirname(file)),
    );
    const script = `
      const before = new Set(process.moduleLoadList);
      await import(${JSON.stringify(file)});
      const loaded = process.moduleLoadList.filter((m) => !before.has(m));
      console.log(JSON.stringify(['NativeModule http2', 'NativeModule https', 'NativeModule child_process'].filter((m) => loaded.includes(m))));
    `;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
      env: { PATH: process.env.PATH ?? '' },
    });
    expect(JSON.parse(stdout.trim().split('\n').at(-1) ?? '')).toEqual([]);
  }, 60_000);

  it('keeps the @connections client out of what a cold start reads, in a chunk of its own', async () => {
    for (const fn of ['ws/connect', 'ws/disconnect', 'auth/logout', 'ws/send-message']) {
      const outdir = path.join(dir, 'split', fn);
      const { metafile } = await esbuild.build({
        ...esbuildOptions(path.join(root, 'functions', `${fn}.ts`), outdir),
        metafile: true,
      });
      const outputs = metafile.outputs;
      const entry = Object.keys(outputs).find(
        (f) => outputs[f]?.entryPoint === `functions/${fn}.ts`,
      );
      const loaded = coldStartFiles(metafile, entry ?? '');
      const client = (files: Iterable<string>) =>
        [...files].some((f) =>
          Object.keys(outputs[f]?.inputs ?? {}).some((i) =>
            i.includes('@aws-sdk/client-apigatewaymanagementapi'),
          ),
        );
      expect(client(loaded), fn).toBe(false);
      expect(client(Object.keys(outputs)), fn).toBe(true);
    }
  }, 60_000);
});
