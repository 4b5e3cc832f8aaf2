// npm run db:seed [-- --force] — demo data for the local API; --force replaces existing data.
import { ensureDatabase, migrateDatabase } from '#local/db';
import { seed } from '#local/seed';

const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/marketplace_dev';
await ensureDatabase(url);
await migrateDatabase(url);
const seeded = await seed(url, { force: process.argv.includes('--force') });
console.log(
  seeded ? 'seeded demo data' : 'the database already has data; use --force to replace it',
);
