import { canConnect, dropDatabase, ensureDatabase, migrateDatabase } from '#local/db';

export const TEMPLATE_DB = 'marketplace_test_template';
const base = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Migrates one template database; each test file copies it into a database of its own. */
export default async function setup(): Promise<() => Promise<void>> {
  const template = new URL(base);
  template.pathname = `/${TEMPLATE_DB}`;
  if (!(await canConnect(template.toString()))) {
    throw new Error(`Tests need PostgreSQL at ${base} (see README.md).`);
  }
  await dropDatabase(template.toString());
  await ensureDatabase(template.toString());
  await migrateDatabase(template.toString());
  return async () => {
    await dropDatabase(template.toString());
  };
}
