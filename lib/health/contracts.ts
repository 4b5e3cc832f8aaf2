import * as z from 'zod/mini';
import { anyone, contract, instant } from '#lib/http/contract';

const health = z.strictObject({
  status: z.enum(['ok', 'degraded']),
  db: z.enum(['ok', 'error', 'skipped']),
  dbError: z.optional(z.string()),
  cache: z.enum(['ok', 'error', 'skipped']),
  memory: z.strictObject({ rss: z.number(), heapUsed: z.number(), heapTotal: z.number() }),
  uptime: z.number().check(z.int()),
  timestamp: instant,
  version: z.string(),
});

/** What Route 53 asks every ~2 s (infra/health-stack.ts): the API and its function, nothing behind. */
export const SHALLOW_HEALTH_PATH = '/health?depth=shallow';

export const getHealth = contract({
  method: 'GET',
  path: '/health',
  fn: 'health/get-health',
  auth: anyone,
  memory: 256,
  description: 'Liveness and dependency status',
  query: z.strictObject({
    depth: z._default(
      z
        .enum(['deep', 'shallow'])
        .check(
          z.describe(
            'deep: also a select 1 and a cache PING; shallow: only that the API and its function answer (db and cache "skipped"), so that an outside check every few seconds lets the database suspend',
          ),
        ),
      'deep',
    ),
  }),
  responses: { 200: health, 503: health },
});
