import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { qstash, signedIn } from '#lib/http/contract';
import { HttpError } from '#lib/http/errors';
import { ok } from '#lib/http/reply';
import { route } from '#lib/http/route';
import { testContract } from '#tests/support/contracts';
import { httpEvent, invoke } from '#tests/support/events';

// Each handler here has a public test contract; the events carry any route key.
const PUBLIC = 'GET /health';
const json = { 'content-type': 'application/json' };

const echo = route(
  testContract({
    params: z.object({ id: z.string().min(3) }),
    query: z.strictObject({ limit: z.coerce.number().int().max(50).optional() }),
    body: z.strictObject({ title: z.string().min(1), nights: z.number().int().positive() }),
  }),
  async ({ params, query, body, requestId }) => ok({ params, query, body, requestId }),
);

describe('the handler stack', () => {
  it('gives the handler typed, validated input', async () => {
    const res = await invoke(
      echo,
      httpEvent({
        routeKey: PUBLIC,
        path: '/x?limit=5',
        headers: json,
        pathParameters: { id: 'abc' },
        body: JSON.stringify({ title: 'Flat', nights: 2 }),
      }),
    );
    expect(res.statusCode).toBe(200);
    const out = res.json();
    expect(out.params).toEqual({ id: 'abc' });
    expect(out.query).toEqual({ limit: 5 });
    expect(out.body).toEqual({ title: 'Flat', nights: 2 });
    expect(out.requestId).toMatch(/=$/);
  });

  it('answers malformed JSON with 400 invalid_json', async () => {
    const res = await invoke(
      echo,
      httpEvent({
        routeKey: PUBLIC,
        headers: json,
        pathParameters: { id: 'abc' },
        body: '{"title": ',
      }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid_json');
  });

  it('answers a non-JSON content type with 415', async () => {
    const res = await invoke(
      echo,
      httpEvent({
        routeKey: PUBLIC,
        headers: { 'content-type': 'text/plain' },
        pathParameters: { id: 'abc' },
        body: 'hello',
      }),
    );
    expect(res.statusCode).toBe(415);
    expect(res.json().error.code).toBe('unsupported_media_type');
  });

  it('names every failing field of path, query and body', async () => {
    const res = await invoke(
      echo,
      httpEvent({
        routeKey: PUBLIC,
        path: '/x?limit=500&sort=price',
        headers: json,
        pathParameters: { id: 'a' },
        body: JSON.stringify({ title: '', nights: -1, role: 'admin' }),
      }),
    );
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    expect(error.code).toBe('validation_failed');
    const paths = error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'params.id',
        'query.limit',
        'query',
        'body.title',
        'body.nights',
        'body',
      ]),
    );
  });

  it('refuses a body over the configured size with 413 before parsing it', async () => {
    const res = await invoke(
      echo,
      httpEvent({
        routeKey: PUBLIC,
        headers: json,
        pathParameters: { id: 'abc' },
        body: JSON.stringify({ title: 'x'.repeat(200 * 1024), nights: 1 }),
      }),
    );
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('payload_too_large');
  });

  it('shows exposed errors and hides unexpected ones behind a generic 500', async () => {
    const refuses = route(testContract({}), async () => {
      throw new HttpError(409, 'booking_overlaps', 'Those dates are taken.');
    });
    const crashes = route(testContract({}), async () => {
      throw new Error('relation "users" does not exist at SELECT * FROM users');
    });
    const refused = await invoke(refuses, httpEvent({ routeKey: PUBLIC }));
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toEqual({
      error: { code: 'booking_overlaps', message: 'Those dates are taken.' },
    });

    const crashed = await invoke(crashes, httpEvent({ routeKey: PUBLIC }));
    expect(crashed.statusCode).toBe(500);
    expect(crashed.json().error.code).toBe('internal_error');
    expect(crashed.body).not.toMatch(/relation|SELECT|at /);
  });

  it("takes its auth from the route's contract, whatever route key the event carries", async () => {
    const hostsOnly = route(testContract({ auth: signedIn('host') }), async () => ok({}));
    const res = await invoke(hostsOnly, httpEvent({ routeKey: PUBLIC }));
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
  });

  it('never lets a QStash-auth route through unless jobRoute checks the signature', async () => {
    let ran = false;
    const unchecked = route(testContract({ auth: qstash }), async () => {
      ran = true;
      return ok({});
    });
    const res = await invoke(unchecked, httpEvent({ routeKey: PUBLIC }));
    expect(res.statusCode).toBe(500);
    expect(ran).toBe(false);
  });

  it('fails a reply that its contract does not allow, outside production', async () => {
    const drifts = route(
      testContract({ responses: { 200: z.strictObject({ id: z.uuid() }) } }),
      async () => ok({ id: 'not-a-uuid', extra: true } as unknown as { id: string }),
    );
    const undeclared = route(testContract({}), async () => ({ status: 202, body: {} }) as never);
    const drifted = await invoke(drifts, httpEvent({ routeKey: PUBLIC }));
    expect(drifted.statusCode).toBe(500);
    expect(drifted.json().error.code).toBe('internal_error');
    expect((await invoke(undeclared, httpEvent({ routeKey: PUBLIC }))).statusCode).toBe(500);
  });

  it('compresses bodies over 1 KB with br or gzip as the client accepts, and not small ones', async () => {
    const big = route(testContract({}), async () =>
      ok({ items: Array.from({ length: 100 }, (_, i) => ({ i, name: 'Lekki flat' })) }),
    );
    const small = route(testContract({}), async () => ok({ hello: 'Lagos' }));

    const br = await invoke(
      big,
      httpEvent({ routeKey: PUBLIC, headers: { 'accept-encoding': 'gzip, br' } }),
    );
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.isBase64Encoded).toBe(true);
    const decoded = brotliDecompressSync(Buffer.from(br.body, 'base64')).toString();
    expect(JSON.parse(decoded).items).toHaveLength(100);

    const gz = await invoke(
      big,
      httpEvent({ routeKey: PUBLIC, headers: { 'accept-encoding': 'gzip' } }),
    );
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(Buffer.from(gz.body, 'base64')).toString()).items).toHaveLength(
      100,
    );

    const plain = await invoke(big, httpEvent({ routeKey: PUBLIC }));
    expect(plain.headers['content-encoding']).toBeUndefined();

    const tiny = await invoke(
      small,
      httpEvent({ routeKey: PUBLIC, headers: { 'accept-encoding': 'br' } }),
    );
    expect(tiny.headers['content-encoding']).toBeUndefined();
    expect(tiny.json()).toEqual({ hello: 'Lagos' });
  });

  it('adds CORS and security headers, to errors too', async () => {
    const res = await invoke(
      echo,
      httpEvent({
        routeKey: PUBLIC,
        headers: { ...json, origin: 'https://app.example.com' },
        body: '{',
      }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toMatch(/max-age/);
  });
});
