import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { clientTypes } from '#tools/client-types';
import { openApiDocument } from '#tools/openapi-document';
import { root } from '#tools/root';

describe('@marketplace/client', () => {
  it('bundles for a browser with nothing from Node (web, Expo and Node alike)', async () => {
    // platform: 'browser' refuses a Node built-in such as node:crypto or node:buffer.
    const out = await build({
      entryPoints: [path.join(root, 'client', 'src', 'index.ts')],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      minify: true,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(out.metafile.inputs);
    expect(inputs.some((i) => i.includes('openapi-fetch'))).toBe(true);
    expect(inputs.filter((i) => i.startsWith('node:'))).toEqual([]);
    // The app pays for this in its own bundle: small.
    expect(out.outputFiles[0]?.contents.byteLength).toBeLessThan(30_000);
  });

  it('has the types npm run openapi writes from the document (run it after changing a contract)', async () => {
    const committed = await readFile(path.join(root, 'client', 'src', 'openapi.ts'), 'utf8');
    expect(committed).toBe(await clientTypes(openApiDocument()));
  });
});
