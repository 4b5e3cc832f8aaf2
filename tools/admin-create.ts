// npm run admin:create -- --email ops@example.com [--name "Ops Admin"]
// Admins never sign up: this is the only way one is created.
import { parseArgs } from 'node:util';
import pg from 'pg';
import * as z from 'zod';
import { databaseUrl } from '#tools/database-url';

const { values } = parseArgs({ options: { email: { type: 'string' }, name: { type: 'string' } } });
const email = z.email().safeParse(values.email?.trim().toLowerCase());
if (!email.success) {
  console.error('usage: npm run admin:create -- --email <address> [--name <name>]');
  process.exit(2);
}
const url = databaseUrl();
const client = new pg.Client({ connectionString: url });
await client.connect();
const { rows } = await client.query(
  `insert into admins (email, name) values ($1, $2)
   on conflict (email) do update set name = coalesce(excluded.name, admins.name), updated_at = now()
   returning id, (xmax = 0) as created`,
  [email.data, values.name ?? null],
);
await client.end();
console.log(
  `${rows[0].created ? 'created' : 'already existed'}: admin ${email.data} (${rows[0].id})`,
);
