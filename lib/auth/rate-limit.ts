import { isIP } from 'node:net';
import { sql } from 'drizzle-orm';
import { db, schema } from '#lib/db/index';
import { fromNow } from '#lib/db/interval';
import { tooManyRequests } from '#lib/http/errors';
import { config } from '#lib/platform/config';
import { logger } from '#lib/platform/log';
import { reportError } from '#lib/platform/sentry';

export interface Limit {
  key: string;
  max: number;
  windowSeconds: number;
  /** Said as an alert (error log and Sentry) the first time the limit refuses in a window. */
  alert?: string;
}

const { rateLimits } = schema;

/** Whether a source address is this machine's own (IPv4 127/8, ::1, or 127/8 mapped into IPv6). */
export function isLoopback(ip: string): boolean {
  const v4 = ip.replace(/^::ffff:/, '');
  return ip === '::1' || (isIP(v4) === 4 && v4.startsWith('127.'));
}

/**
 * A limit per source address. On a developer's own machine every request comes from
 * loopback, across restarts and clones sharing one database, so `npm run dev` exempts
 * loopback (RATE_LIMIT_LOOPBACK_EXEMPT; the per-identifier limits still apply). Deployed
 * stages refuse that setting, and API Gateway's source address is never loopback.
 */
export function perAddress(ip: string, limit: Limit): Limit[] {
  if (config.RATE_LIMIT_LOOPBACK_EXEMPT && isLoopback(ip)) return [];
  return [limit];
}

/**
 * Counts one hit against every limit, in one statement, and refuses with 429 (and the
 * seconds until the tightest window ends) when any is over. Fixed windows in Postgres:
 * the limits hold when the cache is down, and concurrent requests count exactly.
 */
export async function enforceLimits(limits: Limit[]): Promise<void> {
  if (limits.length === 0) return;
  const rows = await db()
    .insert(rateLimits)
    .values(
      limits.map((l) => ({
        key: l.key,
        hits: 1,
        windowEnds: fromNow(l.windowSeconds),
      })),
    )
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        hits: sql`case when ${rateLimits.windowEnds} <= now() then 1 else ${rateLimits.hits} + 1 end`,
        windowEnds: sql`case when ${rateLimits.windowEnds} <= now() then excluded.window_ends else ${rateLimits.windowEnds} end`,
      },
    })
    .returning({
      key: rateLimits.key,
      hits: rateLimits.hits,
      secondsLeft: sql<number>`ceil(extract(epoch from ${rateLimits.windowEnds} - now()))::int`,
    });
  let retryAfter = 0;
  for (const row of rows) {
    const limit = limits.find((l) => l.key === row.key);
    if (!limit || row.hits <= limit.max) continue;
    retryAfter = Math.max(retryAfter, row.secondsLeft);
    if (limit.alert && row.hits === limit.max + 1) {
      const alert = new Error(`alert: ${limit.alert} (${limit.key}: ${limit.max} a window)`);
      logger.error('alert: limit reached', { key: limit.key, max: limit.max, alert: limit.alert });
      await reportError(alert, undefined).catch(() => {});
    }
  }
  if (retryAfter > 0) throw tooManyRequests(retryAfter);
}
