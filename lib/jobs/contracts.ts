import * as z from 'zod/mini';
import { contract, errorBody, qstash } from '#lib/http/contract';
import { jobNames, jobPath, jobUses } from '#lib/jobs/catalog';

/** What a delivery answers: done now, or done before (a redelivery, which does nothing). */
const jobResult = z.strictObject({
  status: z.enum(['done', 'duplicate']),
  key: z.string(),
  result: z.optional(z.unknown()),
});

/** One route per job of the catalogue, called by QStash with a signed request. */
export const jobContracts = jobNames.map((job) =>
  contract({
    method: 'POST',
    path: jobPath(job),
    fn: `jobs/${job}`,
    auth: qstash,
    uses: jobUses[job] ?? [],
    memory: 256,
    timeout: 30,
    description: `Background job ${job}, called by QStash`,
    // The payload is checked by the job's own schema (jobRoute), so a bad one is a 489
    // that QStash does not retry, not a 400 that it would.
    body: z.unknown(),
    // 489 with Upstash-NonRetryable-Error: a job that can never succeed.
    responses: { 200: jobResult, 489: errorBody },
  }),
);

/** The contract of one job's route. */
export const jobContract = (job: (typeof jobNames)[number]) => {
  const found = jobContracts.find((c) => c.path === jobPath(job));
  if (!found) throw new Error(`no route for job ${job}`);
  return found;
};
