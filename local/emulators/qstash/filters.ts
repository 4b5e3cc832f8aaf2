/**
 * The filters bulk cancel and the DLQ endpoints take as query parameters, as the SDK sends
 * them: a repeated name matches any of its values, different names must all match.
 */
import { badRequest } from '#local/emulators/http';

/** What a filter can look at in a pending message or a DLQ message. */
export interface Filterable {
  messageId: string;
  url: string;
  createdAt: number;
  labels?: string[];
  scheduleId?: string;
  responseStatus?: number;
}

/** Query parameters that page or select rather than filter. */
const CONTROL = new Set(['count', 'cursor', 'order', 'dlqIds', 'messageIds', 'qstash_token']);

const MATCHERS: Record<string, (r: Filterable, values: string[]) => boolean> = {
  messageId: (r, v) => v.includes(r.messageId),
  url: (r, v) => v.includes(r.url),
  label: (r, v) => v.some((label) => r.labels?.includes(label)),
  scheduleId: (r, v) => r.scheduleId !== undefined && v.includes(r.scheduleId),
  responseStatus: (r, v) => v.includes(String(r.responseStatus)),
  host: (r, v) => v.includes(new URL(r.url).host) || v.includes(new URL(r.url).hostname),
  path: (r, v) => v.includes(new URL(r.url).pathname),
  fromDate: (r, v) => v.every((d) => r.createdAt >= Number(d)),
  toDate: (r, v) => v.every((d) => r.createdAt <= Number(d)),
  // Nothing here has a queue, URL group, flow-control key or caller IP, so nothing matches.
  queueName: () => false,
  topicName: () => false,
  flowControlKey: () => false,
  callerIp: () => false,
  // The SDK still sends it; QStash ignores it.
  api: () => true,
};

/**
 * A predicate for the filter in `query`, or undefined when it names none (everything). An
 * unknown name is refused: ignoring it would widen a bulk cancel to every message.
 */
export function parseFilter(query: URLSearchParams): ((r: Filterable) => boolean) | undefined {
  const tests: Array<(r: Filterable) => boolean> = [];
  for (const name of new Set(query.keys())) {
    if (CONTROL.has(name)) continue;
    const matcher = MATCHERS[name];
    if (!matcher) throw badRequest(`unknown filter: ${name}`);
    const values = query.getAll(name);
    tests.push((r) => matcher(r, values));
  }
  return tests.length ? (r) => tests.every((test) => test(r)) : undefined;
}

/** `count`: how many to list or act on in one call; QStash's default and ceiling is 100. */
export function pageSize(query: URLSearchParams): number {
  const text = query.get('count');
  if (text === null) return 100;
  const count = Number(text);
  if (!Number.isInteger(count) || count < 1) throw badRequest(`invalid count: ${text}`);
  return Math.min(count, 100);
}

/** Ids given in the query (`dlqIds=a&dlqIds=b`) or, as older SDKs send them, in a JSON body. */
export function idsFrom(query: URLSearchParams, body: Buffer, name: string): string[] | undefined {
  const inQuery = query.getAll(name);
  if (inQuery.length) return inQuery;
  const text = body.toString('utf8').trim();
  if (!text) return undefined;
  const parsed = (JSON.parse(text) ?? {}) as Record<string, unknown>;
  const ids = parsed[name];
  if (ids === undefined) return undefined;
  if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) {
    throw badRequest(`${name} must be a list of strings`);
  }
  return ids;
}
