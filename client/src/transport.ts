/**
 * The fetch the client hands to openapi-fetch: per-attempt timeouts, one AbortSignal for all
 * attempts, the retries the original platform's `fetchWithRetry` made safe (GET, HEAD and
 * OPTIONS on 5xx and network errors), `Retry-After`, an `Idempotency-Key` on the operations
 * that take one (so a POST to bookings may be retried too), and a bearer token with one shared
 * refresh on 401. Only web APIs: fetch, Headers, Response, AbortController, setTimeout.
 */
import { idempotentOperations } from './openapi.js';
import type { Session } from './session.js';

export interface RetryOptions {
  /** Waits before the retries, before jitter (default 1 s, 2 s, 4 s: three retries). */
  delaysMs?: readonly number[];
  /** Each wait is the delay times 1 ± jitter (default 0.2). */
  jitter?: number;
  /** A `Retry-After` longer than this is not waited for: the response is returned (default 60 s). */
  maxRetryAfterMs?: number;
}

export interface TransportOptions {
  fetch: typeof globalThis.fetch;
  /** Each attempt's limit, headers and body (default 15 s, for 3G). */
  timeoutMs: number;
  retry: Required<RetryOptions>;
  session: Session;
}

/** An attempt that took longer than `timeoutMs`. */
export class TimeoutError extends Error {
  override name = 'TimeoutError';
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Statuses whose response has no body; `new Response(body, {status})` refuses one. */
const NULL_BODY = new Set([101, 204, 205, 304]);
const AUTH_PATHS = /\/auth\/(otp\/|refresh|logout)/;

/** `POST /bookings/{id}/cancel` as a pattern of the paths it matches. */
const templates = idempotentOperations.map((op) => {
  const [method, path = ''] = op.split(' ');
  const pattern = path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+');
  return { method, regex: new RegExp(`${pattern}$`) };
});

const takesIdempotencyKey = (method: string, pathname: string) =>
  templates.some((t) => t.method === method && t.regex.test(pathname));

/** A random id (a UUID where the platform has one): Idempotency-Keys and chat clientIds. */
export function newKey(): string {
  const c = globalThis.crypto;
  if (c?.randomUUID) return c.randomUUID();
  const bytes = new Uint8Array(16);
  if (c?.getRandomValues) c.getRandomValues(bytes);
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Seconds or an HTTP date, as milliseconds from now; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function sleep(ms: number, signal: AbortSignal | null): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** One attempt, headers and body within `timeoutMs`; the caller's signal cancels it too. */
async function attempt(
  options: TransportOptions,
  url: string,
  init: RequestInit,
  signal: AbortSignal | null,
): Promise<Response> {
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal?.reason);
  if (signal?.aborted) onAbort();
  signal?.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(
    () => controller.abort(new TimeoutError(`no answer in ${options.timeoutMs} ms`)),
    options.timeoutMs,
  );
  try {
    const response = await options.fetch(url, { ...init, signal: controller.signal });
    const body = NULL_BODY.has(response.status) ? null : await response.arrayBuffer();
    return new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  } catch (error) {
    // fetch rejects with a generic AbortError; say why.
    throw controller.signal.aborted ? (controller.signal.reason ?? error) : error;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

export function createTransport(options: TransportOptions) {
  const { retry, session } = options;

  /** How long to wait before the next attempt, or undefined to stop here. */
  function nextWait(
    retries: number,
    retryable: boolean,
    response: Response | undefined,
  ): number | undefined {
    if (!retryable || retries >= retry.delaysMs.length) return undefined;
    const base = retry.delaysMs[retries] ?? 0;
    const backoff = base * (1 - retry.jitter + Math.random() * 2 * retry.jitter);
    if (!response) return backoff;
    if (response.status === 429 || response.status === 503) {
      const asked = retryAfterMs(response.headers.get('Retry-After'));
      if (asked !== undefined) return asked <= retry.maxRetryAfterMs ? asked : undefined;
    }
    return response.status >= 500 ? backoff : undefined;
  }

  return async function transport(request: Request): Promise<Response> {
    const url = request.url;
    const { pathname } = new URL(url);
    const method = request.method.toUpperCase();
    const body = request.body ? await request.arrayBuffer() : undefined;
    const headers = new Headers(request.headers);
    if (takesIdempotencyKey(method, pathname) && !headers.has('Idempotency-Key')) {
      headers.set('Idempotency-Key', newKey());
    }
    const retryable = SAFE_METHODS.has(method) || headers.has('Idempotency-Key');
    const ownAuthorization = headers.has('Authorization');
    const signal = request.signal ?? null;
    const init: RequestInit = { method, headers, redirect: request.redirect };
    if (body !== undefined) init.body = body;

    let replayed = false;
    for (let retries = 0; ; ) {
      const token = ownAuthorization ? undefined : await session.accessToken();
      if (token) headers.set('Authorization', `Bearer ${token}`);
      let response: Response | undefined;
      let failure: unknown;
      try {
        response = await attempt(options, url, init, signal);
      } catch (error) {
        if (signal?.aborted) throw signal.reason ?? error;
        failure = error;
      }
      if (
        response?.status === 401 &&
        token &&
        !replayed &&
        !AUTH_PATHS.test(pathname) &&
        (await session.refreshAfter(token))
      ) {
        replayed = true;
        continue;
      }
      const wait = nextWait(retries, retryable, response);
      if (wait === undefined) {
        if (response) {
          await session.observe(pathname, method, response);
          return response;
        }
        throw failure;
      }
      retries++;
      await sleep(wait, signal);
    }
  };
}
