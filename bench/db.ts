/**
 * For each hot query, at 20K and at 200K listings: the plan's node types, shared buffers
 * (hit + read) and execution time, from EXPLAIN (ANALYZE, BUFFERS). The queries are the
 * ones the functions run (lib/catalogue.ts, lib/bookings.ts), rendered by drizzle.
 * Targets: feed first page, cursor page, host and guest bookings ≤ 22 buffers, no Sort.
 *
 *   npm run bench:db [-- --sizes 20000,200000]
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import { synthesize } from '#local/seed/synth';
import { localDatabaseUrl } from '#tools/database-url';
import { ensureDatabase, migrateDatabase } from '#tools/db';

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '20000,200000' } } });
const sizes = values.sizes.split(',').map(Number);
const base = process.env.BENCH_POSTGRES_URL ?? localDatabaseUrl('postgres');

// The query builders read DATABASE_URL at import; they only render SQL here.
process.env.DATABASE_URL ??= base;
const { feedPageQuery, feedPageWithTotalQuery } = await import('#lib/catalogue/feed');
const { guestBookingsQuery, hostBookingsQuery } = await import('#lib/bookings/queries');

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}

function nodeTypes(node: PlanNode): string[] {
  const own = node['Index Name']
    ? `${node['Node Type']}(${node['Index Name']})`
    : node['Node Type'];
  return [own, ...(node.Plans ?? []).flatMap(nodeTypes)];
}

async function explain(client: pg.Client, query: { toSQL(): { sql: string; params: unknown[] } }) {
  const { sql, params } = query.toSQL();
  const run = () =>
    client.query(`explain (analyze, buffers, format json) ${sql}`, params as unknown[]);
  await run();
  const result = await run();
  const [{ Plan: plan, 'Execution Time': ms }] = result.rows[0]['QUERY PLAN'];
  const buffers = (plan['Shared Hit Blocks'] ?? 0) + (plan['Shared Read Blocks'] ?? 0);
  const types = nodeTypes(plan);
  return { buffers, ms: ms as number, types, sorts: types.some((t) => t.startsWith('Sort')) };
}

const TARGETED = new Set([
  'feed first page',
  'feed cursor page',
  'host bookings',
  'guest bookings',
]);
/** The feed as served, total included: at most ~60 buffers at 200K (catalogue issue). */
const WITH_TOTAL = new Set(['feed page + total (served)', 'city page + total (served)']);
const rows: string[][] = [];
let missed = 0;

for (const size of sizes) {
  const url = new URL(base);
  url.pathname = `/marketplace_bench_${size}`;
  await ensureDatabase(url.toString());
  await migrateDatabase(url.toString());
  const started = performance.now();
  await synthesize(url.toString(), { listings: size, conversations: 2000, messages: 100000 });
  console.log(
    `${size} listings synthesized in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );

  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  const published = (
    await client.query("select count(*)::int as n from listings where status = 'published'")
  ).rows[0].n;
  const depth = Math.floor(published / 2);
  const deep = (
    await client.query(
      `select published_at, id from listings where status = 'published'
       order by published_at desc, id desc offset $1 limit 1`,
      [depth - 1],
    )
  ).rows[0];
  // A busy host and a frequent guest: the worst case for their lists.
  const host = (
    await client.query('select host_id from bookings group by 1 order by count(*) desc limit 1')
  ).rows[0].host_id;
  const guest = (
    await client.query('select guest_id from bookings group by 1 order by count(*) desc limit 1')
  ).rows[0].guest_id;

  const cases: Array<[string, { toSQL(): { sql: string; params: unknown[] } }]> = [
    ['feed first page', feedPageQuery({}, { limit: 20 })],
    ['feed page + total (served)', feedPageWithTotalQuery({}, { limit: 21, offset: 0 })],
    [
      'city page + total (served)',
      feedPageWithTotalQuery({ city: 'Lagos' }, { limit: 21, offset: 0 }),
    ],
    [
      'city+price + capped total',
      feedPageWithTotalQuery(
        { city: 'Lagos', minPrice: 5_000_000, maxPrice: 15_000_000 },
        { limit: 21, offset: 0 },
      ),
    ],
    [
      'feed city + price',
      feedPageQuery({ city: 'Lagos', minPrice: 5_000_000, maxPrice: 15_000_000 }, { limit: 20 }),
    ],
    // Price and guest filters without a city, total included, as served: a wide range,
    // a narrow one, a guest count, and a rare combination whose capped total finds few rows.
    [
      'price page + capped total',
      feedPageWithTotalQuery(
        { minPrice: 5_000_000, maxPrice: 15_000_000 },
        { limit: 21, offset: 0 },
      ),
    ],
    [
      'narrow price + capped total',
      feedPageWithTotalQuery(
        { minPrice: 20_000_000, maxPrice: 20_500_000 },
        { limit: 21, offset: 0 },
      ),
    ],
    ['guests page + capped total', feedPageWithTotalQuery({ guests: 8 }, { limit: 21, offset: 0 })],
    [
      'rare price+guests + total',
      feedPageWithTotalQuery({ minPrice: 24_800_000, guests: 8 }, { limit: 21, offset: 0 }),
    ],
    [`feed offset ${depth}`, feedPageQuery({}, { limit: 20, offset: depth })],
    [
      'feed cursor page',
      feedPageQuery({}, { limit: 20, cursor: { publishedAt: deep.published_at, id: deep.id } }),
    ],
    ['host bookings', hostBookingsQuery(host, { limit: 21 })],
    ['guest bookings', guestBookingsQuery(guest, { limit: 21 })],
  ];
  for (const [name, query] of cases) {
    const r = await explain(client, query);
    const targeted = TARGETED.has(name) || WITH_TOTAL.has(name);
    const limit = WITH_TOTAL.has(name) ? 60 : 22;
    const met = !targeted || (r.buffers <= limit && !r.sorts);
    if (!met) missed++;
    rows.push([
      String(size),
      name,
      String(r.buffers),
      r.ms.toFixed(3),
      targeted ? (met ? 'met' : 'MISSED') : '-',
      r.types.join(' > '),
    ]);
  }
  await client.end();
}

console.log(`\n${['listings', 'query', 'buffers', 'exec ms', 'target', 'plan'].join('\t')}`);
for (const row of rows) console.log(row.join('\t'));
console.log(
  `\n${missed === 0 ? 'all targets met' : `${missed} targets missed`} (≤ 22 shared buffers, ≤ 60 with the total; no Sort)`,
);
