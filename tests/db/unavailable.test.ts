import { createServer, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { type Gateway, startGateway } from '#local/runtime/gateway';
import { call } from '#tests/support/api';

// A Postgres that accepts connections and never answers, to show queries time out.
const sockets: Socket[] = [];
const silent = createServer((s) => sockets.push(s));
await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
const silentPort = (silent.address() as { port: number }).port;

const gateways: Gateway[] = [];
afterAll(async () => {
  await Promise.all(gateways.map((g) => g.close()));
  for (const s of sockets) s.destroy();
  silent.close();
});

/** Each gateway loads fresh function bundles, which read the environment at cold start. */
async function gatewayWithDatabase(url: string, timeoutMs: number): Promise<Gateway> {
  process.env.DATABASE_URL = url;
  process.env.DB_TIMEOUT_MS = String(timeoutMs);
  const gateway = await startGateway();
  gateways.push(gateway);
  return gateway;
}

describe('when the database is unavailable', () => {
  it('health answers 503 quickly and says why, when Postgres refuses connections', async () => {
    const gateway = await gatewayWithDatabase('postgres://postgres@127.0.0.1:1/marketplace', 5000);
    const started = Date.now();
    const res = await call(gateway.url, 'GET', '/health');
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({
      status: 'degraded',
      db: 'error',
      dbError: 'unreachable or timed out',
    });
    expect(Date.now() - started).toBeLessThan(5000);
    // Route 53's shallow check touches neither the database nor the cache: still 200.
    const shallow = await call(gateway.url, 'GET', '/health?depth=shallow');
    expect(shallow.status).toBe(200);
    expect(shallow.body).toMatchObject({ status: 'ok', db: 'skipped', cache: 'skipped' });
    expect(shallow.body.dbError).toBeUndefined();
    const unknown = await call(gateway.url, 'GET', '/health?depth=some');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details).toEqual([
      { path: 'query.depth', message: expect.stringContaining('"deep"|"shallow"') },
    ]);
  });

  it('health answers 503 when Postgres does not answer within the query timeout', async () => {
    const gateway = await gatewayWithDatabase(
      `postgres://postgres@127.0.0.1:${silentPort}/marketplace`,
      500,
    );
    const res = await call(gateway.url, 'GET', '/health');
    expect(res.status).toBe(503);
    expect(res.body.db).toBe('error');
  });
});
