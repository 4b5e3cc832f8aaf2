import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Gateway, startGateway } from '#local/gateway';
import { call } from '../support/api.ts';

let gateway: Gateway;
beforeAll(async () => {
  gateway = await startGateway();
});
afterAll(() => gateway.close());

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
