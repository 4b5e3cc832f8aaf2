/**
 * The marketplace API's client: openapi-fetch's typed `GET`/`POST`/... over a transport that
 * retries only what is safe to retry, times out each attempt, and refreshes the sign-in once
 * for every call that meets a 401; and `chat.connect()` for the WebSocket API.
 */
import createFetchClient, { type Client } from 'openapi-fetch';
import { type ChatConnection, type ChatOptions, connectChat } from './chat.js';
import type { paths } from './openapi.js';
import { createSession, type SessionOptions } from './session.js';
import { createTransport, type RetryOptions } from './transport.js';

export type { ChatConnection, ChatEvents, ChatMessage, ChatOptions } from './chat.js';
export type * from './openapi.js';
export type { Tokens } from './session.js';
export { retryAfterMs, TimeoutError } from './transport.js';

export interface ClientOptions {
  /** The HTTP API's URL, e.g. `https://api.example.com` or `http://127.0.0.1:3000`. */
  baseUrl: string;
  /** The WebSocket API's URL, for `chat.connect()`. */
  wsUrl?: string;
  /** Default: the global fetch (browsers, React Native, Node 18+). */
  fetch?: typeof globalThis.fetch;
  /** Tokens the app stored from an earlier run; after that the client keeps what it is given. */
  getAccessToken?: SessionOptions['getAccessToken'];
  getRefreshToken?: SessionOptions['getRefreshToken'];
  /** Called with new tokens after a sign-in or refresh (store them), `null` after sign-out. */
  onTokens?: SessionOptions['onTokens'];
  /** Each attempt's limit in ms, headers and body (default 15 000). */
  timeoutMs?: number;
  retry?: RetryOptions;
}

export interface MarketplaceClient extends Client<paths> {
  chat: { connect(options?: ChatOptions): ChatConnection };
  /** How many token refreshes this client has sent. */
  readonly refreshes: number;
}

export function createClient(options: ClientOptions): MarketplaceClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const baseFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const timeoutMs = options.timeoutMs ?? 15_000;
  const session = createSession({
    baseUrl,
    fetch: baseFetch,
    timeoutMs,
    getAccessToken: options.getAccessToken,
    getRefreshToken: options.getRefreshToken,
    onTokens: options.onTokens,
  });
  const transport = createTransport({
    fetch: baseFetch,
    timeoutMs,
    session,
    retry: {
      delaysMs: options.retry?.delaysMs ?? [1000, 2000, 4000],
      jitter: options.retry?.jitter ?? 0.2,
      maxRetryAfterMs: options.retry?.maxRetryAfterMs ?? 60_000,
    },
  });
  const http = createFetchClient<paths>({ baseUrl, fetch: transport });
  const chat = {
    connect: (chatOptions?: ChatOptions) =>
      connectChat(http, session, { url: options.wsUrl }, chatOptions),
  };
  return Object.defineProperties(http as MarketplaceClient, {
    chat: { value: chat, enumerable: true },
    refreshes: { get: () => session.refreshes, enumerable: true },
  });
}
