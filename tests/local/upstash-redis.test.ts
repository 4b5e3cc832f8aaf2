import { createServer, type Server, type Socket } from 'node:net';
import { Redis } from '@upstash/redis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startUpstashRedis, type UpstashRedisServer } from '#local/emulators/upstash-redis/index';

const TOKEN = 'local-test-token';
// Tests own Redis logical db 9 and flush only that one.
const DB = 9;

let standIn: UpstashRedisServer;
let redis: Redis;

beforeAll(async () => {
  standIn = await startUpstashRedis({ token: TOKEN, db: DB });
  redis = new Redis({ url: standIn.url, token: TOKEN, enableTelemetry: false });
});

afterAll(async () => {
  await standIn?.close();
});

beforeEach(async () => {
  await redis.flushdb();
});

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${standIn.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

async function elapsed(call: () => Promise<unknown>): Promise<{ ms: number; error: unknown }> {
  const start = performance.now();
  const error = await call().then(
    () => undefined,
    (e: unknown) => e,
  );
  return { ms: performance.now() - start, error };
}

/** A port nothing listens on: connections to it are refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('the @upstash/redis client through the stand-in', () => {
  it('stores objects as JSON and gets them back as objects', async () => {
    await redis.set('listing:1', { title: 'Loft', beds: 2, tags: ['sea'] });
    expect(await redis.get('listing:1')).toEqual({ title: 'Loft', beds: 2, tags: ['sea'] });
    expect(await redis.get('missing')).toBeNull();
  });

  it('honours set options: nx refuses to overwrite, ex sets a ttl', async () => {
    expect(await redis.set('lock', 'a', { nx: true, ex: 30 })).toBe('OK');
    expect(await redis.set('lock', 'b', { nx: true })).toBeNull();
    expect(await redis.get('lock')).toBe('a');
    const ttl = await redis.ttl('lock');
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(30);
  });

  it('counts, expires and deletes', async () => {
    expect(await redis.incr('hits')).toBe(1);
    expect(await redis.incrby('hits', 41)).toBe(42);
    expect(await redis.ttl('hits')).toBe(-1);
    expect(await redis.expire('hits', 60)).toBe(1);
    expect(await redis.ttl('hits')).toBeGreaterThan(55);
    await redis.mset({ a: 1, b: 2, c: 3 });
    expect(await redis.mget('a', 'b', 'missing', 'c')).toEqual([1, 2, null, 3]);
    expect(await redis.del('a', 'b', 'c', 'hits', 'missing')).toBe(4);
    expect(await redis.exists('a', 'hits')).toBe(0);
  });

  it('serves hashes, sorted sets and lists', async () => {
    expect(await redis.hset('user:1', { name: 'Ada', visits: 3 })).toBe(2);
    expect(await redis.hget('user:1', 'name')).toBe('Ada');
    expect(await redis.hincrby('user:1', 'visits', 1)).toBe(4);
    expect(await redis.hgetall('user:1')).toEqual({ name: 'Ada', visits: 4 });

    await redis.zadd('scores', { score: 2.5, member: 'b' }, { score: 1, member: 'a' });
    expect(await redis.zrange('scores', 0, -1)).toEqual(['a', 'b']);
    expect(await redis.zrange('scores', 0, -1, { withScores: true })).toEqual(['a', 1, 'b', 2.5]);
    expect(await redis.zscore('scores', 'b')).toBe(2.5);

    expect(await redis.rpush('queue', 'one', 'two', 'three')).toBe(3);
    expect(await redis.lpop('queue')).toBe('one');
    expect(await redis.lrange('queue', 0, -1)).toEqual(['two', 'three']);
  });

  it('runs an explicit pipeline and reports a failing command separately', async () => {
    const results = await redis
      .pipeline()
      .set('p', 'text')
      .incr('n')
      .incr('p')
      .get('p')
      .exec({ keepErrors: true });
    expect(results.map((r) => r.result)).toEqual(['OK', 1, undefined, 'text']);
    expect(results[2]?.error).toMatch(/not an integer/);
  });

  it('runs a transaction atomically and rejects one that Redis discards', async () => {
    expect(await redis.multi().set('m', 1).incr('m').get('m').exec()).toEqual(['OK', 2, 2]);
    await expect(redis.multi().set('m', 5).hget('m', 'f').exec()).rejects.toThrow(/WRONGTYPE/);
    // A runtime error does not roll back: the set before it stays applied, as in Redis.
    expect(await redis.get('m')).toBe(5);
  });

  it('batches concurrent calls into one request', async () => {
    await redis.mset({ k1: 'v1', k2: 'v2', k3: 'v3' });
    const before = (redis as unknown as { pipelineCounter: number }).pipelineCounter;
    const values = await Promise.all([redis.get('k1'), redis.get('k2'), redis.get('k3')]);
    expect(values).toEqual(['v1', 'v2', 'v3']);
    expect((redis as unknown as { pipelineCounter: number }).pipelineCounter).toBe(before + 1);
  });

  it('runs Lua scripts with eval, and evalsha through createScript', async () => {
    const script = "redis.call('SET', KEYS[1], ARGV[1]); return {redis.call('GET', KEYS[1]), 7}";
    expect(await redis.eval(script, ['scripted'], ['value'])).toEqual(['value', 7]);
    // The first exec gets NOSCRIPT from EVALSHA and falls back to EVAL, which caches the script.
    const greet = redis.createScript<string>('return "hello " .. ARGV[1]');
    expect(await greet.exec([], ['ada'])).toBe('hello ada');
    expect(await greet.evalsha([], ['bob'])).toBe('hello bob');
  });

  it('round-trips unicode and control characters with and without base64 replies', async () => {
    const text = 'café ✓ 日本語 🏠 \u0000\u0001\t\r\n "quoted" \\ OK';
    await redis.set('text', text);
    expect(await redis.get('text')).toBe(text);
    const plain = new Redis({
      url: standIn.url,
      token: TOKEN,
      responseEncoding: false,
      enableTelemetry: false,
    });
    expect(await plain.get('text')).toBe(text);
    expect(await redis.mget('text', 'missing')).toEqual([text, null]);
  });

  it('rejects a wrong token', async () => {
    const intruder = new Redis({ url: standIn.url, token: 'wrong', enableTelemetry: false });
    await expect(intruder.get('anything')).rejects.toThrow(/Unauthorized/);
  });
});

describe('the wire format', () => {
  it('keeps integers as numbers, nil as null, and base64-encodes strings except a bare OK', async () => {
    const b64 = { 'Upstash-Encoding': 'base64' };
    expect(await post('/', ['SET', 'k', 'v'], b64)).toEqual({
      status: 200,
      body: { result: 'OK' },
    });
    expect(await post('/', ['GET', 'k'], b64)).toEqual({ status: 200, body: { result: 'dg==' } });
    expect(await post('/', ['GET', 'k'])).toEqual({ status: 200, body: { result: 'v' } });
    expect(
      await post(
        '/pipeline',
        [
          ['INCR', 'n'],
          ['GET', 'nope'],
          ['MGET', 'k', 'nope'],
        ],
        b64,
      ),
    ).toEqual({
      status: 200,
      body: [{ result: 1 }, { result: null }, { result: ['dg==', null] }],
    });
  });

  it('answers errors with the statuses Upstash uses', async () => {
    expect(await post('/', ['INCR', 'k', 'extra'])).toEqual({
      status: 400,
      body: { error: "ERR wrong number of arguments for 'incr' command" },
    });
    expect(
      (
        await post('/multi-exec', [
          ['SET', 'a'],
          ['GET', 'a'],
        ])
      ).status,
    ).toBe(400);
    expect((await post('/', ['SELECT', '0'])).status).toBe(400);
    const res = await fetch(standIn.url, { method: 'POST', body: '["PING"]' });
    expect(res.status).toBe(401);
  });
});

describe('when something is down', () => {
  it('rejects promptly when the stand-in cannot reach Redis', async () => {
    const orphan = await startUpstashRedis({ token: TOKEN, redisUrl: 'redis://127.0.0.1:1' });
    try {
      const client = new Redis({ url: orphan.url, token: TOKEN, enableTelemetry: false });
      const { ms, error } = await elapsed(() => client.get('k'));
      console.log(`Redis down behind the stand-in: rejected in ${ms.toFixed(0)} ms`);
      expect(String(error)).toMatch(/unreachable/);
      // The stand-in answers 503, which the client does not retry; a second is a hang.
      expect(ms).toBeLessThan(1_000);
    } finally {
      await orphan.close();
    }
  });

  it('retries a refused connection 5 times by default, spending over 4 s in backoff', async () => {
    const client = new Redis({
      url: `http://127.0.0.1:${await closedPort()}`,
      token: TOKEN,
      enableTelemetry: false,
    });
    const { ms, error } = await elapsed(() => client.get('k'));
    console.log(`refused, default retry: rejected in ${ms.toFixed(0)} ms`);
    expect((error as Error & { cause?: { code?: string } }).cause?.code).toBe('ECONNREFUSED');
    // Default backoff is exp(i) * 50 ms for i = 0..4, about 4290 ms in all.
    expect(ms).toBeGreaterThan(4_000);
  });

  it('fails a refused connection at once with retry: { retries: 0 }', async () => {
    const client = new Redis({
      url: `http://127.0.0.1:${await closedPort()}`,
      token: TOKEN,
      retry: { retries: 0 },
      enableTelemetry: false,
    });
    const { ms, error } = await elapsed(() => client.get('k'));
    console.log(`refused, retries 0: rejected in ${ms.toFixed(0)} ms`);
    expect((error as Error & { cause?: { code?: string } }).cause?.code).toBe('ECONNREFUSED');
    expect(ms).toBeLessThan(1_000);
  });

  describe('a server that accepts connections and never answers', () => {
    let silent: Server;
    const sockets: Socket[] = [];
    let url: string;

    beforeAll(async () => {
      silent = createServer((socket) => sockets.push(socket));
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
    });

    afterAll(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    });

    it('is cut off by a signal factory, which gives every request a fresh timeout', async () => {
      const client = new Redis({
        url,
        token: TOKEN,
        retry: { retries: 0 },
        signal: () => AbortSignal.timeout(100),
        enableTelemetry: false,
      });
      const { ms, error } = await elapsed(() => client.get('k'));
      console.log(
        `silent server, signal: () => AbortSignal.timeout(100): rejected in ${ms.toFixed(0)} ms`,
      );
      expect((error as Error).name).toBe('TimeoutError');
      expect(ms).toBeLessThan(1_000);
    });

    it('is not reported by a plain AbortSignal: the call resolves to null instead', async () => {
      const client = new Redis({
        url,
        token: TOKEN,
        retry: { retries: 0 },
        signal: AbortSignal.timeout(100),
        enableAutoPipelining: false,
        enableTelemetry: false,
      });
      // The client turns an aborted fetch into a 200 reply, so a timeout reads as a cache miss.
      expect(await client.get('k')).toBeNull();
    });
  });
});
