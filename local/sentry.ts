import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface SentryItem {
  type: string;
  payload: Record<string, unknown>;
}

/**
 * A stand-in for Sentry's ingest endpoint: accepts envelopes at /api/<project>/envelope/
 * and keeps their items, so tests can assert on what the real SDK sent.
 */
export async function startSentryIngest(options: { port?: number } = {}) {
  const items: SentryItem[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let raw = Buffer.concat(chunks);
    if (req.headers['content-encoding'] === 'gzip') raw = gunzipSync(raw);
    const lines = raw.toString('utf8').split('\n').filter(Boolean);
    // Line 0 is the envelope header; then an item header and its payload, in pairs.
    for (let i = 1; i + 1 < lines.length; i += 2) {
      const header = JSON.parse(lines[i] ?? '{}') as { type?: string };
      let payload: Record<string, unknown> = {};
      try {
        payload = JSON.parse(lines[i + 1] ?? '{}');
      } catch {
        payload = { raw: lines[i + 1] };
      }
      items.push({ type: header.type ?? 'unknown', payload });
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    dsn: `http://public@127.0.0.1:${port}/1`,
    items,
    events: () => items.filter((i) => i.type === 'event'),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
