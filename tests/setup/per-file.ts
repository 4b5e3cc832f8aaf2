// Runs in each test file's worker before the file is imported: gives the file a database
// of its own (a copy of the migrated template) behind its own Neon stand-in, and sets the
// environment the functions read at cold start.
import { randomBytes } from 'node:crypto';
import { afterAll } from 'vitest';
import { dropDatabase, ensureDatabase } from '#local/db';
import { startNeonProxy } from '#local/neon';
import { TEMPLATE_DB } from '../global-setup.ts';

const base = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const url = new URL(base);
url.pathname = `/marketplace_test_${randomBytes(5).toString('hex')}`;
await ensureDatabase(url.toString(), TEMPLATE_DB);

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
