import { sql } from 'drizzle-orm';
import { isDbUnavailable } from '#lib/db/errors';
import { db } from '#lib/db/index';
import { getHealth } from '#lib/health/contracts';
import { route } from '#lib/http/route';
import { cache } from '#lib/platform/cache';
import { config } from '#lib/platform/config';

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

async function checkDb(): Promise<{ db: 'ok' | 'error' | 'skipped'; dbError?: string }> {
  if (!config.DATABASE_URL) return { db: 'skipped' };
  try {
    await db().execute(sql`select 1`);
    return { db: 'ok' };
  } catch (error) {
    const reason = isDbUnavailable(error) ? 'unreachable or timed out' : 'query failed';
    return { db: 'error', dbError: reason };
  }
}

/** The cache is optional: its failure is reported, but never makes the API unhealthy. */
async function checkCache(): Promise<'ok' | 'error' | 'skipped'> {
  const client = cache();
  if (!client) return 'skipped';
  try {
    await (await client).ping();
    return 'ok';
  } catch {
    return 'error';
  }
}

export const handler = route(getHealth, async ({ query }) => {
  // Shallow touches nothing behind the function: Route 53's checks would keep Neon awake.
  const [dbStatus, cacheStatus] =
    query.depth === 'shallow'
      ? [{ db: 'skipped' as const }, 'skipped' as const]
      : await Promise.all([checkDb(), checkCache()]);
  const memory = process.memoryUsage();
  const healthy = dbStatus.db !== 'error';
  const body = {
    status: healthy ? ('ok' as const) : ('degraded' as const),
    ...dbStatus,
    cache: cacheStatus,
    memory: {
      rss: mb(memory.rss),
      heapUsed: mb(memory.heapUsed),
      heapTotal: mb(memory.heapTotal),
    },
    uptime: Math.round(process.uptime()),
    timestamp: new Date().toISOString(),
    version: config.APP_VERSION,
  };
  const headers = { 'Cache-Control': 'no-store' };
  return healthy
    ? { status: 200 as const, headers, body }
    : { status: 503 as const, headers, body };
});
