import { HttpError } from '#lib/http/errors';

/** A job that can never succeed (bad payload, refused by the provider): do not retry. */
export class PermanentJobError extends Error {}

/** A job that failed for now (provider down, rate limited): QStash retries it. */
export const retryLater = (message: string) => new HttpError(503, 'job_retry', message);
