/**
 * The public feed through the local gateway, the real Upstash client and its stand-in, on
 * 20K synthetic listings: latency on a cache hit and a miss, SQL statements per request,
 * what a dead Redis adds, the bytes of a 20-card page, and the cost of one invalidation
 * with 10 and 10,000 cached pages for the generation scheme and for SCAN + DEL.
 *
 *   npm run bench:feed [-- --requests 200]
 */

import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { Redis as Upstash } from '@upstash/redis';
import { Redis } from 'ioredis';
import { startNeonProxy } from '#local/emulators/neon/index';
import { startUpstashRedis } from '#local/emulators/upstash-redis/index';
import { synthesize } from '#local/seed/synth';
import { localDatabaseUrl } from '#tools/database-url';
import { ensureDatabase, migrateDatabase } from '#tools/db';

const { values } = parseArgs({ options: { requests: { type: 'string', default: '200' } } });
const N = Number(values.requests);
const REDIS_DB = 13;
const TOKEN = 'bench-token';

const url = localDatabaseUrl('marketplace_bench_feed');
await ensureDatabase(url);
await migrateDatabase(url);
await synthesize(url, { listings: 20_000, conversations: 10, messages: 10 });

const neon = await startNeonProxy();
const upstash = await startUpstashRedis({ token: TOKEN, db: REDIS_DB });
const deadUpstash = await startUpstashRedis({ token: TOKEN, redisUrl: 'redis://127.0.0.1:1' });
const redis = new Redis({ db: REDIS_DB });
await redis.flushdb();

Object.assign(process.env, {
  APP_ENV: 'production',
  LOG_LEVEL: 'ERROR',
  DATABASE_URL: url,
  NEON_LOCAL_PROXY_URL: `http://127.0.0.1:${neon.port}`,
  UPSTASH_REDIS_REST_URL: upstash.url,
  UPSTASH_REDIS_REST_TOKEN: TOKEN,
  CACHE_NAMESPACE: 'bench',
  JWT_SIGNING_KEYS: `bench:${'x'.repeat(40)}`,
  OTP_SECRET: 'x'.repeat(40),
  QSTASH_TOKEN: 'unused',
  QSTASH_CURRENT_SIGNING_KEY: 'unused',
  QSTASH_NEXT_SIGNING_KEY: 'unused',
  EMAIL_PROVIDER: 'ses',
  EMAIL_FROM: 'bench@example.com',
  SMS_PROVIDER: 'termii',
  TERMII_API_KEY: 'unused',
  TERMII_SENDER_ID: 'unused',
  PUSH_PROVIDER: 'expo',
  PAYSTACK_SECRET_KEY: 'sk_test_bench',
  PAYSTACK_CALLBACK_URL: 'https://app.example.com/bookings/return',
});
const { startGateway } = await import('#local/runtime/gateway');

const percentile = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};
const fmt = (xs: number[]) =>
  `median ${percentile(xs, 50).toFixed(1)} ms, p99 ${percentile(xs, 99).toFixed(1)} ms`;

async function timed(base: string, path: string, before?: () => Promise<unknown>) {
  const times: number[] = [];
  const statements: number[] = [];
  let cache = '';
  for (let i = 0; i < N; i++) {
    await before?.();
    const s0 = neon.stats.statements;
    const t0 = performance.now();
    const res = await fetch(`${base}${path}`);
    await res.arrayBuffer();
    times.push(performance.now() - t0);
    statements.push(neon.stats.statements - s0);
    cache = res.headers.get('x-cache') ?? '';
  }
  return { times, statements: statements.reduce((a, b) => a + b, 0) / N, cache };
}

const path = '/listings/public?limit=20';
const gateway = await startGateway();
await fetch(`${gateway.url}${path}`); // cold start, not measured

const bumpGeneration = () => redis.incr('bench:catalogue:generation');
const miss = await timed(gateway.url, path, bumpGeneration);
const hit = await timed(gateway.url, path);
console.log(
  `feed, cache miss (${miss.cache}): ${fmt(miss.times)}; SQL statements per request: ${miss.statements}`,
);
console.log(
  `feed, cache hit  (${hit.cache}): ${fmt(hit.times)}; SQL statements per request: ${hit.statements}`,
);

// The same misses with no cache configured, and with a cache whose Redis is dead.
process.env.UPSTASH_REDIS_REST_URL = '';
const noCache = await startGateway();
await fetch(`${noCache.url}${path}`);
const without = await timed(noCache.url, path);
process.env.UPSTASH_REDIS_REST_URL = deadUpstash.url;
const dead = await startGateway();
await fetch(`${dead.url}${path}`);
const withDead = await timed(dead.url, path);
// A cache endpoint that accepts connections and never answers: the client's deadline.
const hanging = createServer(() => {});
await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', r));
process.env.UPSTASH_REDIS_REST_URL = `http://127.0.0.1:${(hanging.address() as { port: number }).port}`;
const stuck = await startGateway();
await fetch(`${stuck.url}${path}`);
const withStuck = await timed(stuck.url, path);
const adds = (xs: number[]) => (percentile(xs, 50) - percentile(without.times, 50)).toFixed(1);
console.log(`feed, no cache configured:  ${fmt(without.times)}`);
console.log(
  `feed, Redis dead (refused): ${fmt(withDead.times)} → adds ${adds(withDead.times)} ms at the median`,
);
console.log(
  `feed, cache hangs:          ${fmt(withStuck.times)} → adds ${adds(withStuck.times)} ms at the median`,
);

const page = Buffer.from(await (await fetch(`${gateway.url}${path}`)).arrayBuffer());
const br = brotliCompressSync(page, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } }).length;
const gz = gzipSync(page, { level: 6 }).length;
const sent = await fetch(`${gateway.url}${path}`, { headers: { 'accept-encoding': 'br' } });
console.log(
  `20-card page: ${page.length} B plain, ${br} B br, ${gz} B gzip (served: content-encoding ${sent.headers.get('content-encoding')})`,
);

// Invalidation cost, through the real client and the stand-in, against real Redis.
const client = new Upstash({ url: upstash.url, token: TOKEN, enableTelemetry: false });
async function fill(pages: number) {
  await redis.flushdb();
  const pipeline = redis.pipeline();
  for (let i = 0; i < pages; i++)
    pipeline.set(`bench:catalogue:0:feed:o=${i}`, 'x'.repeat(8000), 'EX', 120);
  await pipeline.exec();
}
async function scanAndDelete(): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await client.scan(cursor, { match: 'bench:catalogue:*', count: 1000 });
    cursor = String(next);
    if (keys.length > 0) deleted += await client.del(...keys);
  } while (cursor !== '0');
  return deleted;
}
async function generation() {
  await client
    .multi()
    .incr('bench:catalogue:generation')
    .del('bench:catalogue:stale:listing:x')
    .exec();
}
console.log('\ninvalidation of every feed page, one call (median of 5):');
for (const pages of [10, 10_000]) {
  const gen: number[] = [];
  const scan: number[] = [];
  for (let i = 0; i < 5; i++) {
    await fill(pages);
    let t = performance.now();
    await generation();
    gen.push(performance.now() - t);
    await fill(pages);
    t = performance.now();
    await scanAndDelete();
    scan.push(performance.now() - t);
  }
  console.log(
    `  ${String(pages).padStart(6)} cached pages: generation ${percentile(gen, 50).toFixed(1)} ms, SCAN + DEL ${percentile(scan, 50).toFixed(1)} ms`,
  );
}

await Promise.all([gateway.close(), noCache.close(), dead.close(), stuck.close()]);
hanging.closeAllConnections?.();
hanging.close();
await redis.flushdb();
redis.disconnect();
await Promise.all([neon.close(), upstash.close(), deadUpstash.close()]);
