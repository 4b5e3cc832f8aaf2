import { config } from '#lib/config';
import { ok } from '#lib/http/reply';
import { route } from '#lib/http/route';

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

export const handler = route({}, async () => {
  const memory = process.memoryUsage();
  return ok(
    {
      status: 'ok',
      db: 'skipped',
      cache: 'skipped',
      memory: {
        rss: mb(memory.rss),
        heapUsed: mb(memory.heapUsed),
        heapTotal: mb(memory.heapTotal),
      },
      uptime: Math.round(process.uptime()),
      timestamp: new Date().toISOString(),
      version: config.APP_VERSION,
    },
    { 'Cache-Control': 'no-store' },
  );
});
