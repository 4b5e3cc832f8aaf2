// npm run db:migrate — creates the database if needed and applies pending migrations.

import { databaseUrl } from '#tools/database-url';
import { ensureDatabase, migrateDatabase } from '#tools/db';

const url = databaseUrl();
const created = await ensureDatabase(url);
await migrateDatabase(url);
console.log(`${created ? 'created and ' : ''}migrated ${new URL(url).pathname.slice(1)}`);
