import { createServer } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { listen, readBody, sendJson, stop } from '#local/emulators/http';

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
    let raw = await readBody(req);
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
    sendJson(res, 200, {});
  });
  const port = await listen(server, options.port);
  return {
    port,
    dsn: `http://public@127.0.0.1:${port}/1`,
    items,
    events: () => items.filter((i) => i.type === 'event'),
    async close() {
      await stop(server);
    },
  };
}
