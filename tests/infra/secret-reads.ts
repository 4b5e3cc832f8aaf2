import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { type SecretName, secretNames } from '#lib/platform/config';
import { root } from '#tools/root';

/**
 * The module that picks a route's auth strategy imports every strategy; a function runs only
 * its own contract's, so its secrets are counted by auth kind instead (`authSecrets`).
 */
export const AUTH_STRATEGIES = 'lib/http/auth.ts';

/**
 * Which secrets each function's code can read, measured: every module its bundle would
 * contain (esbuild's import graph, dynamic imports included), except the auth strategy
 * table, and the secret names each of those modules mentions. Keyed by function file.
 */
export async function measureSecretReads(
  fns: readonly string[],
): Promise<Map<string, Set<SecretName>>> {
  const entries = fns.map((fn) => path.join('functions', `${fn}.ts`));
  const { metafile } = await esbuild.build({
    absWorkingDir: root,
    entryPoints: entries,
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    outdir: 'out',
    packages: 'external',
    logLevel: 'error',
  });
  const namesIn = new Map<string, SecretName[]>();
  const mentions = (file: string) => {
    let found = namesIn.get(file);
    if (!found) {
      const source = file.startsWith('lib/platform/config.ts')
        ? ''
        : readFileSync(path.join(root, file), 'utf8');
      found = secretNames.filter((name) => source.includes(name));
      namesIn.set(file, found);
    }
    return found;
  };
  const reads = new Map<string, Set<SecretName>>();
  for (const [i, entry] of entries.entries()) {
    const seen = new Set<string>();
    const stack = [entry];
    const secrets = new Set<SecretName>();
    while (stack.length > 0) {
      const file = stack.pop() as string;
      if (seen.has(file) || file === AUTH_STRATEGIES) continue;
      seen.add(file);
      for (const name of mentions(file)) secrets.add(name);
      for (const imported of metafile.inputs[file]?.imports ?? []) {
        if (!imported.external) stack.push(imported.path);
      }
    }
    reads.set(fns[i] as string, secrets);
  }
  return reads;
}
