import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Gateway, startGateway } from '#local/runtime/gateway';
import { call } from '#tests/support/api';
import { settleResponseChecks } from '#tests/support/response-checks';

let gateway: Gateway;
beforeAll(async () => {
  gateway = await startGateway();
});
afterAll(async () => {
  await gateway.close();
  await settleResponseChecks(gateway);
});

describe('the local API Gateway', () => {
  it('serves GET /health with status, dependencies, memory, uptime and version', async () => {
    const { status, headers, body } = await call(gateway.url, 'GET', '/health');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/application\/json/);
    expect(body).toMatchObject({ status: 'ok', version: expect.any(String) });
    expect(['ok', 'skipped']).toContain(body.db);
    expect(['ok', 'skipped', 'error']).toContain(body.cache);
    expect(body.memory).toEqual({
      rss: expect.any(Number),
      heapUsed: expect.any(Number),
      heapTotal: expect.any(Number),
    });
    expect(typeof body.uptime).toBe('number');
    expect(Date.parse(body.timestamp)).not.toBeNaN();
  });

  it('answers an unknown path, or a known path with another method, with 404 JSON', async () => {
    for (const [method, path] of [
      ['GET', '/nowhere'],
      ['DELETE', '/health'],
    ] as const) {
      const res = await call(gateway.url, method, path);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
  });

  it('answers CORS preflight requests', async () => {
    const res = await fetch(`${gateway.url}/health`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-headers')).toMatch(/authorization/);
  });
});

describe('what the local gateway refuses itself', () => {
  const lines: string[] = [];
  let logged: Gateway;
  beforeAll(async () => {
    logged = await startGateway({ log: (line) => lines.push(line) });
  });
  afterAll(async () => {
    await logged.close();
    await settleResponseChecks(logged);
  });

  it('answers malformed percent-encoding in a path with 400 in the error envelope, and says so', async () => {
    for (const path of ['/listings/public/%E0%A4%A', '/wishlist/%E0%A4%A', '/%zz']) {
      const res = await call(logged.url, path.startsWith('/wishlist') ? 'PUT' : 'GET', path);
      expect(res.status, path).toBe(400);
      expect(res.body.error).toEqual({
        code: 'bad_request',
        message: 'The path has malformed percent-encoding.',
      });
    }
    expect(lines.find((l) => l.includes('%E0%A4%A'))).toMatch(
      /400 \d+ms gateway refused: The path has malformed percent-encoding\.$/,
    );
  });

  it('answers a 20 KB query string, and a 100 KB header, with 431 in the envelope', async () => {
    const long = await call(logged.url, 'GET', `/listings/public?city=${'x'.repeat(20_000)}`);
    expect(long.status).toBe(431);
    expect(long.body.error.code).toBe('request_too_large');
    const huge = await call(logged.url, 'GET', '/health', {
      headers: { 'x-big': 'y'.repeat(100_000) },
    });
    expect(huge.status).toBe(431);
    expect(huge.body.error.code).toBe('request_too_large');
  });

  it('names the function that served each request, and why one was refused', async () => {
    await call(logged.url, 'GET', '/health');
    await call(logged.url, 'GET', '/listings/public?minPrice=abc');
    expect(lines).toContainEqual(
      expect.stringMatching(/^GET \/health 200 \d+ms health-get-health$/),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^GET \/listings\/public 400 \d+ms listings-list-public-listings validation_failed: .*\(query\.minPrice: .+\)$/,
      ),
    );
  });
});
