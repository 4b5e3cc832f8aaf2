import { defineConfig } from 'drizzle-kit';
import { databaseUrl } from '#tools/database-url';

export default defineConfig({
  dialect: 'postgresql',
  schema: './lib/db/schema/index.ts',
  out: './migrations',
  dbCredentials: {
    url: databaseUrl(),
  },
});
