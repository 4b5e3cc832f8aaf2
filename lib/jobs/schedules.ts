import type { JobName } from '#lib/jobs/catalog';

export interface Schedule {
  /** Stable id: `npm run schedules:sync` creates or updates the QStash schedule by it. */
  id: string;
  job: JobName;
  /** Five-field cron, UTC. */
  cron: string;
}

/**
 * Recurring jobs. `npm run schedules:sync` makes QStash's schedules match this list.
 *
 * All on the hour, together: each run wakes Neon, which then stays up 5 idle minutes, so
 * three jobs in one minute keep it awake 5 minutes an hour. Spread over the hour, with
 * complete-stays every 15 minutes, they kept it up most of the day. Every check-out is at the same hour
 * (CHECK_OUT_HOUR), so hourly completes a stay within the hour it ends.
 */
export const schedules: Schedule[] = [
  { id: 'cleanup-hourly', job: 'cleanup', cron: '0 * * * *' },
  { id: 'complete-stays', job: 'complete-stays', cron: '0 * * * *' },
  { id: 'reconcile-payouts-hourly', job: 'reconcile-payouts', cron: '0 * * * *' },
];
