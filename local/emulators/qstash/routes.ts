/**
 * The REST API the `@upstash/qstash` Client calls: publish, batch, schedules, messages, DLQ
 * and keys. The rest answers 501, so a caller notices instead of silently losing messages.
 */
import type http from 'node:http';
import { badRequest, HttpError, readBody, sendJson } from '#local/emulators/http';
import type { MessageData, Queue } from '#local/emulators/qstash/delivery';
import type { DeadLetter, Dlq, Page } from '#local/emulators/qstash/dlq';
import { idsFrom, pageSize, parseFilter } from '#local/emulators/qstash/filters';
import {
  bodyFields,
  labelFields,
  multiValued,
  preparePublish,
  requestHeaders,
} from '#local/emulators/qstash/publish';
import type { Schedules } from '#local/emulators/qstash/schedules';

export interface QStashApi {
  token: string;
  keys: { current: string; next: string };
  queue: Queue;
  schedules: Schedules;
  dlq: Dlq;
}

/** A pending message as `GET /v2/messages/{id}` answers it. */
function messageJson(message: MessageData) {
  return {
    messageId: message.messageId,
    url: message.url,
    method: message.method,
    header: multiValued(message.header),
    ...bodyFields(message.body),
    maxRetries: message.retries,
    notBefore: message.notBefore,
    createdAt: message.createdAt,
    ...(message.callback && { callback: message.callback }),
    ...(message.failureCallback && { failureCallback: message.failureCallback }),
    ...(message.scheduleId && { scheduleId: message.scheduleId }),
    ...(message.retryDelay && { retryDelayExpression: message.retryDelay }),
    ...labelFields(message.labels),
  };
}

/** A DLQ message: the message as it was, and the last answer it got. */
function deadLetterJson(entry: DeadLetter) {
  return {
    ...messageJson(entry.message),
    dlqId: entry.dlqId,
    // Not in QStash's documented answer: how many retries were made, for local debugging.
    retried: entry.message.retried,
    ...(entry.responseStatus !== undefined && { responseStatus: entry.responseStatus }),
    responseHeader: entry.responseHeader,
    ...bodyFields(entry.responseBody, 'responseBody'),
  };
}

/**
 * The DLQ messages a list or bulk request names: its `dlqIds`, or one page of those its
 * filter (or, with none, `all: true`) selects.
 */
function selectDeadLetters(api: QStashApi, query: URLSearchParams, body: Buffer): Page {
  const ids = idsFrom(query, body, 'dlqIds');
  if (ids) return { entries: api.dlq.pick(ids) };
  return api.dlq.page(parseFilter(query), {
    count: pageSize(query),
    cursor: query.get('cursor'),
    latestFirst: query.get('order') === 'latestFirst',
  });
}

/** Publishes a DLQ message again; headers on the retry request override its settings. */
function retryDeadLetter(api: QStashApi, entry: DeadLetter, headers: Headers) {
  const { message } = entry;
  const republished = api.queue.enqueue({
    ...preparePublish(message.url, headers, message.body, message),
    ...(message.scheduleId && { scheduleId: message.scheduleId }),
  });
  api.dlq.remove([entry.dlqId]);
  return {
    messageId: republished.messageId,
    ...(republished.deduplicated && { deduplicated: true }),
  };
}

export async function route(
  api: QStashApi,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  const raw = req.url ?? '/';
  const query = new URL(raw, 'http://local').searchParams;
  const authorization = req.headers.authorization;
  if (authorization !== `Bearer ${api.token}` && query.get('qstash_token') !== api.token) {
    throw new HttpError(401, 'Unauthorized');
  }
  const method = req.method ?? 'GET';
  const path = raw.split('?')[0] ?? '';
  // The destination URL is the rest of the raw path, its own query string included.
  const destinationAfter = (prefix: string) => {
    const rest = raw.slice(prefix.length);
    if (!query.has('qstash_token')) return rest;
    return rest.replace(/([?&])qstash_token=[^&]*&?/, '$1').replace(/[?&]$/, '');
  };
  const segments = path.split('/').slice(1).map(decodeURIComponent);

  if (method === 'POST' && path.startsWith('/v2/publish/')) {
    const body = await readBody(req);
    const result = api.queue.enqueue(
      preparePublish(destinationAfter('/v2/publish/'), requestHeaders(req), body),
    );
    return sendJson(res, result.deduplicated ? 202 : 201, result);
  }
  if (method === 'POST' && path === '/v2/batch') {
    const entries: unknown = JSON.parse((await readBody(req)).toString('utf8') || 'null');
    if (!Array.isArray(entries)) throw badRequest('batch body must be a JSON array');
    // Every entry is validated before any is accepted, so a bad entry rejects the whole batch.
    const prepared = entries.map((entry: unknown) => {
      const e = (entry ?? {}) as {
        destination?: unknown;
        headers?: unknown;
        body?: unknown;
        queue?: unknown;
      };
      if (typeof e.destination !== 'string') throw badRequest('batch entry needs a destination');
      if (e.queue !== undefined)
        throw new HttpError(501, 'queues are not emulated by local QStash');
      const headers = new Headers((e.headers ?? {}) as Record<string, string>);
      const body = Buffer.from(typeof e.body === 'string' ? e.body : '', 'utf8');
      return preparePublish(e.destination, headers, body);
    });
    return sendJson(res, 201, prepared.map(api.queue.enqueue));
  }
  if (method === 'GET' && path === '/v2/keys') {
    return sendJson(res, 200, api.keys);
  }
  if (segments[0] === 'v2' && segments[1] === 'schedules') {
    if (method === 'GET' && segments.length === 2) {
      return sendJson(res, 200, api.schedules.list().map(api.schedules.toJson));
    }
    const id = segments[2];
    const action = segments[3];
    const isAction = segments.length === 4 && (action === 'pause' || action === 'resume');
    if (method === 'POST' && segments.length > 2 && !isAction) {
      const body = await readBody(req);
      return sendJson(
        res,
        201,
        api.schedules.upsert(destinationAfter('/v2/schedules/'), requestHeaders(req), body),
      );
    }
    if (id && segments.length === 3 && method === 'GET') {
      return sendJson(res, 200, api.schedules.toJson(api.schedules.find(id)));
    }
    if (id && segments.length === 3 && method === 'DELETE') {
      api.schedules.remove(id);
      return sendJson(res, 200);
    }
    if (id && isAction && (method === 'PATCH' || method === 'POST')) {
      api.schedules.setPaused(id, action === 'pause');
      return sendJson(res, 200);
    }
  }
  if (method === 'DELETE' && path === '/v2/messages') {
    // Ids, else a filter, else every pending message, as QStash does; `count` is ignored.
    const ids = idsFrom(query, await readBody(req), 'messageIds');
    const match = parseFilter(query);
    const chosen = ids
      ? ids.flatMap((id) => api.queue.get(id) ?? [])
      : api.queue.pending().filter((m) => !match || match(m));
    for (const message of chosen) api.queue.cancel(message);
    return sendJson(res, 200, { cancelled: chosen.length });
  }
  if (segments[0] === 'v2' && segments[1] === 'messages' && segments.length === 3) {
    const id = segments[2] ?? '';
    const message = api.queue.get(id);
    if (!message) throw new HttpError(404, `message not found: ${id}`);
    if (method === 'GET') return sendJson(res, 200, messageJson(message));
    if (method === 'DELETE') {
      api.queue.cancel(message);
      return sendJson(res, 200, { cancelled: 1 });
    }
  }
  if (segments[0] === 'v2' && segments[1] === 'dlq') {
    const id = segments[2];
    if (method === 'GET' && segments.length === 2) {
      const { entries, cursor } = selectDeadLetters(api, query, await readBody(req));
      return sendJson(res, 200, { messages: entries.map(deadLetterJson), cursor });
    }
    if (method === 'DELETE' && segments.length === 2) {
      const { entries, cursor } = selectDeadLetters(api, query, await readBody(req));
      return sendJson(res, 200, { deleted: api.dlq.remove(entries.map((e) => e.dlqId)), cursor });
    }
    if (method === 'POST' && id === 'retry' && segments.length <= 4) {
      const headers = requestHeaders(req);
      const single = segments[3];
      if (single) return sendJson(res, 200, retryDeadLetter(api, api.dlq.find(single), headers));
      const { entries, cursor } = selectDeadLetters(api, query, await readBody(req));
      const responses = entries.map((entry) => retryDeadLetter(api, entry, headers));
      return sendJson(res, 200, { responses, cursor });
    }
    if (id && segments.length === 3 && method === 'GET') {
      return sendJson(res, 200, deadLetterJson(api.dlq.find(id)));
    }
    if (id && segments.length === 3 && method === 'DELETE') {
      api.dlq.remove([api.dlq.find(id).dlqId]);
      return sendJson(res, 200);
    }
  }
  throw new HttpError(
    /^\/v2\/(enqueue|queues|topics|flowControl|globalParallelism|logs|events|workflows)\b/.test(
      path,
    )
      ? 501
      : 404,
    `${method} ${path} is not emulated by local QStash`,
  );
}
