// npm run db:seed [-- --force] — demo data for the local API; --force replaces existing data.

import { seed } from '#local/seed/demo';
import { databaseUrl } from '#tools/database-url';
import { ensureDatabase, migrateDatabase } from '#tools/db';

const url = databaseUrl();
await ensureDatabase(url);
await migrateDatabase(url);
const seeded = await seed(url, { force: process.argv.includes('--force') });
console.log(
  seeded ? 'seeded demo data' : 'the database already has data; use --force to replace it',
);
