import { execFile } from 'node:child_process';
import { glob, readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { routes } from '#lib/routes';

const run = promisify(execFile);

describe('the route table', () => {
  it('imports in a process with an empty environment and no network, and touches nothing', async () => {
    // Nothing in the environment (no DATABASE_URL, no keys), and every outbound
    // connection refused: importing the table and every contract must need neither.
    const script = `
      import net from 'node:net';
      net.Socket.prototype.connect = () => { throw new Error('network used on import'); };
      globalThis.fetch = () => { throw new Error('fetch used on import'); };
      const { routes } = await import('#lib/routes');
      const { neonConfig } = await import('@neondatabase/serverless');
      console.log(JSON.stringify({ routes: routes.length, fetchEndpoint: typeof neonConfig.fetchEndpoint }));
    `;
    // The second environment cannot be parsed (production without its secrets): importing
    // works there too only because nothing parses the configuration on import.
    for (const extra of [{}, { APP_ENV: 'production' }]) {
      const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
        env: { PATH: process.env.PATH ?? '', ...extra },
        cwd: process.cwd(),
      });
      const out = JSON.parse(stdout.trim()) as { routes: number; fetchEndpoint: string };
      expect(out.routes).toBe(routes.length);
      // The Neon driver is untouched until a function makes its first query.
      expect(out.fetchEndpoint).not.toBe('string');
    }
  });
});

describe('the functions’ zod', () => {
  it('is zod/mini in everything a function bundles: classic zod costs each cold start ~10 ms', async () => {
    const classic = /from 'zod(\/v4)?'/;
    const found: string[] = [];
    let files = 0;
    for await (const file of glob('{lib,functions}/**/*.ts')) {
      files++;
      if (classic.test(await readFile(file, 'utf8'))) found.push(file);
    }
    expect(files).toBeGreaterThan(100);
    expect(found).toEqual([]);
  });

  it('answers validation in English, which only classic zod loads by itself', async () => {
    // A fresh process with one function and its stack: no classic zod anywhere in it.
    const script = `
      await import('./functions/conversations/post-message.ts');
      const { postMessage } = await import('#lib/chat/contracts');
      const z = await import('zod/mini');
      const result = z.safeParse(postMessage.body, { body: 5 });
      console.log(JSON.stringify(result.error.issues.map((i) => i.message)));
    `;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
      env: { PATH: process.env.PATH ?? '' },
      cwd: process.cwd(),
    });
    // The last line: the function logs what it runs without first.
    expect(JSON.parse(stdout.trim().split('\n').at(-1) ?? '')).toEqual([
      'Invalid input: expected string, received number',
    ]);
  });
});
