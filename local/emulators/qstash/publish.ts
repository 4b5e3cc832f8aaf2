/** What a publish, a batch entry or a schedule says about how to deliver: its Upstash-* headers. */
import { createHash } from 'node:crypto';
import type http from 'node:http';
import { badRequest, HttpError } from '#local/emulators/http';
import {
  compileRetryDelay,
  parseDuration,
  type RetryDelay,
} from '#local/emulators/qstash/durations';

export const DEFAULT_RETRIES = 3;

/** What a publish, batch entry or schedule says about how to deliver. */
export interface DeliveryOptions {
  method: string;
  /** Headers for the destination: Content-Type and the `Upstash-Forward-` ones, prefix removed. */
  header: Record<string, string>;
  retries: number;
  retryDelay?: { expression: string; compute: RetryDelay };
  timeoutMs?: number;
  callback?: string;
  failureCallback?: string;
}

export function readDeliveryOptions(headers: Headers): DeliveryOptions {
  const header: Record<string, string> = {};
  for (const [name, value] of headers) {
    if (name.startsWith('upstash-forward-')) header[name.slice('upstash-forward-'.length)] = value;
    else if (name === 'content-type') header[name] = value;
  }
  const retriesText = headers.get('upstash-retries');
  const retries = retriesText === null ? DEFAULT_RETRIES : Number(retriesText);
  if (!Number.isInteger(retries) || retries < 0) {
    throw badRequest(`invalid Upstash-Retries: ${retriesText}`);
  }
  const retryDelay = headers.get('upstash-retry-delay');
  const timeout = headers.get('upstash-timeout');
  const callback = headers.get('upstash-callback');
  const failureCallback = headers.get('upstash-failure-callback');
  if (callback !== null) parseDestination(callback);
  if (failureCallback !== null) parseDestination(failureCallback);
  return {
    method: (headers.get('upstash-method') ?? 'POST').toUpperCase(),
    header,
    retries,
    ...(retryDelay !== null && {
      retryDelay: { expression: retryDelay, compute: compileRetryDelay(retryDelay) },
    }),
    ...(timeout !== null && { timeoutMs: parseDuration(timeout) }),
    ...(callback !== null && { callback }),
    ...(failureCallback !== null && { failureCallback }),
  };
}

/** Destinations must be http(s) URLs here: URL groups and APIs are not emulated. */
export function parseDestination(raw: string): string {
  const decoded = /^https?%3A/i.test(raw) ? decodeURIComponent(raw) : raw;
  let url: URL;
  try {
    url = new URL(decoded);
  } catch {
    throw new HttpError(
      501,
      `local QStash delivers to URLs only; URL groups and APIs are not emulated: ${raw}`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw badRequest(`destination must be an http(s) URL: ${raw}`);
  }
  return decoded;
}

export function multiValued(header: Record<string, string>): Record<string, string[]> {
  return Object.fromEntries(Object.entries(header).map(([k, v]) => [k, [v]]));
}

export function requestHeaders(req: http.IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  return headers;
}

/** Publish and batch entries: delivery options plus delay, not-before and deduplication. */
export function preparePublish(rawDestination: string, headers: Headers, body: Buffer) {
  const url = parseDestination(rawDestination);
  const options = readDeliveryOptions(headers);
  const notBeforeText = headers.get('upstash-not-before');
  const delay = headers.get('upstash-delay');
  let notBefore = Date.now();
  // As in QStash, Upstash-Not-Before wins over Upstash-Delay.
  if (notBeforeText !== null) {
    if (!/^\d+$/.test(notBeforeText))
      throw badRequest(`invalid Upstash-Not-Before: ${notBeforeText}`);
    notBefore = Number(notBeforeText) * 1000;
  } else if (delay !== null) {
    notBefore += parseDuration(delay);
  }
  let deduplicationKey = headers.get('upstash-deduplication-id') ?? undefined;
  if (!deduplicationKey && headers.get('upstash-content-based-deduplication') === 'true') {
    const hash = createHash('sha256').update(url).update('\0');
    for (const [name, value] of Object.entries(options.header).sort()) {
      hash.update(`${name}:${value}\0`);
    }
    deduplicationKey = `content:${hash.update(body).digest('hex')}`;
  }
  return { url, body, options, notBefore, ...(deduplicationKey && { deduplicationKey }) };
}
