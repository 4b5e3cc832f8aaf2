import { Client } from '@upstash/qstash';
import * as z from 'zod/mini';
import {
  FAILURE_CALLBACK_JOB,
  type JobName,
  type JobPayload,
  jobPath,
  jobs,
} from '#lib/jobs/catalog';
import { config } from '#lib/platform/config';

let client: Client | undefined;

export function qstash(): Client {
  if (!config.QSTASH_TOKEN) throw new Error('QSTASH_TOKEN is not set: jobs cannot be enqueued');
  client ??= new Client({
    baseUrl: config.QSTASH_URL,
    token: config.QSTASH_TOKEN,
    devMode: false,
    enableTelemetry: false,
    retry: { retries: 2, backoff: (n) => 50 * 2 ** n },
  });
  return client;
}

export interface EnqueueOptions {
  /** Seconds to wait before the first delivery. */
  delay?: number;
  /** Unix time (seconds) before which the job is not delivered. */
  notBefore?: number;
  /** Publishing twice with the same id within QStash's window delivers once. */
  deduplicationId?: string;
  /** A name for the messages of one purpose, so `cancelJobs(label)` can drop them together. */
  label?: string;
}

/** Publishes a job to QStash, which calls the job's route back with a signed request. */
export async function enqueue<N extends JobName>(
  name: N,
  payload: JobPayload<N>,
  options: EnqueueOptions = {},
): Promise<string> {
  const body = z.parse(jobs[name], payload);
  const result = await qstash().publishJSON({
    url: `${config.PUBLIC_API_URL}${jobPath(name)}`,
    body,
    retries: 3,
    // A delivery that fails for good is reported to the failure-callback job, which the
    // failed-deliveries alarm counts; that job's own failures are not reported again.
    ...(name !== FAILURE_CALLBACK_JOB
      ? { failureCallback: `${config.PUBLIC_API_URL}${jobPath(FAILURE_CALLBACK_JOB)}` }
      : {}),
    ...(options.delay !== undefined ? { delay: options.delay } : {}),
    ...(options.notBefore !== undefined ? { notBefore: options.notBefore } : {}),
    ...(options.deduplicationId ? { deduplicationId: options.deduplicationId } : {}),
    ...(options.label ? { label: options.label } : {}),
  });
  return result.messageId;
}

/** Cancels every message with `label` that QStash has not delivered yet; how many it dropped. */
export async function cancelJobs(label: string): Promise<number> {
  const { cancelled } = await qstash().messages.cancel({ filter: { label } });
  return cancelled;
}
