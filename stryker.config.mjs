// `npm run test:mutation`: how many planted bugs in the modules that guard auth,
// exactly-once jobs and the cache the tests catch. A benchmark-like script, not part of
// `npm test`: it prints the mutation score per module and writes reports/mutation/.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: {
    configFile: 'vitest.stryker.config.ts',
    pool: 'forks',
    // The API tests reach these modules through the local gateway's esbuild bundles, which
    // vitest's module graph cannot see; perTest coverage picks the tests instead.
    related: false,
  },
  mutate: [
    'lib/auth/*.ts',
    'lib/jobs/route.ts',
    'lib/jobs/verify.ts',
    'lib/http/auth.ts',
    'lib/platform/cache.ts',
    'lib/catalogue/cache.ts',
  ],
  coverageAnalysis: 'perTest',
  // Static mutants change code that runs outside any test (module setup, or a stack and
  // sign-ins started in beforeAll): each would rerun every test, ~19 s a mutant, which made
  // a full run take three hours. They are skipped and counted as ignored in the report;
  // the unit tests under tests/lib reach much of that code inside a test instead.
  ignoreStatic: true,
  // The machine has 2 cores; each worker runs one test file at a time.
  concurrency: 2,
  // API tests wait on Postgres, Redis and QStash: a mutant that hangs one is a timeout
  // (counted as caught), but a slow run must not be mistaken for one.
  timeoutMS: 30_000,
  timeoutFactor: 2,
  // Reruns test only mutants whose code or tests changed since reports/stryker-incremental.json.
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'json'],
  clearTextReporter: { allowEmojis: false, logTests: false, reportTests: false },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 80, low: 60, break: null },
  tempDirName: '.stryker-tmp',
  // Stryker rewrites a tsconfig's `extends` and `references` for the sandbox through the
  // TypeScript 5 JS API, which TypeScript 7 no longer has. Ours has neither, so it names a
  // file that does not exist and the rewrite is skipped.
  tsconfigFile: 'tsconfig.stryker-skips-rewrite.json',
  ignorePatterns: ['.local', 'cdk.out', 'coverage', 'reports'],
};
