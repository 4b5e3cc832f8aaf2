import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@upstash/qstash';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type LocalQStash, type QStashOptions, startQStash } from '#local/emulators/qstash/index';

const TOKEN = 'local-durable-token';

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
}

const received: Received[] = [];
/** Status to answer for the nth request (1-based) to a path; 200 when none is set. */
const behaviours = new Map<string, (nth: number) => number>();
const running: LocalQStash[] = [];
let destination: http.Server;
let destinationUrl: string;
let dir: string;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const at = (p: string) => received.filter((r) => r.path === p);
const urlFor = (p: string) => `${destinationUrl}${p}`;

async function waitForReceived(p: string, count: number, timeoutMs = 5000): Promise<Received[]> {
  const deadline = Date.now() + timeoutMs;
  while (at(p).length < count) {
    if (Date.now() > deadline) throw new Error(`${p}: expected ${count}, got ${at(p).length}`);
    await sleep(10);
  }
  return at(p);
}

async function start(options: Partial<QStashOptions> = {}) {
  const qstash = await startQStash({
    token: TOKEN,
    currentSigningKey: 'sig_current_durable',
    nextSigningKey: 'sig_next_durable',
    retryBackoffMs: () => 20,
    ...options,
  });
  running.push(qstash);
  const client = new Client({ baseUrl: qstash.url, token: TOKEN, devMode: false, retry: false });
  return { qstash, client };
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'qstash-state-'));
  destination = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const p = req.url ?? '/';
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ path: p, headers: req.headers, body, at: Date.now() });
      res.writeHead(behaviours.get(p)?.(at(p).length) ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => destination.listen(0, '127.0.0.1', resolve));
  destinationUrl = `http://127.0.0.1:${(destination.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((q) => q.close()));
});

afterAll(async () => {
  destination?.closeAllConnections();
  await new Promise((resolve) => destination?.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

describe('state file', () => {
  it('keeps a delayed message, its deduplication id, schedules and the DLQ across a restart', async () => {
    const file = path.join(dir, 'nested', 'restart.json');
    const first = await start({ stateFile: file });
    const publishedAt = Date.now();
    const delayed = await first.client.publishJSON({
      url: urlFor('/later'),
      body: { n: 1 },
      delay: 1,
      deduplicationId: 'once-only',
      label: 'kept',
    });
    await first.client.schedules.create({
      scheduleId: 'kept-schedule',
      destination: urlFor('/scheduled'),
      cron: '0 3 * * *',
      body: 'nightly',
      headers: { 'X-Report': 'nightly' },
    });
    behaviours.set('/dead', () => 500);
    const dead = await first.client.publishJSON({ url: urlFor('/dead'), body: {}, retries: 0 });
    await first.qstash.waitFor((d) => d.messageId === dead.messageId);
    await first.qstash.close();

    // Written whole through a temporary file, which the rename leaves no trace of.
    expect(await readdir(path.dirname(file))).toEqual(['restart.json']);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ version: 1 });
    expect(at('/later')).toHaveLength(0);

    const second = await start({ stateFile: file });
    expect(await second.client.messages.get(delayed.messageId)).toMatchObject({
      url: urlFor('/later'),
      body: '{"n":1}',
      labels: ['kept'],
    });
    const duplicate = await second.client.publishJSON({
      url: urlFor('/later'),
      body: { n: 2 },
      deduplicationId: 'once-only',
    });
    expect(duplicate).toMatchObject({ messageId: delayed.messageId, deduplicated: true });

    const delivery = await second.qstash.waitFor((d) => d.messageId === delayed.messageId, 3000);
    expect(delivery.at).toBeGreaterThanOrEqual(publishedAt + 1000);
    await sleep(100);
    expect(at('/later').map((r) => r.body)).toEqual(['{"n":1}']);
    expect(at('/later')[0]?.headers['upstash-message-id']).toBe(delayed.messageId);

    const schedule = await second.client.schedules.get('kept-schedule');
    expect(schedule).toMatchObject({ cron: '0 3 * * *', body: 'nightly', isPaused: false });
    expect(schedule.header).toMatchObject({ 'X-Report': ['nightly'] });
    await second.qstash.runSchedule('kept-schedule');
    const [scheduled] = await waitForReceived('/scheduled', 1);
    expect(scheduled?.headers['x-report']).toBe('nightly');

    const { messages } = await second.client.dlq.listMessages();
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ messageId: dead.messageId, responseStatus: 500 });
  });

  it('resumes a message waiting for a retry at its retry time, with its retry count', async () => {
    const file = path.join(dir, 'retry.json');
    behaviours.set('/flaky', (nth) => (nth === 1 ? 500 : 200));
    const first = await start({ stateFile: file, retryBackoffMs: () => 400 });
    const { messageId } = await first.client.publishJSON({ url: urlFor('/flaky'), body: {} });
    const failed = await first.qstash.waitFor((d) => d.messageId === messageId);
    expect(failed.status).toBe(500);
    await first.qstash.close();

    await start({ stateFile: file, retryBackoffMs: () => 400 });
    const [, retry] = await waitForReceived('/flaky', 2);
    expect(retry?.headers['upstash-message-id']).toBe(messageId);
    expect(retry?.headers['upstash-retried']).toBe('1');
    // Due when the first server said, not reset by the restart nor run at once.
    expect(Number(retry?.at) - failed.at).toBeGreaterThanOrEqual(390);
  });

  it('starts empty without a file, and writes one after the first change', async () => {
    const file = path.join(dir, 'fresh.json');
    const { client } = await start({ stateFile: file });
    expect(await client.schedules.list()).toEqual([]);
    await client.schedules.create({ destination: urlFor('/fresh'), cron: '0 4 * * *' });
    await sleep(100);
    const saved = JSON.parse(await readFile(file, 'utf8'));
    expect(saved.schedules.map((s: { cron: string }) => s.cron)).toEqual(['0 4 * * *']);
  });

  it('says so, keeps the file aside and starts empty when the file is corrupt', async () => {
    for (const [name, text] of [
      ['truncated.json', '{"version":1,"messages":[{"messageId"'],
      ['wrong-shape.json', '{"version":1,"messages":"none","schedules":[],"dlq":[]}'],
      [
        'bad-cron.json',
        JSON.stringify({
          version: 1,
          messages: [],
          deduplication: [],
          schedules: [
            {
              scheduleId: 's',
              cron: '61 * * * *',
              destination: 'http://127.0.0.1:1/x',
              method: 'POST',
              header: {},
              body: '',
            },
          ],
          dlq: [],
        }),
      ],
    ] as const) {
      const file = path.join(dir, name);
      await writeFile(file, text);
      const lines: string[] = [];
      const { qstash, client } = await start({ stateFile: file, log: (l) => lines.push(l) });
      expect(lines.filter((l) => l.includes('unreadable'))).toHaveLength(1);
      expect(await readFile(`${file}.corrupt`, 'utf8')).toBe(text);
      expect(await client.schedules.list()).toEqual([]);
      const { messageId } = await client.publishJSON({ url: urlFor('/after-corrupt'), body: {} });
      await qstash.waitFor((d) => d.messageId === messageId);
    }
  });

  it('cancels with deleteAll, and a cancelled message does not come back', async () => {
    const file = path.join(dir, 'cancel.json');
    const first = await start({ stateFile: file });
    await first.client.publishJSON({ url: urlFor('/cancelled'), body: {}, delay: 1 });
    await first.client.publishJSON({ url: urlFor('/cancelled'), body: {}, delay: 1 });
    expect(await first.client.messages.deleteAll()).toBe(2);
    await first.qstash.close();

    await start({ stateFile: file });
    await sleep(1300);
    expect(at('/cancelled')).toHaveLength(0);
  });
});
