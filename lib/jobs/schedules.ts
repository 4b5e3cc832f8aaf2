import type { JobName } from '#lib/jobs/catalog';

export interface Schedule {
  /** Stable id: `npm run schedules:sync` creates or updates the QStash schedule by it. */
  id: string;
  job: JobName;
  /** Five-field cron, UTC. */
  cron: string;
}

/** Recurring jobs. `npm run schedules:sync` makes QStash's schedules match this list. */
export const schedules: Schedule[] = [
  { id: 'cleanup-hourly', job: 'cleanup', cron: '0 * * * *' },
  { id: 'complete-stays', job: 'complete-stays', cron: '*/15 * * * *' },
  { id: 'reconcile-payouts-hourly', job: 'reconcile-payouts', cron: '30 * * * *' },
];
