import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the proxy does with one request: pass it on, answer instead, or never answer. */
export type Fault =
  | { kind: 'answer'; status: number; headers?: Record<string, string>; body?: unknown }
  /** Forwards it (the API acts on it), then answers this instead: a response lost on the way. */
  | { kind: 'lose'; status: number }
  | { kind: 'hang' };

export interface Seen {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface FlakyProxy {
  url: string;
  /** Every request that reached the proxy, in order. */
  seen: Seen[];
  /** The faults for the next requests that `match`, in order; then requests pass. */
  fail(match: (req: Seen) => boolean, ...faults: Fault[]): void;
  close(): Promise<void>;
}

/**
 * A proxy in front of the local API that fails on purpose, the way a 3G link and a busy
 * gateway do: answers a 503 or a 401, loses a response after the API acted, or hangs.
 */
export async function startFlakyProxy(target: string): Promise<FlakyProxy> {
  const seen: Seen[] = [];
  const plans: Array<{ match: (req: Seen) => boolean; faults: Fault[] }> = [];
  const hanging = new Set<() => void>();

  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const request: Seen = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      headers: req.headers,
      body,
    };
    seen.push(request);
    const plan = plans.find((p) => p.faults.length > 0 && p.match(request));
    const fault = plan?.faults.shift();
    if (fault?.kind === 'answer') {
      res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
      res.end(JSON.stringify(fault.body ?? { error: { code: 'injected', message: 'injected' } }));
      return;
    }
    if (fault?.kind === 'hang') {
      hanging.add(() => res.destroy());
      return;
    }
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === 'string' && !['host', 'connection', 'content-length'].includes(name)) {
        headers.set(name, value);
      }
    }
    const upstream = await fetch(`${target}${request.path}`, {
      method: request.method,
      headers,
      body: request.method === 'GET' || request.method === 'HEAD' ? undefined : body,
    });
    const text = await upstream.text();
    if (fault?.kind === 'lose') {
      res.writeHead(fault.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'bad_gateway', message: 'lost on the way' } }));
      return;
    }
    const out: Record<string, string> = {};
    upstream.headers.forEach((value, name) => {
      if (!['content-encoding', 'content-length', 'transfer-encoding'].includes(name)) {
        out[name] = value;
      }
    });
    res.writeHead(upstream.status, out);
    res.end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    fail(match, ...faults) {
      plans.push({ match, faults });
    },
    async close() {
      for (const destroy of hanging) destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
