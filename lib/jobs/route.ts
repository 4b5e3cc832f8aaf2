import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { eq, sql } from 'drizzle-orm';
import * as z from 'zod/mini';
import { db, schema } from '#lib/db/index';
import { fromNow } from '#lib/db/interval';
import type { QStashDelivery } from '#lib/http/contract';
import { HttpError, unauthorized } from '#lib/http/errors';
import { ok, type Reply } from '#lib/http/reply';
import { route } from '#lib/http/route';
import { type JobName, type JobPayload, jobs } from '#lib/jobs/catalog';
import { jobContract } from '#lib/jobs/contracts';
import { PermanentJobError } from '#lib/jobs/errors';
import { verifyQStashSignature } from '#lib/jobs/verify';
import { logger } from '#lib/platform/log';
import { reportError, scrubError } from '#lib/platform/sentry';

const { processedJobs } = schema;

/** A job route's caller: a QStash delivery whose signature checks out (lib/jobs/verify.ts). */
const verifyQStash = async (event: APIGatewayProxyEventV2): Promise<QStashDelivery> => ({
  signatureId: await verifyQStashSignature(event),
});

/** Longer than any job's Lambda timeout: a claim older than this belongs to a dead run. */
const CLAIM_SECONDS = 120;

type Claim = 'claimed' | 'done' | 'busy';

async function claim(key: string, job: string): Promise<Claim> {
  const claimed = await db()
    .insert(processedJobs)
    .values({
      key,
      job,
      state: 'running',
      lockedUntil: fromNow(CLAIM_SECONDS),
    })
    .onConflictDoUpdate({
      target: processedJobs.key,
      set: { lockedUntil: fromNow(CLAIM_SECONDS) },
      setWhere: sql`${processedJobs.state} = 'running' and ${processedJobs.lockedUntil} < now()`,
    })
    .returning({ key: processedJobs.key });
  if (claimed.length > 0) return 'claimed';
  const [row] = await db()
    .select({ state: processedJobs.state })
    .from(processedJobs)
    .where(eq(processedJobs.key, key));
  return row?.state === 'done' ? 'done' : 'busy';
}

/**
 * Records a delivery's signature as used, once: a captured signature sent again (with any
 * Upstash-Message-Id) is refused before its job runs. Kept as a finished claim, so the
 * hourly cleanup forgets it with the rest, long after the signature has expired.
 */
async function useSignature(signatureId: string, job: string): Promise<boolean> {
  const used = await db()
    .insert(processedJobs)
    .values({ key: `signature:${signatureId}`, job, state: 'done', processedAt: sql`now()` })
    .onConflictDoNothing()
    .returning({ key: processedJobs.key });
  return used.length > 0;
}

const finish = (key: string) =>
  db()
    .update(processedJobs)
    .set({ state: 'done', processedAt: sql`now()`, lockedUntil: null })
    .where(eq(processedJobs.key, key));

const release = (key: string) => db().delete(processedJobs).where(eq(processedJobs.key, key));

/** QStash stops retrying on 489 with this header, and keeps the message in its DLQ. */
function nonRetryable(message: string): Reply<489, { error: { code: string; message: string } }> {
  return {
    status: 489,
    headers: { 'Upstash-NonRetryable-Error': 'true' },
    body: { error: { code: 'job_failed_permanently', message } },
  };
}

export interface JobContext {
  /** What makes this run unique: the job's own key, or QStash's message id. */
  key: string;
  event: APIGatewayProxyEventV2;
}

/**
 * The handler of one job route. The stack has checked the QStash signature (its contract's
 * auth is `qstash`). The job runs at most once in effect per key: a redelivery
 * of a finished job answers 200 and does nothing; one that arrives while another delivery
 * runs answers 409 so QStash tries again later.
 */
export function jobRoute<N extends JobName>(
  name: N,
  run: (payload: JobPayload<N>, context: JobContext) => Promise<unknown>,
  options: { key?: (payload: JobPayload<N>) => string } = {},
) {
  return route(
    jobContract(name),
    async ({ body, event, requestId, principal }) => {
      if (!(await useSignature(principal.signatureId, name))) {
        throw unauthorized('This QStash signature was already used.', 'signature_replayed');
      }
      const parsed = z.safeParse(jobs[name], body);
      if (!parsed.success) {
        const error = new PermanentJobError(
          `invalid ${name} payload: ${z.prettifyError(parsed.error)}`,
        );
        logger.error('job payload can never succeed', { job: name, error: scrubError(error) });
        await reportError(error, requestId).catch(() => {});
        return nonRetryable(`The ${name} payload is not valid.`);
      }
      const payload = parsed.data as JobPayload<N>;
      const messageId = event.headers['upstash-message-id'];
      // QStash always sends it; without it a delivery could not be told from its redelivery.
      if (!messageId && !options.key) {
        throw new HttpError(400, 'missing_message_id', 'Upstash-Message-Id is required.');
      }
      const key = options.key?.(payload) ?? `${name}:${messageId}`;

      const state = await claim(key, name);
      if (state === 'done') return ok({ status: 'duplicate', key });
      if (state === 'busy') {
        throw new HttpError(409, 'job_in_progress', 'Another delivery of this job is running.');
      }
      try {
        const result = await run(payload, { key, event });
        await finish(key);
        return ok({ status: 'done', key, result: result ?? null });
      } catch (error) {
        if (error instanceof PermanentJobError) {
          await finish(key);
          logger.error('job failed permanently', { job: name, key, error: scrubError(error) });
          await reportError(error, requestId).catch(() => {});
          return nonRetryable(error.message);
        }
        await release(key).catch(() => {});
        throw error;
      }
    },
    { authenticate: verifyQStash },
  );
}
