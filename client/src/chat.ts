/**
 * The chat over the WebSocket API: one socket with the access token in `?token=`, reconnected
 * with backoff and jitter; after a reconnect the messages that arrived meanwhile are fetched
 * over HTTP and delivered as if they had come live (each message once). A message sent while
 * the socket is down waits, and is sent again until its ack: the server stores one per clientId.
 */
import type { Client } from 'openapi-fetch';
import type { ChatClientFrame, ChatServerFrame, paths } from './openapi.js';
import type { Session } from './session.js';
import { newKey } from './transport.js';

type ServerFrameOf<T extends ChatServerFrame['type']> = Extract<ChatServerFrame, { type: T }>;
export type ChatMessage = ServerFrameOf<'message'>['message'];

export interface ChatEvents {
  open: { reconnected: boolean };
  /** A new message, live or fetched after a reconnect; each one once. */
  message: ChatMessage;
  /** The server stored a message this connection sent. */
  ack: Omit<ServerFrameOf<'ack'>, 'type'>;
  typing: Omit<ServerFrameOf<'typing'>, 'type'>;
  read: Omit<ServerFrameOf<'read'>, 'type'>;
  /** The server refused a frame (`{code, message}`). */
  error: Omit<ServerFrameOf<'error'>, 'type'>;
  close: { code: number; reason: string; willReconnect: boolean };
}

export interface ChatOptions {
  /** The WebSocket API's URL (default: the client's `wsUrl`). */
  url?: string;
  /** The first reconnect waits up to this, doubling up to `maxDelayMs` (defaults 1 s, 30 s). */
  minDelayMs?: number;
  maxDelayMs?: number;
  WebSocket?: typeof WebSocket;
}

export interface ChatConnection {
  on<E extends keyof ChatEvents>(event: E, listener: (data: ChatEvents[E]) => void): () => void;
  /** Sends a message (queued while disconnected); answers its clientId, which its ack carries. */
  sendMessage(conversationId: string, body: string, clientId?: string): string;
  typing(conversationId: string): void;
  markRead(conversationId: string): void;
  /** Closes for good: no reconnect. */
  close(): void;
  readonly state: 'connecting' | 'open' | 'closed';
}

type SendFrame = Extract<ChatClientFrame, { action: 'sendMessage' }>;

const SEEN_LIMIT = 2000;

/** Seconds until the JWT expires; Infinity when it cannot be read. */
function secondsLeft(token: string): number {
  try {
    const payload = token.split('.')[1] ?? '';
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const exp = (JSON.parse(json) as { exp?: number }).exp;
    return typeof exp === 'number' ? exp - Date.now() / 1000 : Number.POSITIVE_INFINITY;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

export function connectChat(
  http: Client<paths>,
  session: Session,
  defaults: { url?: string },
  options: ChatOptions = {},
): ChatConnection {
  const url = options.url ?? defaults.url ?? '';
  if (!url) throw new Error('chat.connect needs a WebSocket URL: createClient({ wsUrl })');
  const Socket = options.WebSocket ?? globalThis.WebSocket;
  const minDelay = options.minDelayMs ?? 1000;
  const maxDelay = options.maxDelayMs ?? 30_000;

  const listeners: { [E in keyof ChatEvents]?: Set<(data: ChatEvents[E]) => void> } = {};
  const emit = <E extends keyof ChatEvents>(event: E, data: ChatEvents[E]) => {
    for (const listener of listeners[event] ?? []) listener(data);
  };

  const seen = new Set<string>();
  /** The latest message seen: a reconnect fetches what came after it. */
  let lastSeenAt: string | undefined;
  const unacked = new Map<string, SendFrame>();
  let socket: WebSocket | undefined;
  let state: ChatConnection['state'] = 'connecting';
  let failures = 0;
  let opened = false;
  let downSince: string | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  function deliver(message: ChatMessage) {
    if (seen.has(message.id)) return;
    seen.add(message.id);
    if (seen.size > SEEN_LIMIT) seen.delete(seen.values().next().value as string);
    if (!lastSeenAt || message.createdAt > lastSeenAt) lastSeenAt = message.createdAt;
    emit('message', message);
  }

  function write(frame: ChatClientFrame) {
    if (socket?.readyState === Socket.OPEN) socket.send(JSON.stringify(frame));
  }

  /** What arrived while the socket was down, oldest first. */
  async function catchUp(since: string) {
    const missed: ChatMessage[] = [];
    const { data } = await http.GET('/conversations', { params: { query: { limit: 50 } } });
    for (const conversation of data?.conversations ?? []) {
      const last = conversation.lastMessage?.createdAt;
      if (!last || last <= since) continue;
      let before: string | undefined;
      for (let page = 0; page < 10; page++) {
        const { data: messages } = await http.GET('/conversations/{id}/messages', {
          params: { path: { id: conversation.id }, query: { limit: 100, before } },
        });
        if (!messages) break;
        const fresh = messages.messages.filter((m) => m.createdAt > since);
        missed.push(...fresh);
        if (fresh.length < messages.messages.length || !messages.nextCursor) break;
        before = messages.nextCursor;
      }
    }
    missed.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    for (const message of missed) deliver(message);
  }

  function onFrame(raw: string) {
    let frame: ChatServerFrame;
    try {
      frame = JSON.parse(raw) as ChatServerFrame;
    } catch {
      return;
    }
    switch (frame.type) {
      case 'message':
        deliver(frame.message);
        break;
      case 'ack': {
        unacked.delete(frame.clientId);
        const { type: _, ...ack } = frame;
        emit('ack', ack);
        deliver(frame.message);
        break;
      }
      case 'typing':
      case 'read':
      case 'error': {
        const { type, ...rest } = frame;
        emit(type, rest as never);
        break;
      }
    }
  }

  function scheduleReconnect() {
    const ceiling = Math.min(maxDelay, minDelay * 2 ** Math.min(failures, 16));
    failures++;
    timer = setTimeout(open, ceiling / 2 + (Math.random() * ceiling) / 2);
  }

  async function open() {
    timer = undefined;
    if (state === 'closed') return;
    let token = await session.accessToken();
    if (token && secondsLeft(token) < 30 && (await session.refreshAfter(token))) {
      token = await session.accessToken();
    }
    if (!token) {
      state = 'closed';
      emit('close', { code: 4001, reason: 'signed out', willReconnect: false });
      return;
    }
    const ws = new Socket(
      `${url}${url.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}`,
    );
    socket = ws;
    ws.onopen = () => {
      state = 'open';
      failures = 0;
      const reconnected = opened;
      opened = true;
      emit('open', { reconnected });
      for (const frame of unacked.values()) write(frame);
      const since = lastSeenAt ?? downSince;
      downSince = undefined;
      // A failed catch-up is not retried here: the next reconnect fetches from the same point.
      if (reconnected && since) catchUp(since).catch(() => {});
    };
    ws.onmessage = (event) => {
      if (typeof event.data === 'string') onFrame(event.data);
    };
    ws.onclose = (event) => {
      if (socket !== ws) return;
      socket = undefined;
      if (opened && !downSince) downSince = new Date().toISOString();
      const willReconnect = state !== 'closed';
      emit('close', { code: event.code, reason: event.reason, willReconnect });
      if (!willReconnect) return;
      state = 'connecting';
      scheduleReconnect();
    };
  }

  open();

  return {
    on(event, listener) {
      let set = listeners[event] as Set<typeof listener> | undefined;
      if (!set) {
        set = new Set();
        (listeners as Record<string, unknown>)[event] = set;
      }
      set.add(listener);
      return () => set.delete(listener);
    },
    sendMessage(conversationId, body, clientId = newKey()) {
      const frame: SendFrame = { action: 'sendMessage', conversationId, body, clientId };
      unacked.set(clientId, frame);
      write(frame);
      return clientId;
    },
    typing(conversationId) {
      write({ action: 'typing', conversationId });
    },
    markRead(conversationId) {
      write({ action: 'markRead', conversationId });
    },
    close() {
      state = 'closed';
      if (timer) clearTimeout(timer);
      socket?.close(1000, 'closed by the client');
    },
    get state() {
      return state;
    },
  };
}
