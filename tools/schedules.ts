import type { Client } from '@upstash/qstash';
import { FAILURE_CALLBACK_JOB, jobPath } from '#lib/jobs/catalog';
import { schedules } from '#lib/jobs/schedules';

export interface SyncResult {
  created: string[];
  updated: string[];
  unchanged: string[];
  removed: string[];
}

/**
 * Makes QStash's schedules for our job routes match `lib/jobs/schedules.ts`: creates or
 * updates each declared one by its id, removes those under our jobs path that are no
 * longer declared, and changes nothing that already matches. Like a published job
 * (`enqueue`), a scheduled delivery that fails for good is reported to the failure-callback
 * job, which the failed-deliveries alarm counts.
 */
export async function syncSchedules(client: Client, publicApiUrl: string): Promise<SyncResult> {
  const result: SyncResult = { created: [], updated: [], unchanged: [], removed: [] };
  const existing = await client.schedules.list();
  const byId = new Map(existing.map((s) => [s.scheduleId, s]));
  for (const schedule of schedules) {
    const destination = `${publicApiUrl}${jobPath(schedule.job)}`;
    const failureCallback =
      schedule.job !== FAILURE_CALLBACK_JOB
        ? `${publicApiUrl}${jobPath(FAILURE_CALLBACK_JOB)}`
        : undefined;
    const current = byId.get(schedule.id);
    if (
      current &&
      current.destination === destination &&
      current.cron === schedule.cron &&
      current.failureCallback === failureCallback
    ) {
      result.unchanged.push(schedule.id);
      continue;
    }
    await client.schedules.create({
      scheduleId: schedule.id,
      destination,
      cron: schedule.cron,
      body: '{}',
      headers: { 'content-type': 'application/json' },
      retries: 3,
      ...(failureCallback ? { failureCallback } : {}),
    });
    (current ? result.updated : result.created).push(schedule.id);
  }
  const declared = new Set(schedules.map((s) => s.id));
  for (const s of existing) {
    if (!declared.has(s.scheduleId) && s.destination.startsWith(`${publicApiUrl}/jobs/`)) {
      await client.schedules.delete(s.scheduleId);
      result.removed.push(s.scheduleId);
    }
  }
  return result;
}
