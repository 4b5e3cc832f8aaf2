import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, Receiver } from '@upstash/qstash';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cronMatches,
  type LocalQStash,
  nextCronTime,
  parseCron,
  startQStash,
} from '#local/emulators/qstash/index';

const TOKEN = 'local-test-token';
const CURRENT_KEY = 'sig_current_local_test_key';
const NEXT_KEY = 'sig_next_local_test_key';

interface Received {
  path: string;
  method: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** true, or the reason the real Receiver rejected the request. */
  verified: true | string;
}

/** Answer for the nth request (1-based) to a path; a promise holds the response open. */
type Behaviour = (
  nth: number,
) => number | { status: number; headers?: Record<string, string> } | Promise<number>;

const receiver = new Receiver({
  currentSigningKey: CURRENT_KEY,
  nextSigningKey: NEXT_KEY,
  devMode: false,
});
const received: Received[] = [];
const behaviours = new Map<string, Behaviour>();
let destination: http.Server;
let destinationUrl: string;
let qstash: LocalQStash;
let client: Client;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const at = (path: string) => received.filter((r) => r.path === path);
const urlFor = (path: string) => `${destinationUrl}${path}`;

async function verify(signature: string, body: string, url: string): Promise<true | string> {
  return receiver.verify({ signature, body, url }).then(
    () => true as const,
    (error: Error) => `${error.name}: ${error.message}`,
  );
}

async function waitForReceived(path: string, count: number, timeoutMs = 5000): Promise<Received[]> {
  const deadline = Date.now() + timeoutMs;
  while (at(path).length < count) {
    if (Date.now() > deadline) {
      throw new Error(`${path}: expected ${count} requests, got ${at(path).length}`);
    }
    await sleep(10);
  }
  return at(path);
}

function newClient(token = TOKEN): Client {
  return new Client({ baseUrl: qstash.url, token, devMode: false, retry: false });
}

/** The REST API by hand, for what the SDK has no method for. */
async function callApi(method: string, path: string, init: RequestInit = {}) {
  const res = await fetch(`${qstash.url}${path}`, {
    ...init,
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...init.headers },
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** The DLQ messages for `url`, once there are at least `count`. */
async function deadLettersFor(url: string, count = 1, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { messages } = await client.dlq.listMessages({ filter: { url } });
    if (messages.length >= count) return messages;
    if (Date.now() > deadline) throw new Error(`${url}: ${messages.length} DLQ messages`);
    await sleep(10);
  }
}

beforeAll(async () => {
  destination = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = req.url ?? '/';
      const signature = req.headers['upstash-signature'];
      const verified =
        typeof signature === 'string'
          ? await verify(signature, body, `${destinationUrl}${path}`)
          : 'no Upstash-Signature header';
      received.push({ path, method: req.method ?? '', headers: req.headers, body, verified });
      const behaviour = behaviours.get(path.split('?')[0] ?? '');
      const answer = behaviour ? await behaviour(at(path).length) : 200;
      const { status, headers } = typeof answer === 'number' ? { status: answer } : answer;
      if (!res.destroyed) res.writeHead(status, headers).end('answer');
    });
  });
  await new Promise<void>((resolve) => destination.listen(0, '127.0.0.1', resolve));
  destinationUrl = `http://127.0.0.1:${(destination.address() as AddressInfo).port}`;
  qstash = await startQStash({
    token: TOKEN,
    currentSigningKey: CURRENT_KEY,
    nextSigningKey: NEXT_KEY,
    retryBackoffMs: () => 20,
  });
  client = newClient();
});

afterAll(async () => {
  await qstash?.close();
  destination?.closeAllConnections();
  await new Promise((resolve) => destination?.close(resolve));
});

describe('publishing', () => {
  it('delivers publishJSON once, signed so the real Receiver accepts it', async () => {
    const url = urlFor('/once');
    const res = await client.publishJSON({ url, body: { hello: 'world' } });
    expect(res.messageId).toMatch(/^msg_/);

    const [request] = await waitForReceived('/once', 1);
    await sleep(150);
    expect(at('/once')).toHaveLength(1);
    expect(request?.verified).toBe(true);
    expect(request?.method).toBe('POST');
    expect(request?.body).toBe('{"hello":"world"}');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['upstash-message-id']).toBe(res.messageId);
    expect(request?.headers['upstash-retried']).toBe('0');
    expect(request?.headers['user-agent']).toBe('Upstash-QStash');
    expect(request?.headers.authorization).toBeUndefined();

    const token = String(request?.headers['upstash-signature']);
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', typ: 'JWT' });
    const claims = decodeJwt(token);
    expect(claims.iss).toBe('Upstash');
    expect(claims.sub).toBe(url);
    expect(claims.nbf).toBe(claims.iat);
    expect(Number(claims.exp) - Number(claims.iat)).toBe(300);
    expect(claims.jti).toMatch(/^jwt_/);
    const digest = createHash('sha256').update('{"hello":"world"}').digest('base64url');
    expect(claims.body).toBe(`${digest}=`);

    const delivery = await qstash.waitFor((d) => d.messageId === res.messageId);
    expect(delivery).toMatchObject({ url, status: 200, retried: 0, body: '{"hello":"world"}' });
  });

  it('forwards method, body and Upstash-Forward-* headers without the prefix', async () => {
    await client.publish({
      url: urlFor('/forwarded?tenant=t1'),
      method: 'PUT',
      body: 'plain text',
      headers: { 'X-Tenant': 'acme', 'Content-Type': 'text/plain' },
    });
    const [request] = await waitForReceived('/forwarded?tenant=t1', 1);
    expect(request?.verified).toBe(true);
    expect(request?.method).toBe('PUT');
    expect(request?.body).toBe('plain text');
    expect(request?.headers['x-tenant']).toBe('acme');
    expect(request?.headers['content-type']).toBe('text/plain');
    expect(request?.headers['upstash-forward-x-tenant']).toBeUndefined();
  });

  it('answers the publish before the destination has answered', async () => {
    let release = () => {};
    const held = new Promise<number>((resolve) => {
      release = () => resolve(200);
    });
    behaviours.set('/held', () => held);
    await client.publishJSON({ url: urlFor('/held'), body: { n: 1 } });
    await waitForReceived('/held', 1);
    expect(qstash.deliveries.some((d) => d.url === urlFor('/held'))).toBe(false);
    release();
    await qstash.waitFor((d) => d.url === urlFor('/held') && d.status === 200);
  });

  it('rejects a wrong token with 401 and delivers nothing', async () => {
    await expect(
      newClient('wrong-token').publishJSON({ url: urlFor('/unauthorized'), body: {} }),
    ).rejects.toMatchObject({ status: 401 });
    await sleep(100);
    expect(at('/unauthorized')).toHaveLength(0);
  });
});

describe('timing', () => {
  it('honours Upstash-Delay', async () => {
    const publishedAt = Date.now();
    const res = await client.publishJSON({ url: urlFor('/delayed'), body: {}, delay: 1 });
    await sleep(600);
    expect(at('/delayed')).toHaveLength(0);
    const delivery = await qstash.waitFor((d) => d.messageId === res.messageId, 3000);
    expect(delivery.at - publishedAt).toBeGreaterThanOrEqual(1000);
    expect(delivery.at - publishedAt).toBeLessThan(2000);
  });

  it('honours Upstash-Not-Before', async () => {
    const notBefore = Math.ceil(Date.now() / 1000) + 1;
    const res = await client.publishJSON({ url: urlFor('/not-before'), body: {}, notBefore });
    const delivery = await qstash.waitFor((d) => d.messageId === res.messageId, 4000);
    expect(delivery.at).toBeGreaterThanOrEqual(notBefore * 1000);
  });

  it('shows a pending message and cancels it', async () => {
    const url = urlFor('/cancelled');
    const { messageId } = await client.publishJSON({ url, body: { n: 1 }, delay: 1 });
    const message = await client.messages.get(messageId);
    expect(message).toMatchObject({ messageId, url, body: '{"n":1}', maxRetries: 3 });
    await client.messages.delete(messageId);
    await expect(client.messages.get(messageId)).rejects.toMatchObject({ status: 404 });
    await sleep(1300);
    expect(at('/cancelled')).toHaveLength(0);
  });
});

describe('retries', () => {
  it('retries failures with an incrementing Upstash-Retried until the destination answers 2xx', async () => {
    behaviours.set('/flaky', (nth) => (nth <= 2 ? 500 : 200));
    const res = await client.publishJSON({ url: urlFor('/flaky'), body: { n: 1 } });
    const requests = await waitForReceived('/flaky', 3);
    await sleep(200);
    expect(at('/flaky')).toHaveLength(3);
    expect(requests.map((r) => r.headers['upstash-retried'])).toEqual(['0', '1', '2']);
    expect(requests.every((r) => r.verified === true)).toBe(true);
    expect(new Set(requests.map((r) => r.headers['upstash-message-id']))).toEqual(
      new Set([res.messageId]),
    );
    const attempts = qstash.deliveries.filter((d) => d.messageId === res.messageId);
    expect(attempts.map((d) => [d.status, d.retried])).toEqual([
      [500, 0],
      [500, 1],
      [200, 2],
    ]);
  });

  it('stops after Upstash-Retries and sends the failure callback', async () => {
    behaviours.set('/always-500', () => 500);
    const res = await client.publishJSON({
      url: urlFor('/always-500'),
      body: { n: 1 },
      retries: 2,
      failureCallback: urlFor('/failure-callback'),
    });
    const [callback] = await waitForReceived('/failure-callback', 1);
    await sleep(200);
    expect(at('/always-500')).toHaveLength(3);
    expect(callback?.verified).toBe(true);
    const payload = JSON.parse(callback?.body ?? '{}');
    expect(payload).toMatchObject({
      status: 500,
      retried: 2,
      maxRetries: 2,
      sourceMessageId: res.messageId,
      url: urlFor('/always-500'),
    });
    expect(Buffer.from(payload.sourceBody, 'base64').toString()).toBe('{"n":1}');
    expect(Buffer.from(payload.body, 'base64').toString()).toBe('answer');
  });

  it('sends the success callback with the answer', async () => {
    const res = await client.publishJSON({
      url: urlFor('/with-callback'),
      body: {},
      callback: urlFor('/callback'),
    });
    const [callback] = await waitForReceived('/callback', 1);
    expect(callback?.verified).toBe(true);
    expect(JSON.parse(callback?.body ?? '{}')).toMatchObject({
      status: 200,
      sourceMessageId: res.messageId,
    });
  });

  it('does not retry a 489 answer marked Upstash-NonRetryable-Error', async () => {
    behaviours.set('/non-retryable', () => ({
      status: 489,
      headers: { 'Upstash-NonRetryable-Error': 'true' },
    }));
    behaviours.set('/plain-489', () => 489);
    await client.publishJSON({ url: urlFor('/non-retryable'), body: {}, retries: 2 });
    await client.publishJSON({ url: urlFor('/plain-489'), body: {}, retries: 2 });
    await waitForReceived('/plain-489', 3);
    await sleep(150);
    expect(at('/non-retryable')).toHaveLength(1);
  });

  it('counts connection errors and timeouts as failures', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const probe = http.createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const refused = await client.publishJSON({
      url: `http://127.0.0.1:${closedPort}/gone`,
      body: {},
      retries: 1,
    });
    const second = await qstash.waitFor(
      (d) => d.messageId === refused.messageId && d.retried === 1,
    );
    expect(second.status).toBeNull();
    expect(second.error).toMatch(/ECONNREFUSED/);

    behaviours.set('/slow', () => sleep(3000).then(() => 200));
    const slow = await client.publishJSON({
      url: urlFor('/slow'),
      body: {},
      retries: 0,
      timeout: '1s',
    });
    const timedOut = await qstash.waitFor((d) => d.messageId === slow.messageId, 2500);
    expect(timedOut.status).toBeNull();
    expect(timedOut.error).toMatch(/timed out/);
  });

  it('waits as an Upstash-Retry-Delay expression says', async () => {
    behaviours.set('/retry-delay', () => 503);
    const res = await client.publishJSON({
      url: urlFor('/retry-delay'),
      body: {},
      retries: 2,
      retryDelay: '150 * (1 + retried)',
    });
    await qstash.waitFor((d) => d.messageId === res.messageId && d.retried === 2, 3000);
    const [first, second, third] = qstash.deliveries.filter((d) => d.messageId === res.messageId);
    expect(Number(second?.at) - Number(first?.at)).toBeGreaterThanOrEqual(145);
    expect(Number(third?.at) - Number(second?.at)).toBeGreaterThanOrEqual(295);
  });
});

describe('failure callback options', () => {
  it('retries, times out and forwards headers to the failure callback as its headers say', async () => {
    behaviours.set('/fc-source', () => 500);
    behaviours.set('/fc-target', () => 503);
    const res = await client.publishJSON({
      url: urlFor('/fc-source'),
      body: { n: 1 },
      retries: 0,
      failureCallback: urlFor('/fc-target'),
      headers: {
        'Upstash-Failure-Callback-Forward-X-Trace': 'trace-1',
        'Upstash-Failure-Callback-Retries': '1',
      },
    });
    const calls = await waitForReceived('/fc-target', 2);
    await sleep(200);
    // One retry, as asked, instead of the default three.
    expect(at('/fc-target')).toHaveLength(2);
    expect(calls.map((c) => c.headers['upstash-retried'])).toEqual(['0', '1']);
    expect(calls.every((c) => c.verified === true)).toBe(true);
    expect(calls[0]?.headers['x-trace']).toBe('trace-1');
    expect(calls[0]?.headers['upstash-failure-callback-forward-x-trace']).toBeUndefined();
    expect(calls[0]?.headers['content-type']).toBe('application/json');
    expect(at('/fc-source')[0]?.headers['x-trace']).toBeUndefined();
    const payload = JSON.parse(calls[0]?.body ?? '{}');
    expect(payload).toMatchObject({ status: 500, sourceMessageId: res.messageId, retried: 0 });
    expect(Buffer.from(payload.sourceBody, 'base64').toString()).toBe('{"n":1}');

    behaviours.set('/fc-slow', () => sleep(3000).then(() => 200));
    await client.publishJSON({
      url: urlFor('/fc-source'),
      body: {},
      retries: 0,
      failureCallback: urlFor('/fc-slow'),
      headers: {
        'Upstash-Failure-Callback-Timeout': '1s',
        'Upstash-Failure-Callback-Retries': '0',
      },
    });
    const timedOut = await qstash.waitFor((d) => d.url === urlFor('/fc-slow'), 2500);
    expect(timedOut.error).toMatch(/timed out after 1000 ms/);
  });

  it('forwards Upstash-Callback-Forward-* headers to the success callback', async () => {
    await client.publishJSON({
      url: urlFor('/cb-source'),
      body: {},
      callback: urlFor('/cb-target'),
      headers: { 'Upstash-Callback-Forward-X-Trace': 'trace-2' },
    });
    const [callback] = await waitForReceived('/cb-target', 1);
    expect(callback?.headers['x-trace']).toBe('trace-2');
  });
});

describe('dead letter queue', () => {
  it('keeps a message whose retries ran out, with the last answer, and reads it by id', async () => {
    const url = urlFor('/dlq-dead');
    behaviours.set('/dlq-dead', () => ({ status: 500, headers: { 'X-Why': 'broken' } }));
    const res = await client.publishJSON({
      url,
      body: { n: 1 },
      retries: 1,
      label: 'dlq-case',
      headers: { 'X-Tenant': 'acme' },
      failureCallback: urlFor('/dlq-failure-callback'),
    });
    const [callback] = await waitForReceived('/dlq-failure-callback', 1);
    const { dlqId } = JSON.parse(callback?.body ?? '{}');
    expect(dlqId).toMatch(/^dlq_/);

    const { messages, cursor } = await client.dlq.listMessages({ filter: { url } });
    expect(cursor).toBeUndefined();
    expect(messages).toHaveLength(1);
    const [message] = messages;
    expect(message).toMatchObject({
      messageId: res.messageId,
      dlqId,
      url,
      method: 'POST',
      header: { 'Content-Type': ['application/json'], 'X-Tenant': ['acme'] },
      body: '{"n":1}',
      maxRetries: 1,
      retried: 1,
      label: 'dlq-case',
      labels: ['dlq-case'],
      failureCallback: urlFor('/dlq-failure-callback'),
      responseStatus: 500,
      responseBody: 'answer',
    });
    expect(message?.responseHeader?.['X-Why']).toEqual(['broken']);
    expect(message?.createdAt).toBeLessThanOrEqual(Date.now());

    const byId = await callApi('GET', `/v2/dlq/${dlqId}`);
    expect(byId.status).toBe(200);
    expect(byId.body).toEqual(message);
    expect((await callApi('GET', '/v2/dlq/dlq_unknown')).status).toBe(404);
    await expect(client.messages.get(res.messageId)).rejects.toMatchObject({ status: 404 });

    const byLabel = await client.dlq.listMessages({ filter: { label: 'dlq-case' } });
    expect(byLabel.messages.map((m) => m.dlqId)).toEqual([dlqId]);
    const none = await client.dlq.listMessages({ filter: { url, label: 'another-label' } });
    expect(none.messages).toEqual([]);
    const byStatus = await client.dlq.listMessages({ filter: { url, responseStatus: 500 } });
    expect(byStatus.messages).toHaveLength(1);
  });

  it('moves a non-retryable 489 to the DLQ at once', async () => {
    const url = urlFor('/dlq-489');
    behaviours.set('/dlq-489', () => ({
      status: 489,
      headers: { 'Upstash-NonRetryable-Error': 'true' },
    }));
    await client.publishJSON({ url, body: {}, retries: 3 });
    const [message] = await deadLettersFor(url);
    expect(message).toMatchObject({ responseStatus: 489, retried: 0, maxRetries: 3 });
    expect(at('/dlq-489')).toHaveLength(1);
  });

  it('retries a DLQ message as a new message, and lets the retry override its settings', async () => {
    const url = urlFor('/dlq-retry');
    behaviours.set('/dlq-retry', (nth) => (nth === 1 ? 500 : 200));
    const first = await client.publishJSON({ url, body: { n: 1 }, retries: 0, label: 'again' });
    const [dead] = await deadLettersFor(url);
    const { responses } = await client.dlq.retry(dead?.dlqId ?? '');
    expect(responses).toHaveLength(1);
    expect(responses[0]?.messageId).toMatch(/^msg_/);
    expect(responses[0]?.messageId).not.toBe(first.messageId);
    const [, second] = await waitForReceived('/dlq-retry', 2);
    expect(second?.verified).toBe(true);
    expect(second?.body).toBe('{"n":1}');
    expect(second?.headers['upstash-message-id']).toBe(responses[0]?.messageId);
    expect((await client.dlq.listMessages({ filter: { url } })).messages).toEqual([]);

    // The documented single-message path, with Upstash-Retries overriding the original 2.
    const override = urlFor('/dlq-override');
    behaviours.set('/dlq-override', () => 500);
    await client.publishJSON({ url: override, body: {}, retries: 2 });
    const [original] = await deadLettersFor(override);
    expect(original?.maxRetries).toBe(2);
    const retried = await callApi('POST', `/v2/dlq/retry/${original?.dlqId}`, {
      headers: { 'Upstash-Retries': '0' },
    });
    expect(retried.status).toBe(200);
    expect(retried.body.messageId).toMatch(/^msg_/);
    const [again] = await deadLettersFor(override);
    expect(again).toMatchObject({ messageId: retried.body.messageId, maxRetries: 0, retried: 0 });
    expect(again?.dlqId).not.toBe(original?.dlqId);
    expect(at('/dlq-override')).toHaveLength(4);
    expect((await callApi('POST', `/v2/dlq/retry/${original?.dlqId}`)).status).toBe(404);
  });

  it('pages through the DLQ and deletes by id, by list and by filter', async () => {
    const url = urlFor('/dlq-bulk');
    behaviours.set('/dlq-bulk', () => 500);
    for (let n = 0; n < 4; n++) {
      await client.publishJSON({ url, body: { n }, retries: 0, label: 'dlq-bulk' });
    }
    await deadLettersFor(url, 4);
    const firstPage = await client.dlq.listMessages({ count: 3, filter: { label: 'dlq-bulk' } });
    expect(firstPage.messages).toHaveLength(3);
    expect(firstPage.cursor).toBeTruthy();
    const secondPage = await client.dlq.listMessages({
      count: 3,
      cursor: firstPage.cursor,
      filter: { label: 'dlq-bulk' },
    });
    expect(secondPage.messages).toHaveLength(1);
    expect(secondPage.cursor).toBeUndefined();
    // Oldest first, as QStash lists them.
    const ids = [...firstPage.messages, ...secondPage.messages].map((m) => m.dlqId);
    expect([...firstPage.messages, ...secondPage.messages].map((m) => m.body)).toEqual([
      '{"n":0}',
      '{"n":1}',
      '{"n":2}',
      '{"n":3}',
    ]);
    const listed = await client.dlq.listMessages({ dlqIds: [ids[2] ?? '', ids[0] ?? ''] });
    expect(listed.messages.map((m) => m.dlqId)).toEqual([ids[2], ids[0]]);

    expect(await client.dlq.delete(ids[0] ?? '')).toEqual({ deleted: 1 });
    expect(await client.dlq.deleteMany({ dlqIds: [ids[1] ?? '', ids[2] ?? ''] })).toEqual({
      deleted: 2,
    });
    expect(await client.dlq.delete({ filter: { label: 'dlq-bulk' } })).toEqual({ deleted: 1 });
    expect((await client.dlq.listMessages({ filter: { url } })).messages).toEqual([]);
    await expect(client.dlq.delete(ids[0] ?? '')).rejects.toMatchObject({ status: 404 });

    // The body older SDKs send for a bulk delete.
    await client.publishJSON({ url, body: {}, retries: 0 });
    const [last] = await deadLettersFor(url);
    const deleted = await callApi('DELETE', '/v2/dlq', {
      body: JSON.stringify({ dlqIds: [last?.dlqId] }),
    });
    expect(deleted.body).toEqual({ deleted: 1 });
  });
});

describe('labels and bulk cancel', () => {
  it('keeps labels on pending messages and cancels by filter and by ids', async () => {
    const url = urlFor('/bulk-cancel');
    const a1 = await client.publishJSON({ url, body: {}, delay: 60, label: 'bulk-a' });
    const a2 = await client.publishJSON({
      url: urlFor('/bulk-cancel-2'),
      body: {},
      delay: 60,
      label: ['bulk-a', 'other'],
      headers: { 'X-Tenant': 'acme' },
    });
    const b = await client.publishJSON({ url, body: {}, delay: 60, label: 'bulk-b' });
    const c = await client.publishJSON({ url, body: {}, delay: 60 });
    const d = await client.publishJSON({ url, body: {}, delay: 60 });

    const message = await client.messages.get(a2.messageId);
    expect(message).toMatchObject({ label: 'bulk-a', labels: ['bulk-a', 'other'] });
    expect(message.header).toEqual({
      'Content-Type': ['application/json'],
      'X-Tenant': ['acme'],
    });
    expect((await client.messages.get(c.messageId)).labels).toBeUndefined();

    expect(await client.messages.cancel({ filter: { label: 'bulk-a' } })).toEqual({
      cancelled: 2,
    });
    await expect(client.messages.get(a1.messageId)).rejects.toMatchObject({ status: 404 });
    await expect(client.messages.get(a2.messageId)).rejects.toMatchObject({ status: 404 });
    expect(await client.messages.cancel({ filter: { url, label: 'bulk-b' } })).toEqual({
      cancelled: 1,
    });
    await expect(client.messages.get(b.messageId)).rejects.toMatchObject({ status: 404 });
    expect(await client.messages.deleteMany([c.messageId, 'msg_unknown'])).toBe(1);

    // A filter this stand-in does not know is refused rather than taken as "cancel everything".
    const unknown = await callApi('DELETE', '/v2/messages?colour=red');
    expect(unknown.status).toBe(400);
    expect((await client.messages.get(d.messageId)).messageId).toBe(d.messageId);
    // The body older SDKs send.
    const byBody = await callApi('DELETE', '/v2/messages', {
      body: JSON.stringify({ messageIds: [d.messageId] }),
    });
    expect(byBody.body).toEqual({ cancelled: 1 });
    await sleep(100);
    expect(at('/bulk-cancel')).toHaveLength(0);
  });

  it('cancels every pending message with deleteAll, and none go to the DLQ', async () => {
    const own = await startQStash({
      token: TOKEN,
      currentSigningKey: CURRENT_KEY,
      nextSigningKey: NEXT_KEY,
    });
    const ownClient = new Client({ baseUrl: own.url, token: TOKEN, devMode: false, retry: false });
    await ownClient.publishJSON({ url: urlFor('/all-1'), body: {}, delay: 60 });
    await ownClient.publishJSON({ url: urlFor('/all-2'), body: {}, delay: 60 });
    expect(await ownClient.messages.deleteAll()).toBe(2);
    expect(await ownClient.messages.cancel({ all: true })).toEqual({ cancelled: 0 });
    expect((await ownClient.dlq.listMessages()).messages).toEqual([]);
    await own.close();
  });
});

describe('deduplication', () => {
  it('accepts a duplicate deduplication id but delivers once', async () => {
    const url = urlFor('/dedup-id');
    const first = await client.publishJSON({ url, body: { n: 1 }, deduplicationId: 'order-42' });
    const second = await client.publishJSON({ url, body: { n: 2 }, deduplicationId: 'order-42' });
    expect(first.deduplicated).toBeFalsy();
    expect(second).toMatchObject({ messageId: first.messageId, deduplicated: true });
    await waitForReceived('/dedup-id', 1);
    await sleep(150);
    expect(at('/dedup-id').map((r) => r.body)).toEqual(['{"n":1}']);
  });

  it('deduplicates identical content when asked to', async () => {
    const url = urlFor('/dedup-content');
    const a = await client.publishJSON({ url, body: { n: 1 }, contentBasedDeduplication: true });
    const b = await client.publishJSON({ url, body: { n: 1 }, contentBasedDeduplication: true });
    const c = await client.publishJSON({ url, body: { n: 2 }, contentBasedDeduplication: true });
    expect(b).toMatchObject({ messageId: a.messageId, deduplicated: true });
    expect(c.messageId).not.toBe(a.messageId);
    await waitForReceived('/dedup-content', 2);
    await sleep(150);
    expect(
      at('/dedup-content')
        .map((r) => r.body)
        .sort(),
    ).toEqual(['{"n":1}', '{"n":2}']);
  });
});

describe('batch', () => {
  it('delivers each message of batchJSON', async () => {
    const results = await client.batchJSON([
      { url: urlFor('/batch-a'), body: { n: 'a' } },
      { url: urlFor('/batch-b'), body: { n: 'b' }, headers: { 'X-Kind': 'bee' } },
      { url: urlFor('/batch-c'), body: { n: 'c' }, method: 'PUT' },
    ]);
    expect(results).toHaveLength(3);
    const [a] = await waitForReceived('/batch-a', 1);
    const [b] = await waitForReceived('/batch-b', 1);
    const [c] = await waitForReceived('/batch-c', 1);
    expect([a, b, c].map((r) => r?.verified)).toEqual([true, true, true]);
    expect([a, b, c].map((r) => r?.body)).toEqual(['{"n":"a"}', '{"n":"b"}', '{"n":"c"}']);
    expect([a, b, c].map((r) => r?.headers['upstash-message-id'])).toEqual(
      results.map((r) => r.messageId),
    );
    expect(b?.headers['x-kind']).toBe('bee');
    expect(b?.headers['content-type']).toBe('application/json');
    expect(c?.method).toBe('PUT');
  });

  it('rejects the whole batch when one entry is invalid', async () => {
    await expect(
      client.batchJSON([
        { url: urlFor('/batch-valid'), body: {} },
        { url: urlFor('/batch-invalid'), body: {}, delay: 'soon' as '1s' },
      ]),
    ).rejects.toMatchObject({ status: 400 });
    await sleep(100);
    expect(at('/batch-valid')).toHaveLength(0);
  });
});

describe('schedules', () => {
  it('creates, upserts by id, lists, pauses, runs and deletes a schedule', async () => {
    const created = await client.schedules.create({
      scheduleId: 'nightly-report',
      destination: urlFor('/scheduled-v1'),
      cron: '0 3 * * *',
      body: 'v1',
    });
    expect(created).toEqual({ scheduleId: 'nightly-report' });
    await client.schedules.create({
      scheduleId: 'nightly-report',
      destination: urlFor('/scheduled'),
      cron: '30 4 * * *',
      body: JSON.stringify({ report: 'daily' }),
      headers: { 'Content-Type': 'application/json', 'X-Report': 'daily' },
      retries: 1,
    });

    const listed = (await client.schedules.list()).filter((s) => s.scheduleId === 'nightly-report');
    expect(listed).toHaveLength(1);
    const schedule = await client.schedules.get('nightly-report');
    expect(schedule).toMatchObject({
      cron: '30 4 * * *',
      destination: urlFor('/scheduled'),
      body: '{"report":"daily"}',
      retries: 1,
      isPaused: false,
    });
    expect(new Date(Number(schedule.nextScheduleTime)).toISOString()).toMatch(/T04:30:00\.000Z$/);
    // Header names as QStash answers them (canonical), not lower-cased.
    expect(schedule.header).toEqual({
      'Content-Type': ['application/json'],
      'X-Report': ['daily'],
    });
    expect(listed[0]?.header).toEqual(schedule.header);

    await client.schedules.pause({ schedule: 'nightly-report' });
    expect((await client.schedules.get('nightly-report')).isPaused).toBe(true);
    await client.schedules.resume({ schedule: 'nightly-report' });
    expect((await client.schedules.get('nightly-report')).isPaused).toBe(false);

    const messageId = await qstash.runSchedule('nightly-report');
    const [request] = await waitForReceived('/scheduled', 1);
    expect(request?.verified).toBe(true);
    expect(request?.body).toBe('{"report":"daily"}');
    expect(request?.headers['x-report']).toBe('daily');
    expect(request?.headers['upstash-schedule-id']).toBe('nightly-report');
    expect(request?.headers['upstash-message-id']).toBe(messageId);
    expect(at('/scheduled-v1')).toHaveLength(0);

    await client.schedules.delete('nightly-report');
    expect((await client.schedules.list()).map((s) => s.scheduleId)).not.toContain(
      'nightly-report',
    );
    await expect(client.schedules.get('nightly-report')).rejects.toMatchObject({ status: 404 });
    await expect(qstash.runSchedule('nightly-report')).rejects.toThrow(/not found/);
  });

  it('generates an id when none is given and rejects an invalid cron', async () => {
    const { scheduleId } = await client.schedules.create({
      destination: urlFor('/generated'),
      cron: '*/5 * * * *',
    });
    expect(scheduleId).toMatch(/^scd_/);
    const next = Number((await client.schedules.get(scheduleId)).nextScheduleTime);
    expect(next % 300_000).toBe(0);
    expect(next).toBeGreaterThan(Date.now());
    expect(next).toBeLessThanOrEqual(Date.now() + 300_000);
    await client.schedules.delete(scheduleId);

    await expect(
      client.schedules.create({ destination: urlFor('/never'), cron: '61 * * * *' }),
    ).rejects.toMatchObject({ status: 400 });
  });
});

describe('cron', () => {
  const utc = (iso: string) => new Date(`${iso}Z`);

  it('matches ranges, steps, lists and names in UTC', () => {
    const weekdays = parseCron('0 9 * * MON-FRI');
    expect(cronMatches(weekdays, utc('2025-01-06T09:00'))).toBe(true); // Monday
    expect(cronMatches(weekdays, utc('2025-01-05T09:00'))).toBe(false); // Sunday
    expect(cronMatches(weekdays, utc('2025-01-06T09:01'))).toBe(false);

    const quarterly = parseCron('*/15 8-10 1,15 JAN,jul *');
    expect(cronMatches(quarterly, utc('2025-07-15T10:45'))).toBe(true);
    expect(cronMatches(quarterly, utc('2025-07-15T10:50'))).toBe(false);
    expect(cronMatches(quarterly, utc('2025-02-15T10:45'))).toBe(false);

    expect(cronMatches(parseCron('0 0 * * 7'), utc('2025-01-05T00:00'))).toBe(true);
  });

  it('matches either restricted day field, as Vixie cron does', () => {
    const spec = parseCron('0 0 1 * MON');
    expect(cronMatches(spec, utc('2025-01-01T00:00'))).toBe(true); // the 1st, a Wednesday
    expect(cronMatches(spec, utc('2025-01-06T00:00'))).toBe(true); // a Monday
    expect(cronMatches(spec, utc('2025-01-07T00:00'))).toBe(false);
  });

  it('honours CRON_TZ and finds the next run', () => {
    const spec = parseCron('CRON_TZ=Europe/Paris 0 9 * * *');
    expect(cronMatches(spec, utc('2025-01-06T08:00'))).toBe(true); // CET = UTC+1
    expect(cronMatches(spec, utc('2025-07-06T07:00'))).toBe(true); // CEST = UTC+2
    expect(nextCronTime(spec, utc('2025-01-06T08:00').getTime())).toBe(
      utc('2025-01-07T08:00').getTime(),
    );
    expect(nextCronTime(parseCron('0 0 29 2 *'), utc('2025-03-01T00:00').getTime())).toBe(
      utc('2028-02-29T00:00').getTime(),
    );
    expect(nextCronTime(parseCron('0 0 30 2 *'), Date.now())).toBeUndefined();
  });

  it('rejects malformed expressions', () => {
    for (const bad of [
      '* * * *',
      '60 * * * *',
      '* * 0 * *',
      '5-1 * * * *',
      '*/0 * * * *',
      'x * * * *',
    ]) {
      expect(() => parseCron(bad), bad).toThrow();
    }
  });
});

describe('signatures', () => {
  it('verifies a signature made with the next signing key', async () => {
    const url = urlFor('/rotated');
    const signature = await qstash.signWith('next', url, 'payload');
    expect(await verify(signature, 'payload', url)).toBe(true);
  });

  it('fails verification for a tampered body, another URL or an expired token', async () => {
    const url = urlFor('/forged');
    const signature = await qstash.signWith('current', url, 'payload');
    expect(await verify(signature, 'payload', url)).toBe(true);
    expect(await verify(signature, 'payload!', url)).toMatch(/SignatureError: body hash/);
    expect(await verify(signature, 'payload', urlFor('/elsewhere'))).toMatch(
      /SignatureError: invalid subject/,
    );
    const expired = await qstash.signWith('current', url, 'payload', {
      at: Date.now() - 10 * 60_000,
    });
    expect(await verify(expired, 'payload', url)).toMatch(/^SignatureError/);
    // With both keys equal the Receiver reports the first key's failure: the expiry itself.
    const currentOnly = new Receiver({
      currentSigningKey: CURRENT_KEY,
      nextSigningKey: CURRENT_KEY,
      devMode: false,
    });
    await expect(currentOnly.verify({ signature: expired, body: 'payload', url })).rejects.toThrow(
      /"exp" claim timestamp check failed/,
    );
  });
});

describe('close', () => {
  it('drops pending deliveries and aborts in-flight ones promptly', async () => {
    const own = await startQStash({
      token: TOKEN,
      currentSigningKey: CURRENT_KEY,
      nextSigningKey: NEXT_KEY,
      retryBackoffMs: () => 20,
    });
    const ownClient = new Client({ baseUrl: own.url, token: TOKEN, devMode: false, retry: false });
    behaviours.set('/never-answers', () => new Promise<number>(() => {}));
    await ownClient.publishJSON({ url: urlFor('/later'), body: {}, delay: 1 });
    await ownClient.publishJSON({ url: urlFor('/never-answers'), body: {} });
    await waitForReceived('/never-answers', 1);

    await own.close();
    await sleep(1300);
    expect(at('/later')).toHaveLength(0);
    expect(at('/never-answers')).toHaveLength(1);
    expect(own.deliveries).toHaveLength(0);
    await expect(
      ownClient.publishJSON({ url: urlFor('/after-close'), body: {} }),
    ).rejects.toThrow();
  });
});
