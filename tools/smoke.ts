// node tools/smoke.ts <apiUrl> <wsUrl> — after a deploy: /health, one page of the public feed,
// and a WebSocket round trip (refused without a token; with one, a frame answered through
// @connections). Exits non-zero when any check fails.
//
// JWT_SIGNING_KEYS (the stage's, from its secret) signs the WebSocket's access token, for a
// random principal and sign-in that exist nowhere: $connect stores a connection row for it,
// $disconnect removes it, and no account is touched.

import { randomUUID } from 'node:crypto';
import { signAccessToken } from '#lib/auth/tokens';

const TIMEOUT_MS = 10_000;
/** A fresh deploy's first requests are cold starts, and Neon may be waking up. */
const ATTEMPTS = 3;
const PAUSE_MS = 3000;

const [apiArg, wsArg] = process.argv.slice(2);
if (!apiArg || !wsArg) {
  console.error('usage: node tools/smoke.ts <apiUrl> <wsUrl>');
  process.exit(2);
}
const api = apiArg.replace(/\/+$/, '');
const ws = wsArg;

class Failed extends Error {}

async function getJson(path: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${api}${path}`, {
    headers: { accept: 'application/json' },
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) };
  } catch {
    throw new Failed(`${path} answered ${response.status} with a body that is not JSON`);
  }
}

/** Opens a WebSocket; rejects when the upgrade is refused or takes too long. */
function connect(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    const timer = setTimeout(() => {
      socket.close();
      reject(new Failed('no answer to the upgrade'));
    }, TIMEOUT_MS);
    socket.addEventListener('open', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.addEventListener('error', () => {
      clearTimeout(timer);
      reject(new Failed('upgrade refused'));
    });
  });
}

/** The next frame the socket receives, parsed. */
function nextFrame(socket: WebSocket): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const done = (settle: () => void) => {
      clearTimeout(timer);
      socket.removeEventListener('message', onMessage);
      socket.removeEventListener('close', onClose);
      settle();
    };
    const onMessage = (event: MessageEvent) =>
      done(() => {
        try {
          resolve(JSON.parse(String(event.data)));
        } catch {
          reject(new Failed('a frame that is not JSON'));
        }
      });
    const onClose = () => done(() => reject(new Failed('closed before answering')));
    const timer = setTimeout(
      () => done(() => reject(new Failed('no frame came back'))),
      TIMEOUT_MS,
    );
    socket.addEventListener('message', onMessage);
    socket.addEventListener('close', onClose);
  });
}

const checks: Array<[string, () => Promise<string>]> = [
  [
    'GET /health',
    async () => {
      const { status, body } = await getJson('/health');
      const health = body as { status?: string; db?: string; version?: string };
      if (status !== 200 || health.status !== 'ok' || health.db !== 'ok') {
        throw new Failed(`${status} ${JSON.stringify({ status: health.status, db: health.db })}`);
      }
      return `version ${health.version}`;
    },
  ],
  [
    'GET /listings/public',
    async () => {
      const { status, body } = await getJson('/listings/public?limit=1');
      const page = body as { listings?: unknown; hasMore?: unknown };
      if (status !== 200 || !Array.isArray(page.listings) || typeof page.hasMore !== 'boolean') {
        throw new Failed(`${status}, not a feed page`);
      }
      return `${page.listings.length} listing(s) on the first page`;
    },
  ],
  [
    'WebSocket without a token',
    async () => {
      const refused = await connect(ws).then(
        (socket) => {
          socket.close();
          return false;
        },
        (error: Failed) => error.message === 'upgrade refused',
      );
      if (!refused) throw new Failed('the upgrade was not refused');
      return 'refused';
    },
  ],
  [
    'WebSocket with a token',
    async () => {
      const token = await signAccessToken({ sub: randomUUID(), role: 'user', sid: randomUUID() });
      const url = new URL(ws);
      url.searchParams.set('token', token);
      const socket = await connect(url.toString());
      try {
        const answer = nextFrame(socket);
        // No such action: $default answers the sender through @connections.
        socket.send(JSON.stringify({ action: 'smoke' }));
        const frame = (await answer) as { type?: string; code?: string };
        if (frame.type !== 'error' || frame.code !== 'unknown_action') {
          throw new Failed(`unexpected frame ${JSON.stringify(frame)}`);
        }
        return 'connected, $default answered';
      } finally {
        socket.close();
      }
    },
  ],
];

let failures = 0;
for (const [name, check] of checks) {
  for (let attempt = 1; ; attempt++) {
    try {
      console.log(`ok    ${name}: ${await check()}`);
      break;
    } catch (error) {
      // fetch's own message ("fetch failed") hides the cause: name it.
      const cause =
        error instanceof Error && error.cause instanceof Error ? error.cause : undefined;
      const reason =
        error instanceof Error
          ? `${error.message}${cause ? ` (${cause.message})` : ''}`
          : String(error);
      if (attempt < ATTEMPTS) {
        await new Promise((r) => setTimeout(r, PAUSE_MS));
        continue;
      }
      console.error(`FAIL  ${name}: ${reason}`);
      failures++;
      break;
    }
  }
}
if (failures > 0) {
  console.error(`smoke test failed: ${failures} of ${checks.length} checks`);
  process.exit(1);
}
console.log(`smoke test passed: ${api}, ${ws}`);
