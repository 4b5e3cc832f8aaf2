// Runs in each test file's worker before the file is imported: gives the file a database
// of its own (a copy of the migrated template) behind its own Neon stand-in, and sets the
// environment the functions read at cold start.
import { randomBytes } from 'node:crypto';
import { afterAll } from 'vitest';
import { startNeonProxy } from '#local/emulators/neon/index';
import { localDatabaseUrl } from '#tools/database-url';
import { dropDatabase, ensureDatabase } from '#tools/db';

const base = process.env.TEST_POSTGRES_URL ?? localDatabaseUrl('postgres');
const url = new URL(base);
const run = process.env.TEST_RUN_ID;
if (!run) throw new Error('tests/global-setup.ts did not run');
url.pathname = `/marketplace_test_${run}_${randomBytes(5).toString('hex')}`;
await ensureDatabase(url.toString(), `marketplace_test_template_${run}`);

const neonProxy = await startNeonProxy();
// Secrets of this test run only.
process.env.JWT_SIGNING_KEYS = `test:${randomBytes(32).toString('hex')}`;
process.env.OTP_SECRET = randomBytes(32).toString('hex');
process.env.DATABASE_URL = url.toString();
process.env.NEON_LOCAL_PROXY_URL = `http://127.0.0.1:${neonProxy.port}`;

afterAll(async () => {
  await neonProxy.close();
  await dropDatabase(url.toString());
});
