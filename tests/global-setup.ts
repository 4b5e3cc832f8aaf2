import pg from 'pg';
import { responseCheckTotal } from '#tests/support/response-checks';
import { localDatabaseUrl } from '#tools/database-url';
import { canConnect, dropDatabase, ensureDatabase, migrateDatabase } from '#tools/db';

const base = process.env.TEST_POSTGRES_URL ?? localDatabaseUrl('postgres');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Drops the databases of earlier test runs that were killed before their teardown. */
async function dropOrphans(): Promise<void> {
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  const { rows } = await client.query<{ datname: string }>(
    "select datname from pg_database where datname like 'marketplace\\_test\\_%'",
  );
  await client.end();
  for (const { datname } of rows) {
    const pid = Number(/^marketplace_test_(?:template_)?(\d+)/.exec(datname)?.[1]);
    if (pid && !alive(pid)) {
      const url = new URL(base);
      url.pathname = `/${datname}`;
      await dropDatabase(url.toString());
    }
  }
}

/**
 * Migrates one template database for this run (named by the runner's pid, so runs side by
 * side do not collide); each test file copies it into a database of its own.
 */
export default async function setup(): Promise<() => Promise<void>> {
  if (!(await canConnect(base)))
    throw new Error(`Tests need PostgreSQL at ${base} (see README.md).`);
  await dropOrphans();
  const template = new URL(base);
  template.pathname = `/marketplace_test_template_${process.pid}`;
  await dropDatabase(template.toString());
  await ensureDatabase(template.toString());
  await migrateDatabase(template.toString());
  process.env.TEST_RUN_ID = String(process.pid);
  return async () => {
    await dropDatabase(template.toString());
    const { checked, gateways } = await responseCheckTotal(String(process.pid));
    if (gateways > 0) {
      console.log(
        `response check: ${checked} responses from ${gateways} gateway${gateways === 1 ? '' : 's'} checked against their contracts`,
      );
    }
  };
}
