import { FAILED_DELIVERY_MESSAGE } from '#lib/jobs/catalog';
import { jobRoute } from '#lib/jobs/route';
import { logger } from '#lib/platform/log';

/**
 * QStash's failure callback: one delivery of a job used up its retries or was refused for
 * good. Logs it once per failure for the alarm; the message itself waits in QStash's DLQ.
 */
export const handler = jobRoute('qstash-failed', async (failure) => {
  const job = new URL(failure.url, 'http://x').pathname.replace(/^\/jobs\//, '');
  logger.error(FAILED_DELIVERY_MESSAGE, {
    job,
    status: failure.status,
    sourceMessageId: failure.sourceMessageId,
    retried: failure.retried,
    dlqId: failure.dlqId,
  });
  return { job };
});
