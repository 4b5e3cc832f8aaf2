import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import * as z from 'zod/mini';
import { errorBody, type Responses } from '#lib/http/contract';

/** What the check needs of a route: its contract's answers. */
export interface Answering {
  readonly method: string;
  readonly path: string;
  readonly responses: Responses;
}

/** A response as the gateway is about to send it (header names in any case). */
export interface SentResponse {
  statusCode: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

const MAX_ISSUES = 5;

const header = (response: SentResponse, name: string): string | undefined => {
  for (const [k, v] of Object.entries(response.headers)) {
    if (k.toLowerCase() === name) return Array.isArray(v) ? v.join(',') : v;
  }
  return undefined;
};

/** The body as the client reads it: br, gzip and deflate undone. Throws on another encoding. */
export function decodedBody(response: SentResponse): Buffer {
  const encoding = header(response, 'content-encoding')?.trim().toLowerCase();
  if (!encoding || encoding === 'identity' || response.body.length === 0) return response.body;
  if (encoding === 'br') return brotliDecompressSync(response.body);
  if (encoding === 'gzip' || encoding === 'x-gzip') return gunzipSync(response.body);
  if (encoding === 'deflate') return inflateSync(response.body);
  throw new Error(`an unknown content-encoding ${encoding}`);
}

/**
 * Why a response breaks what the API promises, or [] when it keeps it. With a route: its
 * status must be one the contract declares, with that status's body (none for `null`);
 * an undeclared status of 400 or more must be the error envelope. Without one (the
 * gateway's own refusals of what no route serves) only the envelope rule applies. A 401
 * must name how to authenticate (WWW-Authenticate, RFC 9110's MUST), a 429 when to come
 * back (Retry-After, in seconds), and a 503 that says when says it in seconds too.
 */
export function responseProblems(route: Answering | undefined, response: SentResponse): string[] {
  const status = response.statusCode;
  let schema: z.core.$ZodType | null;
  if (route && status in route.responses) schema = route.responses[status] ?? null;
  else if (status >= 400) schema = errorBody;
  else if (route) {
    const declared = Object.keys(route.responses).join(', ');
    return [`status ${status} is not one its contract declares (${declared}, or an error)`];
  } else return [];

  const problems: string[] = [];
  const retryAfter = header(response, 'retry-after');
  if (status === 401 && header(response, 'www-authenticate') === undefined)
    problems.push('a 401 without WWW-Authenticate');
  if (status === 429 && retryAfter === undefined) problems.push('a 429 without Retry-After');
  if ((status === 429 || status === 503) && retryAfter !== undefined) {
    if (!/^[1-9]\d*$/.test(retryAfter.trim()))
      problems.push(`Retry-After "${retryAfter}" is not a whole number of seconds`);
  }

  let body: Buffer;
  try {
    body = decodedBody(response);
  } catch (error) {
    return [...problems, `the body does not decode: ${(error as Error).message}`];
  }
  if (schema === null) {
    if (body.length > 0) problems.push(`a ${body.length}-byte body; its contract declares none`);
    return problems;
  }
  if (body.length === 0) return [...problems, 'no body; its contract declares one'];
  if (!/json/i.test(header(response, 'content-type') ?? '')) {
    problems.push(`content-type ${header(response, 'content-type') ?? 'missing'}, not JSON`);
  }
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    return [...problems, `a body that is not JSON: ${body.toString('utf8').slice(0, 80)}`];
  }
  const result = z.safeParse(schema, json);
  if (!result.success) {
    const issues = result.error.issues
      .slice(0, MAX_ISSUES)
      .map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
    const more = result.error.issues.length - issues.length;
    const what = schema === errorBody ? 'is not the error envelope' : 'does not match its schema';
    problems.push(
      `the body ${what} (${issues.join('; ')}${more > 0 ? `; ${more} more` : ''}): ${body.toString('utf8').slice(0, 200)}`,
    );
  }
  return problems;
}

/** The tally of one gateway's checks: how many responses, and the ones that broke their contract. */
export interface ResponseChecks {
  readonly checked: number;
  readonly violations: readonly string[];
}
