// npm run reset [-- --limits]
// Wipes this machine's local state: the dev database, everything under .local/ (uploads,
// outbox, PGlite, dev secrets, bundles) and the dev database's cache entries. With
// --limits it only ends the rate-limit windows. Never touches a database off this machine,
// nor one whose name does not start with marketplace_. Reads .env as npm run dev does.
import { rm } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import pg from 'pg';
import { databaseUrl } from '#tools/database-url';
import { canConnect, dropDatabase } from '#tools/db';

const { values } = parseArgs({ options: { limits: { type: 'boolean', default: false } } });
const url = databaseUrl();
const { hostname, pathname } = new URL(url);
const name = decodeURIComponent(pathname.slice(1));
// Only this project's own local databases: never another project's, `postgres`, or a
// deployed one reached through a port-forward on localhost.
if (!['127.0.0.1', 'localhost', '[::1]'].includes(hostname) || !name.startsWith('marketplace_')) {
  console.error(
    `Refusing to reset ${hostname}/${name}: only a marketplace_* database on this machine is reset.`,
  );
  process.exit(2);
}
const port = Number(process.env.PORT ?? 3000);
const devRunning = await fetch(`http://127.0.0.1:${port}/health`, {
  signal: AbortSignal.timeout(1000),
}).then(
  () => true,
  () => false,
);

if (values.limits) {
  if (!(await canConnect(url))) {
    console.log(`No PostgreSQL at ${new URL(url).host}: no limits to reset.`);
    process.exit(0);
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rowCount } = await client.query('delete from rate_limits').catch(() => ({ rowCount: 0 }));
  await client.end();
  console.log(`Rate limits reset (${rowCount ?? 0} windows ended).`);
  process.exit(0);
}

if (devRunning) {
  console.error(`npm run dev is running on port ${port}: stop it first, then run npm run reset.`);
  process.exit(1);
}

// The cache namespace is derived from the database URL, as the functions derive it.
process.env.DATABASE_URL = url;
process.env.LOG_OPTIONAL_SERVICES = 'false';
const { cacheKey } = await import('#lib/platform/cache');
const prefix = cacheKey('');
const redis = new Redis({ lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0 });
let cacheEntries = 0;
try {
  await redis.connect();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) cacheEntries += await redis.del(...keys);
  } while (cursor !== '0');
} catch {
  // No Redis: no cache entries to forget.
} finally {
  redis.disconnect();
}

const reachable = await canConnect(url);
if (reachable) await dropDatabase(url);
await rm('.local', { recursive: true, force: true });
console.log(`Local state wiped:
  database   ${new URL(url).pathname.slice(1)} ${reachable ? 'dropped' : 'not reachable'} (npm run dev creates and seeds it again)
  .local/    removed (uploads, outbox, PGlite, dev secrets: earlier tokens stop working)
  cache      ${cacheEntries} entries of this database removed`);
