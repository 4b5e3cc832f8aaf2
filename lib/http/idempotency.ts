import { createHash } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { and, eq, sql } from 'drizzle-orm';
import { db, schema } from '#lib/db/index';
import { ago, fromNow } from '#lib/db/interval';
import type { Principal } from '#lib/http/contract';
import { badRequest, HttpError } from '#lib/http/errors';
import type { Reply } from '#lib/http/reply';

const { idempotencyKeys } = schema;

/** How long an answer is kept for a retry, as Stripe and the IETF draft suggest. */
const KEEP_SECONDS = 24 * 60 * 60;
/** Longer than any route's timeout: a claim older than this belongs to a request that died. */
const CLAIM_SECONDS = 60;
const MAX_KEY_LENGTH = 255;

/** The `Idempotency-Key` header: required, 1 to 255 characters. */
export function idempotencyKeyOf(event: APIGatewayProxyEventV2): string {
  const key = event.headers['idempotency-key']?.trim();
  if (!key) {
    throw badRequest('idempotency_key_required', 'The Idempotency-Key header is required.', [
      {
        path: 'headers.Idempotency-Key',
        message: 'required: a unique value per request, like a UUID',
      },
    ]);
  }
  if (key.length > MAX_KEY_LENGTH) {
    throw badRequest('invalid_idempotency_key', 'The Idempotency-Key header is too long.', [
      { path: 'headers.Idempotency-Key', message: `at most ${MAX_KEY_LENGTH} characters` },
    ]);
  }
  return key;
}

interface Keyed {
  principal: Principal;
  event: APIGatewayProxyEventV2;
  /** The parsed body: what makes a retry the same request. */
  body: unknown;
}

/**
 * Runs a write once per caller and `Idempotency-Key`: a retry of the same request within
 * 24 hours gets the first answer again (with `Idempotent-Replayed: true`) and runs nothing;
 * the same key with another request is a 422; a retry while the first still runs is a 409.
 * Only a 2xx answer is kept: after a refusal the client may fix the cause and retry.
 */
export async function idempotent<R extends Reply>(
  { principal, event, body }: Keyed,
  run: () => Promise<R>,
): Promise<R> {
  const key = idempotencyKeyOf(event);
  const requestHash = createHash('sha256')
    .update(JSON.stringify([event.requestContext.http.method, event.rawPath, body ?? null]))
    .digest('hex');
  const where = and(
    eq(idempotencyKeys.role, principal.role),
    eq(idempotencyKeys.principalId, principal.id),
    eq(idempotencyKeys.key, key),
  );

  // Claimed when new, when its answer is older than a day, or when the claim of the same
  // request lapsed; decided by the one statement, so two racing requests cannot both win.
  const claimed = await db()
    .insert(idempotencyKeys)
    .values({
      role: principal.role,
      principalId: principal.id,
      key,
      requestHash,
      lockedUntil: fromNow(CLAIM_SECONDS),
    })
    .onConflictDoUpdate({
      target: [idempotencyKeys.role, idempotencyKeys.principalId, idempotencyKeys.key],
      set: {
        requestHash,
        state: 'running',
        lockedUntil: fromNow(CLAIM_SECONDS),
        responseStatus: null,
        responseBody: null,
        createdAt: sql`now()`,
      },
      setWhere: sql`${idempotencyKeys.createdAt} < ${ago(KEEP_SECONDS)} or (${idempotencyKeys.state} = 'running' and ${idempotencyKeys.lockedUntil} < now() and ${idempotencyKeys.requestHash} = ${requestHash})`,
    })
    .returning({ key: idempotencyKeys.key });

  if (claimed.length === 0) {
    const [first] = await db().select().from(idempotencyKeys).where(where);
    if (first && first.requestHash !== requestHash) {
      throw new HttpError(
        422,
        'idempotency_key_reused',
        'This Idempotency-Key was used for another request; use a new key for a new request.',
      );
    }
    if (first?.state === 'done' && first.responseStatus !== null) {
      return {
        status: first.responseStatus,
        body: first.responseBody,
        headers: { 'Idempotent-Replayed': 'true' },
      } as unknown as R;
    }
    throw new HttpError(
      409,
      'idempotency_key_in_use',
      'A request with this Idempotency-Key is still running; retry in a moment.',
      { headers: { 'Retry-After': '1' } },
    );
  }

  let reply: R;
  try {
    reply = await run();
  } catch (error) {
    await db()
      .delete(idempotencyKeys)
      .where(where)
      .catch(() => {});
    throw error;
  }
  if (reply.status >= 200 && reply.status < 300) {
    await db()
      .update(idempotencyKeys)
      .set({
        state: 'done',
        lockedUntil: null,
        responseStatus: reply.status,
        // Through JSON, so the kept body is exactly what the first caller received.
        responseBody: JSON.parse(JSON.stringify(reply.body ?? null)),
      })
      .where(where);
  } else {
    await db().delete(idempotencyKeys).where(where);
  }
  return reply;
}
