import { count, eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { inDays } from '#tests/support/bookings';
import { type Seen, startFlakyProxy } from '#tests/support/flaky-proxy';
import { startLocalStack } from '#tests/support/stack';
import { publishedListing } from '#tests/support/uploads';
import { createClient, retryAfterMs, TimeoutError } from '../../client/src/index.ts';

const stack = await startLocalStack();
const proxy = await startFlakyProxy(stack.gateway.url);
const { db, schema } = await import('#lib/db/index');
afterAll(async () => {
  await proxy.close();
  await stack.close();
});

const host = await stack.signIn('host');
const guest = await stack.signIn('user', 'bisi@example.com');
const { id: listingId } = await publishedListing(stack, host.accessToken, {
  title: 'Lekki duplex',
});

const to = (method: string, path: string) => (r: Seen) =>
  r.method === method && r.path.split('?')[0] === path;
const seenFor = (method: string, path: string) => proxy.seen.filter(to(method, path));

/** Fast waits for the tests that are not about the waits themselves. */
const quick = { delaysMs: [20, 40, 80] };

describe('retries through a proxy that fails on purpose', () => {
  it('retries a GET after two 503s with waits of about 1 s and 2 s: three attempts, then the answer', async () => {
    const client = createClient({ baseUrl: proxy.url });
    const path = `/listings/public/${listingId}`;
    proxy.fail(to('GET', path), { kind: 'answer', status: 503 }, { kind: 'answer', status: 503 });
    const started = Date.now();
    const { data } = await client.GET('/listings/public/{id}', {
      params: { path: { id: listingId } },
    });
    const took = Date.now() - started;
    expect(data?.title).toBe('Lekki duplex');
    expect(seenFor('GET', path)).toHaveLength(3);
    // 1 s and 2 s, each ± 20 %.
    expect(took).toBeGreaterThanOrEqual(2400);
    expect(took).toBeLessThan(6000);
  });

  it('gives up after three retries of a GET, answering the last error', async () => {
    const client = createClient({ baseUrl: proxy.url, retry: quick });
    const path = '/home-feed';
    const fault = { kind: 'answer', status: 502 } as const;
    proxy.fail(to('GET', path), fault, fault, fault, fault, fault);
    const { error, response } = await client.GET('/home-feed');
    expect(response.status).toBe(502);
    expect(error?.error.code).toBe('injected');
    expect(seenFor('GET', path)).toHaveLength(4);
  });

  it('sends a POST without an Idempotency-Key once, whatever it meets', async () => {
    const client = createClient({ baseUrl: proxy.url, retry: quick });
    proxy.fail(to('POST', '/auth/otp/request'), { kind: 'answer', status: 503 });
    const { response } = await client.POST('/auth/otp/request', {
      body: { email: 'once@example.com', role: 'user' },
    });
    expect(response.status).toBe(503);
    expect(seenFor('POST', '/auth/otp/request')).toHaveLength(1);
    // And a network error (the answer never comes) is not retried either.
    const timing = createClient({ baseUrl: proxy.url, retry: quick, timeoutMs: 300 });
    proxy.fail(to('POST', '/auth/otp/request'), { kind: 'hang' });
    await expect(
      timing.POST('/auth/otp/request', { body: { email: 'twice@example.com', role: 'user' } }),
    ).rejects.toBeInstanceOf(TimeoutError);
    expect(seenFor('POST', '/auth/otp/request')).toHaveLength(2);
  });

  it('retries a booking POST with the same key after its answer was lost: one booking', async () => {
    const client = createClient({
      baseUrl: proxy.url,
      retry: quick,
      getAccessToken: () => guest.accessToken,
      getRefreshToken: () => guest.refreshToken,
    });
    // The first attempt reaches the API, which books; its answer is lost; then a 503.
    proxy.fail(
      to('POST', '/bookings'),
      { kind: 'lose', status: 502 },
      {
        kind: 'answer',
        status: 503,
      },
    );
    const { data, response } = await client.POST('/bookings', {
      body: { listingId, checkIn: inDays(30), checkOut: inDays(32) },
    });
    expect(response.status).toBe(201);
    const attempts = seenFor('POST', '/bookings');
    expect(attempts).toHaveLength(3);
    const keys = new Set(attempts.map((a) => a.headers['idempotency-key']));
    expect(keys.size).toBe(1);
    expect([...keys][0]).toMatch(/^[0-9a-f-]{32,36}$/);
    const [row] = await db()
      .select({ n: count() })
      .from(schema.bookings)
      .where(eq(schema.bookings.guestId, guest.principal.id));
    expect(row?.n).toBe(1);
    expect(data?.nights).toBe(2);
  });

  it('never retries a 4xx', async () => {
    const client = createClient({ baseUrl: proxy.url, retry: quick });
    const path = `/listings/public/${listingId}/availability`;
    proxy.fail(to('GET', path), { kind: 'answer', status: 409 });
    const { response } = await client.GET('/listings/public/{id}/availability', {
      params: { path: { id: listingId } },
    });
    expect(response.status).toBe(409);
    expect(seenFor('GET', path)).toHaveLength(1);
  });

  it('waits as long as a 429 Retry-After asks, then retries', async () => {
    const client = createClient({ baseUrl: proxy.url, retry: quick });
    const path = `/listings/public/${listingId}/reviews`;
    proxy.fail(to('GET', path), {
      kind: 'answer',
      status: 429,
      headers: { 'Retry-After': '1' },
    });
    const started = Date.now();
    const { response } = await client.GET('/listings/public/{id}/reviews', {
      params: { path: { id: listingId } },
    });
    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(seenFor('GET', path)).toHaveLength(2);
    // A wait longer than the client accepts is not waited for.
    proxy.fail(to('GET', path), { kind: 'answer', status: 503, headers: { 'Retry-After': '600' } });
    expect(
      (
        await client.GET('/listings/public/{id}/reviews', {
          params: { path: { id: listingId } },
        })
      ).response.status,
    ).toBe(503);
    expect(seenFor('GET', path)).toHaveLength(3);
    expect(retryAfterMs('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('2015-10-21T07:27:30Z'))).toBe(
      30_000,
    );
  });

  it('times out each attempt, and one AbortSignal cancels the call and its retries', async () => {
    const client = createClient({ baseUrl: proxy.url, retry: quick, timeoutMs: 1000 });
    const path = '/health';
    // Warm: the function's first load is not what this measures.
    expect((await stack.api('GET', path)).status).toBe(200);
    proxy.fail(to('GET', path), { kind: 'hang' }, { kind: 'hang' });
    // Two attempts hang past their second, the third answers.
    const { response } = await client.GET('/health');
    expect(response.status).toBe(200);
    expect(seenFor('GET', path)).toHaveLength(3);

    proxy.fail(to('GET', path), { kind: 'hang' }, { kind: 'hang' }, { kind: 'hang' });
    const slow = createClient({ baseUrl: proxy.url, timeoutMs: 200 });
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(new Error('the guest left the page')), 500);
    await expect(slow.GET('/health', { signal: controller.signal })).rejects.toThrow(
      'the guest left the page',
    );
    // Cancelled during the first backoff (about 1 s), not after the three retries.
    expect(Date.now() - started).toBeLessThan(900);
    expect(seenFor('GET', path)).toHaveLength(4);
  });

  it('answers ten calls that meet a 401 with one refresh, then replays each once', async () => {
    const user = await stack.signIn('user');
    const refreshed: string[] = [];
    const client = createClient({
      baseUrl: proxy.url,
      retry: quick,
      // What the app kept from yesterday: an access token that no longer works.
      getAccessToken: () => `${user.accessToken}x`,
      getRefreshToken: () => user.refreshToken,
      onTokens: (t) => {
        if (t) refreshed.push(t.accessToken);
      },
    });
    const before = seenFor('POST', '/auth/refresh').length;
    const answers = await Promise.all(Array.from({ length: 10 }, () => client.GET('/me')));
    expect(answers.map((a) => a.response.status)).toEqual(Array(10).fill(200));
    expect(answers.every((a) => a.data?.id === user.principal.id)).toBe(true);
    expect(seenFor('POST', '/auth/refresh').length - before).toBe(1);
    expect(client.refreshes).toBe(1);
    expect(refreshed).toHaveLength(1);
    // Ten 401s and ten replays with the new token.
    const me = seenFor('GET', '/me');
    expect(me.filter((r) => r.headers.authorization === `Bearer ${refreshed[0]}`)).toHaveLength(10);

    // A refused refresh (the sign-in was revoked) signs out: one 401, no loop.
    const revoked = createClient({
      baseUrl: proxy.url,
      getAccessToken: () => 'not-a-token',
      getRefreshToken: () => 'r'.repeat(40),
    });
    const { response } = await revoked.GET('/me');
    expect(response.status).toBe(401);
    expect(revoked.refreshes).toBe(1);
  });
});
