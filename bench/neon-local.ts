// Latency of `select 1` through the local Neon stand-ins, median of RUNS after a warm-up.
// Run: npm exec -- node bench/neon-local.ts [postgres-url]
import { Client, neon, Pool } from '@neondatabase/serverless';
import pg from 'pg';
import { useLocalNeon } from '#local/emulators/neon/config';
import { startNeonProxy } from '#local/emulators/neon/index';

const RUNS = 50;
const url = process.argv[2] ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

async function median(label: string, run: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < 5; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const p = (q: number) => (times[Math.floor(q * (times.length - 1))] ?? 0).toFixed(2);
  console.log(`${label.padEnd(42)} median ${p(0.5)} ms  p90 ${p(0.9)} ms`);
}

const proxy = await startNeonProxy();
useLocalNeon(proxy);

const sql = neon(url);
await median('HTTP  neon() select 1', () => sql`select 1`);

await median('WS    Client connect+query+end', async () => {
  const client = new Client(url);
  await client.connect();
  await client.query('select 1');
  await client.end();
});

const pool = new Pool({ connectionString: url, max: 1 });
await median('WS    Pool connect+query+end (fresh pool)', async () => {
  const p = new Pool({ connectionString: url, max: 1 });
  await p.query('select 1');
  await p.end();
});
await median('WS    warm Pool query', () => pool.query('select 1'));
await pool.end();

await median('TCP   pg.Client connect+query+end (baseline)', async () => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('select 1');
  await client.end();
});
const direct = new pg.Client({ connectionString: url });
await direct.connect();
await median('TCP   pg.Client query (baseline)', () => direct.query('select 1'));
await direct.end();

await proxy.close();
