/**
 * For each hot query, at 20K and at 200K listings (about a million bookings at 200K): the
 * plan's node types, shared buffers (hit + read) and execution time, from EXPLAIN (ANALYZE,
 * BUFFERS). The queries are the ones the functions run (lib/catalogue/feed.ts,
 * lib/bookings/queries.ts), rendered by drizzle. Targets, all with no Sort:
 *   ≤ 22 buffers   feed first page, feed cursor page; host and guest bookings, first page and
 *                  a cursor page deep in the list
 *   ≤ 60 buffers   the feed and the city page as served, total included
 *   ≤ 150 buffers  city+dates search: Lagos, free for three nights of a busy weekend a month
 *                  out, when over a third of Lagos listings are held
 * The rest are reported only: other filters, the dates search without a city, a host's
 * bookings filtered by status or by listing, and a listing's availability over a year.
 *
 *   npm run bench:db [-- --sizes 20000,200000]
 */
import { parseArgs } from 'node:util';
import { PgDialect } from 'drizzle-orm/pg-core';
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
const { guestBookingsQuery, hostBookingsQuery, unavailableNightsQuery } = await import(
  '#lib/bookings/queries'
);
const dialect = new PgDialect();

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  'Relation Name'?: string;
  'Actual Loops'?: number;
  Plans?: PlanNode[];
}

function nodeTypes(node: PlanNode): string[] {
  const own = node['Index Name']
    ? `${node['Node Type']}(${node['Index Name']})`
    : node['Node Type'];
  return [own, ...(node.Plans ?? []).flatMap(nodeTypes)];
}

/** How many times the plan looked up a listing's holds: once per listing a date search reads. */
function holdProbes(node: PlanNode): number {
  const own = node['Relation Name'] === 'listing_holds' ? (node['Actual Loops'] ?? 0) : 0;
  return own + (node.Plans ?? []).reduce((sum, child) => sum + holdProbes(child), 0);
}

interface Rendered {
  sql: string;
  params: unknown[];
}

async function explain(client: pg.Client, { sql, params }: Rendered) {
  const run = () => client.query(`explain (analyze, buffers, format json) ${sql}`, params);
  await run();
  const result = await run();
  const [{ Plan: plan, 'Execution Time': ms }] = result.rows[0]['QUERY PLAN'];
  const buffers = (plan['Shared Hit Blocks'] ?? 0) + (plan['Shared Read Blocks'] ?? 0);
  const types = nodeTypes(plan);
  return {
    buffers,
    ms: ms as number,
    types,
    sorts: types.some((t) => t.startsWith('Sort')),
    probes: holdProbes(plan),
  };
}

/** Shared buffers a query may touch; it must not sort either. The rest are reported only. */
const TARGETS = new Map([
  ['feed first page', 22],
  ['feed cursor page', 22],
  ['host bookings', 22],
  ['host bookings cursor', 22],
  ['guest bookings', 22],
  ['guest bookings cursor', 22],
  // The feed as served, total included: at most ~60 buffers at 200K (catalogue issue).
  ['feed page + total (served)', 60],
  ['city page + total (served)', 60],
  // One hold probe per listing read, so it grows with the share of the city that is held.
  ['city+dates search', 150],
]);
const rows: string[][] = [];
const notes: string[] = [];
let targeted = 0;
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
  // Where a page of a booking list deep in it would start: the row halfway down.
  const halfway = async (owner: 'host_id' | 'guest_id', id: string) => {
    const { rows } = await client.query(
      `select check_in::text as "checkIn", id from bookings where ${owner} = $1
       order by check_in desc, id desc
       offset (select count(*) / 2 from bookings where ${owner} = $1) limit 1`,
      [id],
    );
    return rows[0] as { checkIn: string; id: string };
  };
  const hostCursor = await halfway('host_id', host);
  const guestCursor = await halfway('guest_id', guest);
  // The host's listing with the most bookings.
  const hostListing = (
    await client.query(
      'select listing_id from bookings where host_id = $1 group by 1 order by count(*) desc limit 1',
      [host],
    )
  ).rows[0].listing_id;
  // Three nights of the busy weekend synth books a month out (local/seed/synth.ts), and how
  // much of Lagos, and of the whole catalogue, those nights are held.
  const { checkIn, checkOut } = (
    await client.query(
      `select (current_date + 30)::text as "checkIn", (current_date + 33)::text as "checkOut"`,
    )
  ).rows[0];
  const held = (
    await client.query(
      `select count(*) filter (where lower(city) = 'lagos')::int as lagos,
              count(*) filter (where lower(city) = 'lagos' and taken)::int as "lagosHeld",
              count(*)::int as "all", count(*) filter (where taken)::int as "allHeld"
       from (select l.city, exists (
               select 1 from listing_holds h where h.listing_id = l.id
                 and daterange(h.starts_on, h.ends_on, '[)') && daterange($1::date, $2::date, '[)')
             ) as taken
             from listings l where l.status = 'published') t`,
      [checkIn, checkOut],
    )
  ).rows[0];
  const share = (n: number, of: number) => `${n} of ${of} (${((100 * n) / of).toFixed(0)}%)`;
  notes.push(
    `${size}: ${checkIn} to ${checkOut} held for ${share(held.lagosHeld, held.lagos)} published Lagos listings, ${share(held.allHeld, held.all)} of all`,
  );
  // The listing with the most holds in the coming year.
  const yearAhead = (
    await client.query(`select (current_date)::text as "from", (current_date + 365)::text as "to"`)
  ).rows[0];
  const busy = (
    await client.query(
      `select h.listing_id, count(*)::int as n from listing_holds h
       join listings l on l.id = h.listing_id and l.status = 'published'
       where daterange(h.starts_on, h.ends_on, '[)') && daterange($1::date, $2::date, '[)')
       group by 1 order by 2 desc, 1 limit 1`,
      [yearAhead.from, yearAhead.to],
    )
  ).rows[0];
  notes.push(
    `${size}: availability of ${busy.listing_id}, ${yearAhead.from} to ${yearAhead.to}: ${busy.n} holds`,
  );
  const stay = { checkIn, checkOut };

  const builders: Array<[string, { toSQL(): Rendered }]> = [
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
    ['city+dates search', feedPageQuery({ city: 'Lagos', stay }, { limit: 21 })],
    ['dates search', feedPageQuery({ stay }, { limit: 21 })],
    ['host bookings', hostBookingsQuery(host, { limit: 21 })],
    ['host bookings cursor', hostBookingsQuery(host, { limit: 21, cursor: hostCursor })],
    ['host confirmed', hostBookingsQuery(host, { limit: 21, status: 'confirmed' })],
    ['host one listing', hostBookingsQuery(host, { limit: 21, listingId: hostListing })],
    ['guest bookings', guestBookingsQuery(guest, { limit: 21 })],
    ['guest bookings cursor', guestBookingsQuery(guest, { limit: 21, cursor: guestCursor })],
  ];
  const cases: Array<[string, Rendered]> = [
    ...builders.map(([name, query]): [string, Rendered] => [name, query.toSQL()]),
    [
      'availability, one year',
      dialect.sqlToQuery(unavailableNightsQuery(busy.listing_id, yearAhead)),
    ],
  ];
  for (const [name, query] of cases) {
    const r = await explain(client, query);
    const limit = TARGETS.get(name);
    const met = limit === undefined || (r.buffers <= limit && !r.sorts);
    if (limit !== undefined) targeted++;
    if (!met) missed++;
    if (name.endsWith('dates search')) {
      notes.push(
        `${size}: ${name} read listing_holds ${r.probes} times for its 21 rows (it filters on listings.held)`,
      );
    }
    rows.push([
      String(size),
      name,
      String(r.buffers),
      r.ms.toFixed(3),
      limit === undefined ? '-' : `${met ? 'met' : 'MISSED'} (≤ ${limit})`,
      r.types.join(' > '),
    ]);
  }
  await client.end();
}

console.log(`\n${['listings', 'query', 'buffers', 'exec ms', 'target', 'plan'].join('\t')}`);
for (const row of rows) console.log(row.join('\t'));
console.log(`\n${notes.join('\n')}`);
console.log(
  `\n${missed === 0 ? `all ${targeted} targets met` : `${missed} of ${targeted} targets missed`} (shared buffers as marked, no Sort)`,
);
