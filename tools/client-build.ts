// npm run client:build: client/dist/index.js (ESM, for browsers, React Native and Node) and its
// .d.ts files. openapi-fetch stays a dependency, not bundled in.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { build } from 'esbuild';
import { root } from '#tools/root';

const client = path.join(root, 'client');
await build({
  entryPoints: [path.join(client, 'src', 'index.ts')],
  outfile: path.join(client, 'dist', 'index.js'),
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  external: ['openapi-fetch'],
  sourcemap: true,
});
execFileSync(path.join(root, 'node_modules', '.bin', 'tsc'), ['-p', client], { stdio: 'inherit' });
console.log('wrote client/dist');
