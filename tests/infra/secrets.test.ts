import { describe, expect, it } from 'vitest';
import { secretNames } from '#lib/platform/config';
import { routeSecrets } from '#lib/route-secrets';
import { authSecrets, routes, wsRoutes } from '#lib/routes';
import { measureSecretReads } from '#tests/infra/secret-reads';

const allRoutes = [...routes, ...wsRoutes];

describe('the secrets the route table grants', () => {
  it('are exactly what each function’s code can read and its auth verifies with', async () => {
    const reads = await measureSecretReads(allRoutes.map((r) => r.fn));
    const wrong: string[] = [];
    for (const r of allRoutes) {
      const needed = new Set([
        ...(reads.get(r.fn) ?? []),
        ...(typeof r.auth === 'string' ? [] : authSecrets(r.auth)),
      ]);
      const expected = secretNames.filter((n) => needed.has(n));
      if (JSON.stringify(expected) !== JSON.stringify(r.secrets)) {
        wrong.push(`  '${r.fn}': [${expected.map((n) => `'${n}'`).join(', ')}],`);
      }
    }
    // On failure: the lines lib/route-secrets.ts should have.
    expect(wrong.join('\n')).toBe('');
  }, 60_000);

  it('name only routes that exist', () => {
    const fns = new Set(allRoutes.map((r) => r.fn));
    expect(Object.keys(routeSecrets).filter((fn) => !fns.has(fn))).toEqual([]);
  });
});
