import * as z from 'zod/mini';
import { roles } from '#lib/auth/roles';
import type { Use } from '#lib/http/contract';

const e164 = z
  .string()
  .check(z.regex(/^\+[1-9]\d{7,14}$/, 'an E.164 phone number, like +2348012345678'));

/**
 * Every background job and the payload it takes. `enqueue` validates with the same
 * schema before publishing, and the job's route validates again on delivery.
 */
export const jobs = {
  cleanup: z.strictObject({}),
  'send-email': z.strictObject({
    to: z.email(),
    subject: z.string().check(z.minLength(1), z.maxLength(200)),
    text: z.string().check(z.minLength(1), z.maxLength(20_000)),
  }),
  /** An admin's sign-in code: sent only if the address is a known admin's. */
  'send-admin-code': z.strictObject({
    email: z.email(),
    code: z.string().check(z.regex(/^\d{6}$/)),
  }),
  'send-sms': z.strictObject({
    to: e164,
    text: z.string().check(z.minLength(1), z.maxLength(640)),
  }),
  'send-push': z.strictObject({
    role: z.enum(roles),
    principalId: z.uuid(),
    title: z.string().check(z.minLength(1), z.maxLength(100)),
    body: z.string().check(z.minLength(1), z.maxLength(500)),
    data: z.optional(z.record(z.string(), z.string())),
  }),
  /** A booking's deadline: the payment window or the host's answer; it expires if still due. */
  'booking-deadline': z.strictObject({
    bookingId: z.uuid(),
    status: z.enum(['pending_payment', 'requested']),
  }),
  /** Gives a booking's refund back, once, whatever the redeliveries. */
  'refund-booking': z.strictObject({ bookingId: z.uuid() }),
  /** Pays a host for one stay, once: due a day after check-in. */
  'pay-host': z.strictObject({ payoutId: z.uuid() }),
  /** Hourly: confirmed stays past their check-out become completed. */
  'complete-stays': z.strictObject({}),
  /** Hourly: asks Paystack about transfers pending for over an hour. */
  'reconcile-payouts': z.strictObject({}),
  /** Publishes a stay's reviews when the review window closes. */
  'publish-reviews': z.strictObject({ bookingId: z.uuid() }),
  /**
   * QStash's failure callback: a delivery of another job that used up its retries (or was
   * refused for good with 489). QStash's own body, of which we read these fields.
   */
  'qstash-failed': z.looseObject({
    status: z.number().check(z.int()),
    sourceMessageId: z.string(),
    url: z.string(),
    retried: z.optional(z.number().check(z.int())),
    maxRetries: z.optional(z.number().check(z.int())),
    dlqId: z.optional(z.string()),
  }),
} as const;

export type JobName = keyof typeof jobs;
export type JobPayload<N extends JobName> = z.output<(typeof jobs)[N]>;

export const jobNames = Object.keys(jobs) as JobName[];

/** The route a job is delivered to; the route table lists one per job. */
export const jobPath = (name: JobName) => `/jobs/${name}`;

/** The job QStash calls when a delivery of any other job has failed for good. */
export const FAILURE_CALLBACK_JOB = 'qstash-failed' satisfies JobName;

/** The log message of one failed delivery, which the stack's metric filter counts. */
export const FAILED_DELIVERY_MESSAGE = 'qstash delivery failed';

/** AWS resources a job's function may touch, beyond the database and the cache. */
export const jobUses: Partial<Record<JobName, readonly Use[]>> = {
  'send-email': ['ses'],
  'send-admin-code': ['ses'],
  // The hourly cleanup sweeps uploads that were never attached.
  cleanup: ['public-bucket', 'private-bucket'],
};
