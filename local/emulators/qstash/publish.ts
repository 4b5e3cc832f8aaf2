/** What a publish, a batch entry or a schedule says about how to deliver: its Upstash-* headers. */
import { createHash } from 'node:crypto';
import type http from 'node:http';
import { badRequest, HttpError } from '#local/emulators/http';
import { compileRetryDelay, parseDuration } from '#local/emulators/qstash/durations';

export const DEFAULT_RETRIES = 3;

/**
 * How a callback is published, from the `Upstash-Callback-*` or `Upstash-Failure-Callback-*`
 * headers: the same settings as a publish, under the callback's prefix.
 */
export interface CallbackOptions {
  /** The `…-Forward-` headers, prefix removed. */
  header: Record<string, string>;
  retries?: number;
  retryDelay?: string;
  timeoutMs?: number;
  delayMs?: number;
}

/**
 * What a publish, batch entry or schedule says about how to deliver. Plain data (the retry
 * delay is kept as its expression), so the state file can hold it as it is.
 */
export interface DeliveryOptions {
  method: string;
  /** Headers for the destination: Content-Type and the `Upstash-Forward-` ones, prefix removed. */
  header: Record<string, string>;
  retries: number;
  /** An `Upstash-Retry-Delay` expression, already checked to compile. */
  retryDelay?: string;
  timeoutMs?: number;
  callback?: string;
  failureCallback?: string;
  callbackOptions?: CallbackOptions;
  failureCallbackOptions?: CallbackOptions;
  /** `Upstash-Label`; the SDK joins several with commas. */
  labels?: string[];
}

/** Go's canonical form, which QStash answers with: `x-report` becomes `X-Report`. */
export function canonicalHeaderName(name: string): string {
  return name.toLowerCase().replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => {
    return dash + c.toUpperCase();
  });
}

/** The `Upstash-Forward-*`, `-Retries`, `-Retry-Delay` and `-Timeout` headers under `prefix`. */
function readSettings(headers: Headers, prefix: string) {
  const forward = `${prefix}forward-`;
  const header: Record<string, string> = {};
  for (const [name, value] of headers) {
    if (name.startsWith(forward)) header[name.slice(forward.length)] = value;
  }
  const retriesText = headers.get(`${prefix}retries`);
  const retries = retriesText === null ? undefined : Number(retriesText);
  if (retries !== undefined && (!Number.isInteger(retries) || retries < 0)) {
    throw badRequest(`invalid ${canonicalHeaderName(`${prefix}retries`)}: ${retriesText}`);
  }
  const retryDelay = headers.get(`${prefix}retry-delay`) ?? undefined;
  if (retryDelay !== undefined) compileRetryDelay(retryDelay);
  const timeout = headers.get(`${prefix}timeout`);
  return {
    header,
    retries,
    retryDelay,
    timeoutMs: timeout === null ? undefined : parseDuration(timeout),
  };
}

/** A callback's own settings; undefined when no header under `prefix` names one. */
function readCallbackOptions(headers: Headers, prefix: string): CallbackOptions | undefined {
  if (![...headers.keys()].some((name) => name.startsWith(prefix))) return undefined;
  const delay = headers.get(`${prefix}delay`);
  return {
    ...readSettings(headers, prefix),
    ...(delay !== null && { delayMs: parseDuration(delay) }),
  };
}

/**
 * Delivery options from the request's headers. With `base` (a DLQ message being retried), a
 * header the request leaves out keeps the base's value, as QStash lets a retry override them.
 */
export function readDeliveryOptions(headers: Headers, base?: DeliveryOptions): DeliveryOptions {
  const own = readSettings(headers, 'upstash-');
  const contentType = headers.get('content-type');
  const callback = headers.get('upstash-callback') ?? base?.callback;
  const failureCallback = headers.get('upstash-failure-callback') ?? base?.failureCallback;
  if (callback !== undefined) parseDestination(callback);
  if (failureCallback !== undefined) parseDestination(failureCallback);
  const label = headers.get('upstash-label');
  const labels = label === null ? base?.labels : label.split(',').map((l) => l.trim());
  return {
    method: (headers.get('upstash-method') ?? base?.method ?? 'POST').toUpperCase(),
    header: {
      ...base?.header,
      ...(contentType !== null && { 'content-type': contentType }),
      ...own.header,
    },
    retries: own.retries ?? base?.retries ?? DEFAULT_RETRIES,
    retryDelay: own.retryDelay ?? base?.retryDelay,
    timeoutMs: own.timeoutMs ?? base?.timeoutMs,
    callback,
    failureCallback,
    callbackOptions: readCallbackOptions(headers, 'upstash-callback-') ?? base?.callbackOptions,
    failureCallbackOptions:
      readCallbackOptions(headers, 'upstash-failure-callback-') ?? base?.failureCallbackOptions,
    labels: labels?.filter((l) => l !== ''),
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

/** A header map as QStash's API answers it: canonical names, each with a list of values. */
export function multiValued(
  header: Record<string, string | string[] | undefined>,
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(header)) {
    if (value !== undefined)
      out[canonicalHeaderName(name)] = Array.isArray(value) ? value : [value];
  }
  return out;
}

/** `label` (the first) and `labels`, as QStash answers them; nothing when there are none. */
export function labelFields(labels: string[] | undefined) {
  return labels?.length ? { label: labels[0], labels } : {};
}

/** `body` when it is UTF-8, `bodyBase64` otherwise, as QStash answers a message's body. */
export function bodyFields(body: Buffer, name: 'body' | 'responseBody' = 'body') {
  try {
    return { [name]: new TextDecoder('utf-8', { fatal: true }).decode(body) };
  } catch {
    return { [`${name}Base64`]: body.toString('base64') };
  }
}

export function requestHeaders(req: http.IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  return headers;
}

/**
 * Publish and batch entries: delivery options plus delay, not-before and deduplication.
 * `base` is the DLQ message a retry republishes.
 */
export function preparePublish(
  rawDestination: string,
  headers: Headers,
  body: Buffer,
  base?: DeliveryOptions,
) {
  const url = parseDestination(rawDestination);
  const options = readDeliveryOptions(headers, base);
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
