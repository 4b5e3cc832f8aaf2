import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
  GetConnectionCommand,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { WsLambdaEvent } from '#local/runtime/ws-event';
import { startWsGateway, type WsGateway, type WsGatewayRoute } from '#local/runtime/ws-gateway';
import { openWebSocket, UpgradeRefused } from '#tests/support/stack';
import { root } from '#tools/root';

// Fixture functions, so these tests need none of the chat's: they record every event they
// get in a file, and answer through the real management API client.
const functionsDir = path.join(root, 'tests', 'fixtures', 'ws');
const routes: WsGatewayRoute[] = [
  { routeKey: '$connect', fn: 'connect' },
  { routeKey: '$disconnect', fn: 'disconnect' },
  { routeKey: '$default', fn: 'default' },
  { routeKey: 'echo', fn: 'echo' },
];
const eventsFile = path.join(root, '.local', `ws-fixture-events-${process.pid}.jsonl`);
process.env.WS_FIXTURE_LOG = eventsFile;

async function events(): Promise<WsLambdaEvent[]> {
  const text = await readFile(eventsFile, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as WsLambdaEvent);
}

/** The events of one connection and route, once `count` of them have arrived. */
async function eventsOf(
  connectionId: string,
  routeKey: string,
  count = 1,
): Promise<WsLambdaEvent[]> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const found = (await events()).filter(
      (e) =>
        e.requestContext.connectionId === connectionId && e.requestContext.routeKey === routeKey,
    );
    if (found.length >= count || Date.now() > deadline) return found;
    await new Promise((r) => setTimeout(r, 25));
  }
}

const management = (endpoint: string) =>
  new ApiGatewayManagementApiClient({
    endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'LOCALWSACCESSKEY', secretAccessKey: 'local-ws-secret' },
    maxAttempts: 1,
  });

/** The id the client got: the one the `$connect` with this marker was given. */
async function idOf(marker: string): Promise<string> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const found = (await events()).find(
      (e) => e.requestContext.routeKey === '$connect' && e.queryStringParameters?.m === marker,
    );
    if (found) return found.requestContext.connectionId;
    if (Date.now() > deadline) throw new Error(`no $connect for ${marker}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

let n = 0;
/** A connection accepted by the fixture `$connect`, with its connection id. */
async function connect(gateway: WsGateway, headers: Record<string, string> = {}) {
  const marker = `c${++n}`;
  const client = await openWebSocket(gateway.url, 'ok', { query: { m: marker }, headers });
  return { client, id: await idOf(marker) };
}

const lines: string[] = [];
let gateway: WsGateway;
beforeAll(async () => {
  await writeFile(eventsFile, '');
  gateway = await startWsGateway({ routes, functionsDir, log: (line) => lines.push(line) });
  process.env.WS_CALLBACK_URL = gateway.callbackUrl;
});
afterAll(async () => {
  await gateway?.close();
  await rm(eventsFile, { force: true });
});

describe('the local WebSocket gateway', () => {
  it('refuses the upgrade with the status the $connect function answers', async () => {
    const refused = await openWebSocket(gateway.url, 'wrong').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(UpgradeRefused);
    expect(refused).toMatchObject({ status: 401, body: 'Unauthorized' });
    const none = await openWebSocket(gateway.url).catch((e: unknown) => e);
    expect(none).toMatchObject({ status: 401 });
    expect(gateway.connections()).toEqual([]);
  });

  it('gives $connect the upgrade request as API Gateway does, and accepts on a 2xx', async () => {
    const { client, id } = await connect(gateway, { 'User-Agent': 'ws-test/1.0' });
    expect(id).toMatch(/^[A-Za-z0-9_-]{15}=$/);
    expect(gateway.connections()).toContain(id);
    const [event] = await eventsOf(id, '$connect');
    expect(event).toMatchObject({
      isBase64Encoded: false,
      queryStringParameters: { token: 'ok' },
      multiValueQueryStringParameters: { token: ['ok'] },
      requestContext: {
        routeKey: '$connect',
        eventType: 'CONNECT',
        messageDirection: 'IN',
        stage: 'local',
        apiId: 'local',
        domainName: `127.0.0.1:${gateway.port}`,
        identity: { sourceIp: '127.0.0.1', userAgent: 'ws-test/1.0' },
      },
    });
    const context = event!.requestContext;
    expect(context.messageId).toBeUndefined();
    expect(context.requestTimeEpoch).toBeGreaterThanOrEqual(context.connectedAt);
    expect(context.requestId).toMatch(/=$/);
    expect(context.requestTime).toMatch(/^\d\d\/\w{3}\/\d{4}:\d\d:\d\d:\d\d \+0000$/);
    // Header names as the client sent them, not lower-cased (unlike an HTTP API's events).
    expect(event!.headers).toMatchObject({
      Host: `127.0.0.1:${gateway.port}`,
      'User-Agent': 'ws-test/1.0',
      'X-Forwarded-For': '127.0.0.1',
    });
    expect(event!.headers?.['Sec-WebSocket-Key']).toBeTruthy();
    await client.close();
  });

  it('answers the upgrade with the subprotocol the $connect function picked', async () => {
    const client = await openWebSocket(gateway.url, 'ok', { protocols: ['chat.v0', 'chat.v1'] });
    expect(client.socket.protocol).toBe('chat.v1');
    await client.close();
  });

  it('routes a frame on its action, and anything else to $default', async () => {
    const { client, id } = await connect(gateway);
    client.send({ action: 'echo', n: 1 });
    expect(await client.next((f) => f.type === 'echo')).toEqual({
      type: 'echo',
      routeKey: 'echo',
      frame: { action: 'echo', n: 1 },
    });
    const others = ['not json', '{"no":"action"}', '{"action":"nope"}', '{"action":"$connect"}'];
    for (const body of others) {
      client.send(body);
      expect(await client.next((f) => f.type === 'default')).toEqual({ type: 'default', body });
    }

    const messages = [...(await eventsOf(id, 'echo')), ...(await eventsOf(id, '$default', 4))];
    expect(messages).toHaveLength(5);
    const [connected] = await eventsOf(id, '$connect');
    for (const m of messages) {
      expect(m).toMatchObject({
        isBase64Encoded: false,
        requestContext: {
          eventType: 'MESSAGE',
          connectionId: id,
          connectedAt: connected!.requestContext.connectedAt,
        },
      });
      expect(typeof m.body).toBe('string');
      expect(m.headers).toBeUndefined();
      expect(m.queryStringParameters).toBeUndefined();
    }
    expect(new Set(messages.map((m) => m.requestContext.messageId)).size).toBe(5);
    await client.close();
  });

  it('sends a failing function’s sender the frame API Gateway sends', async () => {
    const { client, id } = await connect(gateway);
    client.send({ action: 'echo', crash: true });
    const frame = await client.next((f) => 'message' in f);
    expect(frame).toEqual({
      message: 'Internal server error',
      connectionId: id,
      requestId: expect.stringMatching(/=$/),
    });
    await client.close();
  });

  it('serves @connections to the real SDK client: post, get, delete, then 410 Gone', async () => {
    const { client, id } = await connect(gateway, { 'User-Agent': 'ws-test/2.0' });
    const api = management(gateway.callbackUrl);

    await api.send(
      new PostToConnectionCommand({ ConnectionId: id, Data: Buffer.from('plain text') }),
    );
    await api.send(new PostToConnectionCommand({ ConnectionId: id, Data: Buffer.from('{"a":1}') }));
    expect(await client.next((f) => f === 'plain text')).toBe('plain text');
    expect(await client.next((f) => f.a === 1)).toEqual({ a: 1 });
    // The SDK kept the endpoint's path (the stage) and percent-encoded the id's `=`.
    expect(lines).toContain(`POST /local/@connections/${encodeURIComponent(id)} 200 @connections`);
    expect(encodeURIComponent(id)).toMatch(/%3D$/);

    client.send('keep-alive');
    await client.next((f) => f.type === 'default');
    const [connected] = await eventsOf(id, '$connect');
    const got = await api.send(new GetConnectionCommand({ ConnectionId: id }));
    expect(got.ConnectedAt).toEqual(new Date(connected!.requestContext.connectedAt));
    expect(got.Identity).toEqual({ SourceIp: '127.0.0.1', UserAgent: 'ws-test/2.0' });
    expect(got.LastActiveAt!.getTime()).toBeGreaterThan(got.ConnectedAt!.getTime());

    const deleted = await api.send(new DeleteConnectionCommand({ ConnectionId: id }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    expect((await client.closed).code).toBe(1000);
    const disconnects = await eventsOf(id, '$disconnect');
    expect(disconnects).toHaveLength(1);
    expect(disconnects[0]!.requestContext).toMatchObject({
      eventType: 'DISCONNECT',
      disconnectStatusCode: 1000,
    });
    expect(gateway.connections()).not.toContain(id);

    for (const command of [
      new PostToConnectionCommand({ ConnectionId: id, Data: Buffer.from('late') }),
      new GetConnectionCommand({ ConnectionId: id }),
      new DeleteConnectionCommand({ ConnectionId: id }),
      new GetConnectionCommand({ ConnectionId: 'NeverWasThere1A=' }),
    ]) {
      const error = await api.send(command as never).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'GoneException', $metadata: { httpStatusCode: 410 } });
    }
    // Still exactly one $disconnect for the deleted connection.
    await new Promise((r) => setTimeout(r, 100));
    expect(await eventsOf(id, '$disconnect')).toHaveLength(1);
  });

  it('answers 410 as AWS does, and refuses an unsigned request or another stage', async () => {
    const url = `${gateway.callbackUrl}/@connections/${encodeURIComponent('Gone0000000000A=')}`;
    const signed = { authorization: 'AWS4-HMAC-SHA256 Credential=x, Signature=y' };
    const gone = await fetch(url, { headers: signed });
    expect(gone.status).toBe(410);
    expect(gone.headers.get('x-amzn-errortype')).toBe('GoneException');
    expect(await gone.json()).toEqual({ message: expect.any(String) });

    expect((await fetch(url)).status).toBe(403);
    const otherStage = management(`http://127.0.0.1:${gateway.port}/prod`);
    const error = await otherStage
      .send(new GetConnectionCommand({ ConnectionId: 'Gone0000000000A=' }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ $metadata: { httpStatusCode: 403 } });
  });

  it('answers GetConnection with ISO dates', async () => {
    const { client, id } = await connect(gateway);
    const res = await fetch(`${gateway.callbackUrl}/@connections/${encodeURIComponent(id)}`, {
      headers: { authorization: 'AWS4-HMAC-SHA256 Credential=x, Signature=y' },
    });
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['connectedAt', 'identity', 'lastActiveAt']);
    expect(new Date(body.connectedAt as string).toISOString()).toBe(body.connectedAt);
    await client.close();
  });

  it('invokes $disconnect once when the client closes, with its code and reason', async () => {
    const first = await connect(gateway);
    await first.client.close(4000, 'bye');
    const [byCode] = await eventsOf(first.id, '$disconnect');
    expect(byCode!.requestContext).toMatchObject({
      routeKey: '$disconnect',
      disconnectStatusCode: 4000,
      disconnectReason: 'bye',
    });
    expect(byCode!.headers).toMatchObject({ Host: `127.0.0.1:${gateway.port}` });

    const second = await connect(gateway);
    await second.client.close();
    const [bare] = await eventsOf(second.id, '$disconnect');
    expect(bare!.requestContext).toMatchObject({
      disconnectStatusCode: 1005,
      disconnectReason: 'Client-side close frame status not set',
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(await eventsOf(first.id, '$disconnect')).toHaveLength(1);
  });

  it('closes a connection that sends a frame over 128 KB with 1009, then $disconnect', async () => {
    const { client, id } = await connect(gateway);
    client.send('x'.repeat(129 * 1024));
    expect((await client.closed).code).toBe(1009);
    const disconnects = await eventsOf(id, '$disconnect');
    expect(disconnects).toHaveLength(1);
    expect(disconnects[0]!.requestContext.disconnectStatusCode).toBe(1009);
    expect(await eventsOf(id, '$default', 0)).toEqual([]);
  });

  it('takes a frame of 128 KB', async () => {
    const { client } = await connect(gateway);
    const body = 'y'.repeat(128 * 1024 - 100);
    client.send(body);
    expect(await client.next((f) => f.type === 'default')).toEqual({ type: 'default', body });
    await client.close();
  });

  it('closes a connection that sends a binary frame with 1003, as API Gateway does', async () => {
    const { client, id } = await connect(gateway);
    client.socket.send(Buffer.from([1, 2, 3]), { binary: true });
    expect((await client.closed).code).toBe(1003);
    expect(await eventsOf(id, '$disconnect')).toHaveLength(1);
  });
});

describe('the local WebSocket gateway’s time limits', () => {
  // No message routes: a frame is answered by the gateway itself, as with no $default in AWS.
  const lifecycle = routes.filter((r) => r.routeKey === '$connect' || r.routeKey === '$disconnect');
  let limited: WsGateway;
  beforeAll(async () => {
    // From the environment, as a test of the whole stack sets them.
    process.env.WS_IDLE_SECONDS = '0.4';
    process.env.WS_MAX_SECONDS = '1.5';
    try {
      limited = await startWsGateway({ routes: lifecycle, functionsDir });
    } finally {
      delete process.env.WS_IDLE_SECONDS;
      delete process.env.WS_MAX_SECONDS;
    }
  });
  afterAll(() => limited?.close());

  it('closes an idle connection with 1001 Going away, then $disconnect', async () => {
    const started = Date.now();
    const { client, id } = await connect(limited);
    expect(await client.closed).toEqual({ code: 1001, reason: 'Going away' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
    const [event] = await eventsOf(id, '$disconnect');
    expect(event!.requestContext).toMatchObject({
      disconnectStatusCode: 1001,
      disconnectReason: 'Going away',
    });
    expect(limited.connections()).not.toContain(id);
  });

  it('keeps a connection that talks past the idle time, up to its lifetime', async () => {
    const started = Date.now();
    const { client, id } = await connect(limited);
    const chatter = setInterval(() => client.send('ping'), 150);
    try {
      await new Promise((r) => setTimeout(r, 800));
      expect(client.socket.readyState).toBe(WebSocket.OPEN);
      expect((await client.closed).code).toBe(1001);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1490);
    } finally {
      clearInterval(chatter);
    }
    // With no route for a frame, API Gateway answers it itself.
    expect(client.frames[0]).toEqual({
      message: 'Forbidden',
      connectionId: id,
      requestId: expect.stringMatching(/=$/),
    });
    expect(await eventsOf(id, '$disconnect')).toHaveLength(1);
  });

  it('closes its connections when it stops, each with one $disconnect', async () => {
    const other = await startWsGateway({ routes: lifecycle, functionsDir });
    const { client, id } = await connect(other);
    await other.close();
    expect((await client.closed).code).toBe(1001);
    expect(await eventsOf(id, '$disconnect')).toHaveLength(1);
  });
});
