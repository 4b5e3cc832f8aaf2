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

export const getHealth = contract({
  method: 'GET',
  path: '/health',
  fn: 'health/get-health',
  auth: anyone,
  memory: 256,
  description: 'Liveness and dependency status',
  responses: { 200: health, 503: health },
});
