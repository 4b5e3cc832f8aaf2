/**
 * The caller's tokens: what sign-in and refresh answered, or what the app stored from a
 * previous run (`getAccessToken`, `getRefreshToken`). Refresh tokens rotate and a refresh
 * token used twice revokes the whole sign-in, so every call that meets a 401 waits on the
 * same refresh, and a call whose token is already replaced replays without refreshing.
 */
import type { AuthVerifyOtp200 } from './openapi.js';

export type Tokens = AuthVerifyOtp200;
type Maybe<T> = T | null | undefined;
type MaybePromise<T> = T | Promise<T>;

export interface SessionOptions {
  baseUrl: string;
  fetch: typeof globalThis.fetch;
  timeoutMs: number;
  getAccessToken?: () => MaybePromise<Maybe<string>>;
  getRefreshToken?: () => MaybePromise<Maybe<string>>;
  /** New tokens after a sign-in or a refresh; `null` once they are gone (sign-out, refused refresh). */
  onTokens?: (tokens: Tokens | null) => MaybePromise<void>;
}

export interface Session {
  accessToken(): Promise<string | undefined>;
  /** Refreshes once for everyone holding `staleToken`; true when a new token is there to use. */
  refreshAfter(staleToken: string): Promise<boolean>;
  /** Keeps the tokens a sign-in or refresh answered; forgets them on sign-out. */
  observe(pathname: string, method: string, response: Response): Promise<void>;
  /** How many refreshes this client has sent. */
  readonly refreshes: number;
}

export function createSession(options: SessionOptions): Session {
  // undefined: not known yet (ask the app); null: signed out.
  let tokens: Tokens | null | undefined;
  let refreshing: Promise<boolean> | undefined;
  let refreshes = 0;

  async function set(next: Tokens | null) {
    tokens = next;
    await options.onTokens?.(next);
  }

  async function accessToken() {
    if (tokens !== undefined) return tokens?.accessToken;
    return (await options.getAccessToken?.()) ?? undefined;
  }

  async function refresh(): Promise<boolean> {
    const refreshToken =
      tokens !== undefined ? tokens?.refreshToken : await options.getRefreshToken?.();
    if (!refreshToken) return false;
    refreshes++;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), options.timeoutMs);
    try {
      // Never retried: a lost answer to a refresh that rotated would leave the token used.
      const response = await options.fetch(`${options.baseUrl}/auth/refresh`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ refreshToken }),
        signal: controller.signal,
      });
      if (response.ok) {
        await set((await response.json()) as Tokens);
        return true;
      }
      if (response.status === 401) await set(null);
      return false;
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    accessToken,
    async refreshAfter(staleToken) {
      const current = await accessToken();
      if (current && current !== staleToken) return true;
      refreshing ??= refresh().finally(() => {
        refreshing = undefined;
      });
      return refreshing;
    },
    async observe(pathname, method, response) {
      if (method !== 'POST' || !response.ok) return;
      if (/\/auth\/(otp\/verify|refresh)$/.test(pathname)) {
        await set((await response.clone().json()) as Tokens);
      } else if (pathname.endsWith('/auth/logout')) {
        await set(null);
      }
    },
    get refreshes() {
      return refreshes;
    },
  };
}
