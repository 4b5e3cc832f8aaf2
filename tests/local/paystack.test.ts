import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalPaystack, startPaystack } from '#local/emulators/paystack/index';

const SECRET = 'sk_test_local_paystack_key';
const CALLBACK = 'https://app.example.test/payments/return?booking=b1';

interface Event {
  event: string;
  data: Record<string, unknown>;
}

interface Received {
  headers: http.IncomingHttpHeaders;
  raw: Buffer;
  event: Event;
}

const received: Received[] = [];
/** What the receiver answers to the nth (1-based) request about a transaction reference. */
const answers = new Map<string, (nth: number) => number>();
let receiver: http.Server;
let webhookUrl: string;
let paystack: LocalPaystack;
let sequence = 0;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const newReference = () => `ref-${process.pid}.${++sequence}`;
const referenceOf = (event: Event) =>
  String(event.data.reference ?? event.data.transaction_reference);
const receivedFor = (reference: string, event?: string) =>
  received.filter((r) => referenceOf(r.event) === reference && (!event || r.event.event === event));
const deliveriesFor = (emulator: LocalPaystack, reference: string) =>
  emulator.deliveries().filter((d) => referenceOf(JSON.parse(d.body) as Event) === reference);
const hmac = (body: Buffer | string) => createHmac('sha512', SECRET).update(body).digest('hex');

async function until<T>(probe: () => T | undefined | false, what: string): Promise<T> {
  const deadline = Date.now() + 3000;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

async function api(
  path: string,
  options: { method?: string; body?: unknown; raw?: string; key?: string | null } = {},
  emulator = paystack,
) {
  const key = options.key === undefined ? SECRET : options.key;
  const hasBody = options.body !== undefined || options.raw !== undefined;
  const res = await fetch(`${emulator.url}${path}`, {
    method: options.method ?? (hasBody ? 'POST' : 'GET'),
    headers: {
      ...(key !== null && { authorization: `Bearer ${key}` }),
      ...(hasBody && { 'content-type': 'application/json' }),
    },
    ...(hasBody && { body: options.raw ?? JSON.stringify(options.body) }),
  });
  // biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field below.
  return { status: res.status, body: (await res.json()) as any };
}

async function initialize(fields: Record<string, unknown> = {}, emulator = paystack) {
  const res = await api(
    '/transaction/initialize',
    { body: { email: 'ada@example.com', amount: 500000, reference: newReference(), ...fields } },
    emulator,
  );
  expect(res.status).toBe(200);
  return res.body.data as { authorization_url: string; access_code: string; reference: string };
}

function checkout(accessCode: string, outcome: string, emulator = paystack) {
  return fetch(`${emulator.url}/checkout/${accessCode}`, {
    method: 'POST',
    body: new URLSearchParams({ outcome }),
    redirect: 'manual',
  });
}

/** A successful transaction of `amount` kobo: its reference and id. */
async function paid(amount = 500000): Promise<{ reference: string; id: number }> {
  const { access_code, reference } = await initialize({ amount, callback_url: CALLBACK });
  expect((await checkout(access_code, 'success')).status).toBe(302);
  const verified = await api(`/transaction/verify/${reference}`);
  return { reference, id: verified.body.data.id };
}

beforeAll(async () => {
  receiver = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const event = JSON.parse(raw.toString('utf8')) as Event;
    received.push({ headers: req.headers, raw, event });
    const reference = referenceOf(event);
    const status = answers.get(reference)?.(receivedFor(reference).length) ?? 200;
    res.writeHead(status).end();
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/paystack`;
  paystack = await startPaystack({
    secretKey: SECRET,
    webhookUrl,
    retryDelaysMs: [40, 40, 40],
    refundDelayMs: 30,
  });
});

afterAll(async () => {
  await paystack?.close();
  receiver?.closeAllConnections();
  await new Promise((resolve) => receiver?.close(resolve));
});

describe('the secret key', () => {
  it('is required on every API call: none, or another one, is an invalid key', async () => {
    const before = paystack.transactions().length;
    for (const key of [null, 'sk_test_someone_else']) {
      const res = await api('/transaction/verify/anything', { key });
      expect(res).toEqual({ status: 401, body: { status: false, message: 'Invalid key' } });
    }
    const res = await api('/transaction/initialize', {
      key: null,
      body: { email: 'ada@example.com', amount: 100 },
    });
    expect(res.status).toBe(401);
    expect(paystack.transactions()).toHaveLength(before);
  });
});

describe('initialize and verify', () => {
  it('creates a checkout link, and verify says abandoned until the customer pays', async () => {
    const reference = newReference();
    const res = await api('/transaction/initialize', {
      body: { email: 'ada@example.com', amount: 500000, reference, metadata: { bookingId: 'b1' } },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: true, message: 'Authorization URL created' });
    const { access_code, authorization_url } = res.body.data;
    expect(res.body.data.reference).toBe(reference);
    expect(authorization_url).toBe(`${paystack.url}/checkout/${access_code}`);

    const verified = await api(`/transaction/verify/${reference}`);
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({
      status: true,
      message: 'Verification successful',
      data: {
        status: 'abandoned',
        reference,
        amount: 500000,
        currency: 'NGN',
        paid_at: null,
        channel: 'card',
        customer: { email: 'ada@example.com' },
        metadata: { bookingId: 'b1' },
      },
    });
    expect(verified.body.data.id).toEqual(expect.any(Number));
  });

  it('takes the amount as a string of digits and generates a reference when none is given', async () => {
    const res = await api('/transaction/initialize', {
      body: { email: 'kofi@example.com', amount: '250000', currency: 'GHS' },
    });
    expect(res.status).toBe(200);
    const { reference } = res.body.data;
    expect(reference).toMatch(/^[a-z0-9]{10}$/);
    const verified = await api(`/transaction/verify/${reference}`);
    expect(verified.body.data).toMatchObject({ amount: 250000, currency: 'GHS', metadata: '' });
  });

  it('refuses a reference that was already used', async () => {
    const { reference } = await initialize();
    const again = await api('/transaction/initialize', {
      body: { email: 'other@example.com', amount: 100, reference },
    });
    expect(again).toEqual({
      status: 400,
      body: { status: false, message: 'Duplicate Transaction Reference' },
    });
    expect(paystack.transactions().filter((t) => t.reference === reference)).toHaveLength(1);
  });

  it.each([
    [{ amount: 100 }, 'Email is required'],
    [{ email: 'not-an-email', amount: 100 }, 'Invalid Email Address Passed'],
    [{ email: 'ada@example.com' }, 'Amount is required'],
    [{ email: 'ada@example.com', amount: 0 }, 'Invalid Amount Sent'],
    [{ email: 'ada@example.com', amount: 12.5 }, 'Invalid Amount Sent'],
    [{ email: 'ada@example.com', amount: '-500' }, 'Invalid Amount Sent'],
    [
      { email: 'ada@example.com', amount: 100, currency: 'EUR' },
      'Currency not supported by merchant',
    ],
    [{ email: 'ada@example.com', amount: 100, reference: 'has space' }, /reference/],
  ])('refuses %j', async (body, message) => {
    const before = paystack.transactions().length;
    const res = await api('/transaction/initialize', { body });
    expect(res.status).toBe(400);
    expect(res.body.status).toBe(false);
    expect(res.body.message).toMatch(message);
    expect(paystack.transactions()).toHaveLength(before);
  });

  it('answers bad JSON, unknown references and unknown routes in the envelope', async () => {
    const badJson = await api('/transaction/initialize', { raw: '{"email":' });
    expect(badJson.status).toBe(400);
    expect(badJson.body.status).toBe(false);

    expect(await api('/transaction/verify/no-such-ref')).toEqual({
      status: 400,
      body: { status: false, message: 'Transaction reference not found' },
    });
    const unknown = await api('/subscription');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ status: false });
  });
});

describe('the checkout page', () => {
  it('shows the amount and email and one form with a success and a failed button', async () => {
    const { authorization_url } = await initialize({ amount: 500000 });
    const res = await fetch(authorization_url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('NGN 5,000.00');
    expect(html).toContain('ada@example.com');
    expect(html.match(/<form\b/g)).toHaveLength(1);
    expect(html).toMatch(/<form method="post">/);
    expect(html).toMatch(/<button[^>]*name="outcome"[^>]*value="success"/);
    expect(html).toMatch(/<button[^>]*name="outcome"[^>]*value="failed"/);
  });

  it('on success redirects to the callback, verify says success and a signed webhook arrives', async () => {
    const { access_code, reference } = await initialize({
      callback_url: CALLBACK,
      metadata: { bookingId: 'b1' },
    });
    const res = await checkout(access_code, 'success');
    expect(res.status).toBe(302);
    const location = new URL(String(res.headers.get('location')));
    expect(`${location.origin}${location.pathname}`).toBe(
      'https://app.example.test/payments/return',
    );
    expect(Object.fromEntries(location.searchParams)).toEqual({
      booking: 'b1',
      trxref: reference,
      reference,
    });

    const verified = await api(`/transaction/verify/${reference}`);
    expect(verified.body.data).toMatchObject({
      status: 'success',
      gateway_response: 'Successful',
      amount: 500000,
    });
    expect(Date.parse(verified.body.data.paid_at)).not.toBeNaN();

    const [hook] = await until(
      () => receivedFor(reference).length > 0 && receivedFor(reference),
      'webhook',
    );
    expect(hook?.headers['content-type']).toBe('application/json');
    expect(hook?.headers['x-paystack-signature']).toBe(hmac(hook?.raw ?? ''));
    expect(hook?.event).toMatchObject({
      event: 'charge.success',
      data: {
        reference,
        status: 'success',
        amount: 500000,
        currency: 'NGN',
        customer: { email: 'ada@example.com' },
        metadata: { bookingId: 'b1' },
      },
    });
  });

  it('refuses to take a second payment for the same transaction', async () => {
    const { access_code } = await initialize();
    expect((await checkout(access_code, 'success')).status).toBe(200);
    const again = await checkout(access_code, 'failed');
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await (await fetch(`${paystack.url}/checkout/${access_code}`)).text();
    expect(page).not.toMatch(/<form\b/);
  });

  it('on a declined card verify says failed and no event is sent', async () => {
    const { access_code, reference } = await initialize();
    const res = await checkout(access_code, 'failed');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Payment failed');
    const verified = await api(`/transaction/verify/${reference}`);
    expect(verified.body.data).toMatchObject({ status: 'failed', gateway_response: 'Declined' });
    await sleep(150);
    expect(receivedFor(reference)).toEqual([]);
    expect(deliveriesFor(paystack, reference)).toEqual([]);
  });

  it('answers an unknown checkout link with a 404 page', async () => {
    const res = await fetch(`${paystack.url}/checkout/nosuchcode`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
  });
});

describe('webhook delivery', () => {
  it('retries an event until the receiver answers 200, then stops', async () => {
    const { access_code, reference } = await initialize();
    answers.set(reference, (nth) => (nth <= 2 ? 500 : 200));
    await checkout(access_code, 'success');
    await until(() => deliveriesFor(paystack, reference).length === 3, 'three attempts');
    await sleep(150);
    const attempts = deliveriesFor(paystack, reference);
    expect(attempts.map((d) => [d.attempt, d.status])).toEqual([
      [1, 500],
      [2, 500],
      [3, 200],
    ]);
    expect(new Set(attempts.map((d) => d.body)).size).toBe(1);
    expect(attempts.every((d) => d.signature === hmac(d.body))).toBe(true);
    expect(receivedFor(reference)).toHaveLength(3);
  });

  it('gives up when the retry schedule runs out', async () => {
    const { access_code, reference } = await initialize();
    answers.set(reference, () => 503);
    await checkout(access_code, 'success');
    await until(() => deliveriesFor(paystack, reference).length === 4, 'four attempts');
    await sleep(150);
    expect(deliveriesFor(paystack, reference).map((d) => d.status)).toEqual([503, 503, 503, 503]);
  });

  it('counts a receiver it cannot reach as a failed attempt', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const local = await startPaystack({
      secretKey: SECRET,
      webhookUrl: `http://127.0.0.1:${deadPort}/hooks`,
      retryDelaysMs: [20],
    });
    try {
      const { access_code } = await initialize({}, local);
      await checkout(access_code, 'success', local);
      await until(() => local.deliveries().length === 2, 'two attempts');
      expect(local.deliveries().map((d) => d.status)).toEqual([null, null]);
      expect(local.deliveries().every((d) => typeof d.error === 'string')).toBe(true);
    } finally {
      await local.close();
    }
  });

  it('stops retrying once closed', async () => {
    const local = await startPaystack({ secretKey: SECRET, webhookUrl, retryDelaysMs: [100] });
    const { access_code, reference } = await initialize({}, local);
    answers.set(reference, () => 500);
    await checkout(access_code, 'success', local);
    await until(() => local.deliveries().length === 1, 'the first attempt');
    await local.close();
    await sleep(250);
    expect(local.deliveries()).toHaveLength(1);
    expect(receivedFor(reference)).toHaveLength(1);
  });
});

describe('refunds', () => {
  it('refunds the whole amount by default, then sends refund.processed', async () => {
    const { reference, id } = await paid(500000);
    const res = await api('/refund', { body: { transaction: reference } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: true,
      message: 'Refund has been queued for processing',
      data: {
        transaction: { id, reference },
        amount: 500000,
        currency: 'NGN',
        status: 'pending',
      },
    });
    const refundId = res.body.data.id;

    const [hook] = await until(
      () =>
        receivedFor(reference, 'refund.processed').length > 0 &&
        receivedFor(reference, 'refund.processed'),
      'refund.processed',
    );
    expect(hook?.headers['x-paystack-signature']).toBe(hmac(hook?.raw ?? ''));
    expect(hook?.event.data).toMatchObject({
      id: refundId,
      status: 'processed',
      transaction_reference: reference,
      amount: 500000,
      currency: 'NGN',
    });
    const fetched = await api(`/refund/${refundId}`);
    expect(fetched.body).toMatchObject({
      status: true,
      data: { id: refundId, transaction: id, amount: 500000, status: 'processed' },
    });
    expect((await api(`/transaction/verify/${reference}`)).body.data.status).toBe('reversed');
    expect(await api('/refund', { body: { transaction: reference } })).toEqual({
      status: 400,
      body: { status: false, message: 'Transaction has been fully reversed' },
    });
  });

  it('refunds in parts, never more than is left, to the last kobo', async () => {
    const { reference, id } = await paid(500000);
    const first = await api('/refund', { body: { transaction: id, amount: 200000 } });
    expect(first.status).toBe(200);
    expect(first.body.data).toMatchObject({ amount: 200000, status: 'pending' });

    // 500000 - 200000 = 300000 is left: one kobo more is refused.
    const over = await api('/refund', { body: { transaction: reference, amount: 300001 } });
    expect(over.status).toBe(400);
    expect(over.body.status).toBe(false);

    const rest = await api('/refund', { body: { transaction: reference, amount: '300000' } });
    expect(rest.status).toBe(200);
    expect(rest.body.data.amount).toBe(300000);
    expect((await api('/refund', { body: { transaction: reference, amount: 1 } })).status).toBe(
      400,
    );

    const events = await until(
      () =>
        receivedFor(reference, 'refund.processed').length === 2 &&
        receivedFor(reference, 'refund.processed'),
      'two refund.processed events',
    );
    expect(events.map((e) => Number(e.event.data.amount)).sort((a, b) => a - b)).toEqual([
      200000, 300000,
    ]);
    expect(paystack.refunds().filter((r) => r.reference === reference)).toHaveLength(2);
    expect((await api(`/transaction/verify/${reference}`)).body.data.status).toBe('reversed');
  });

  it('refuses to refund an unpaid, a declined or an unknown transaction', async () => {
    const unpaid = await initialize();
    const declined = await initialize();
    await checkout(declined.access_code, 'failed');
    for (const { reference } of [unpaid, declined]) {
      const res = await api('/refund', { body: { transaction: reference } });
      expect(res.status).toBe(400);
      expect(res.body.status).toBe(false);
    }
    expect(await api('/refund', { body: { transaction: 'no-such-ref' } })).toEqual({
      status: 400,
      body: { status: false, message: 'Transaction not found' },
    });
    expect((await api('/refund', { body: {} })).status).toBe(400);
  });
});
