import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { root } from '#tools/root';

/** What a function's cold start prints, in a fresh process as Lambda starts one. */
const coldStart = (env: Record<string, string>) =>
  execFileSync(
    process.execPath,
    ['--input-type=module', '-e', "await import('./functions/health/get-health.ts')"],
    {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', APP_ENV: 'development', ...env },
      encoding: 'utf8',
    },
  );

describe('the optional-services line', () => {
  it('is said at a cold start, where each function runs alone', () => {
    expect(coldStart({})).toMatch(/"message":"optional services off"/);
  });

  it('is not repeated by every function under npm run dev, which says it once', () => {
    expect(coldStart({ LOG_OPTIONAL_SERVICES: 'false' })).toBe('');
  });
});
