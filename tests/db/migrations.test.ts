import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { dropDatabase, ensureDatabase, migrateDatabase } from '#tools/db';

const url = new URL(process.env.DATABASE_URL ?? '');
url.pathname = `/marketplace_migrate_${randomBytes(4).toString('hex')}`;
afterAll(() => dropDatabase(url.toString()));

async function describeSchema(): Promise<{ objects: string[]; applied: number }> {
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const objects = await client.query<{ d: string }>(`
      select 'table ' || table_name as d from information_schema.tables where table_schema = 'public'
      union all select 'index ' || indexname from pg_indexes where schemaname = 'public'
      union all select 'constraint ' || conname from pg_constraint where connamespace = 'public'::regnamespace
      order by 1`);
    const applied = await client.query(
      'select count(*)::int as n from drizzle.__drizzle_migrations',
    );
    return { objects: objects.rows.map((r) => r.d), applied: applied.rows[0].n };
  } finally {
    await client.end();
  }
}

describe('migrations', () => {
  it('apply to an empty database, and applying them again changes nothing', async () => {
    expect(await ensureDatabase(url.toString())).toBe(true);
    await migrateDatabase(url.toString());
    const first = await describeSchema();
    expect(first.objects).toEqual(
      expect.arrayContaining([
        'table listings',
        'table bookings',
        'table messages',
        'index listings_feed_idx',
        'constraint listing_holds_no_overlap',
      ]),
    );

    await migrateDatabase(url.toString());
    expect(await describeSchema()).toEqual(first);
  });
});
