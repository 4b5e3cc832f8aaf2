// npm run db:migrate — creates the database if needed and applies pending migrations.
import { ensureDatabase, migrateDatabase } from '#local/db';

const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/marketplace_dev';
const created = await ensureDatabase(url);
await migrateDatabase(url);
console.log(`${created ? 'created and ' : ''}migrated ${new URL(url).pathname.slice(1)}`);
