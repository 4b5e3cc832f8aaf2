import { defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

// The tests that guard the modules `npm run test:mutation` mutates (stryker.config.mjs),
// with the same global setup and per-file databases as `npm test`. Stryker runs each
// mutant against the tests that reached it, so the rest of the suite would only slow the
// dry run.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: [
      'tests/api/auth.test.ts',
      'tests/api/rate-limits.test.ts',
      'tests/api/dev-limits.test.ts',
      'tests/api/sms-caps.test.ts',
      'tests/api/attacks.test.ts',
      'tests/api/cache-flood.test.ts',
      'tests/api/catalogue*.test.ts',
      'tests/api/cache-namespace.test.ts',
      'tests/api/freshness.test.ts',
      'tests/api/account-deletion*.test.ts',
      'tests/jobs/*.test.ts',
      'tests/local/cache-hang.test.ts',
      'tests/lib/*.test.ts',
      'tests/api/cache-config.test.ts',
    ],
  },
});
