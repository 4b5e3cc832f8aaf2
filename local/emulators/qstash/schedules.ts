/** Schedules: created, listed, paused and deleted through the REST API, fired by their cron. */
import { badRequest, HttpError } from '#local/emulators/http';
import { type CronSpec, cronMatches, nextCronTime, parseCron } from '#local/emulators/qstash/cron';
import type { Message, Queue } from '#local/emulators/qstash/delivery';
import { parseDuration } from '#local/emulators/qstash/durations';
import {
  type DeliveryOptions,
  labelFields,
  multiValued,
  parseDestination,
  readDeliveryOptions,
} from '#local/emulators/qstash/publish';
import { randomId } from '#local/emulators/qstash/signing';

export interface Schedule extends DeliveryOptions {
  scheduleId: string;
  cron: CronSpec;
  destination: string;
  body: Buffer;
  delayMs: number;
  createdAt: number;
  isPaused: boolean;
  lastScheduleTime?: number;
  lastScheduleStates: Record<string, 'IN_PROGRESS' | 'SUCCESS' | 'FAIL'>;
}

export type Schedules = ReturnType<typeof createSchedules>;

/** A schedule as the state file keeps it: the cron as its expression. */
export type ScheduleData = Omit<Schedule, 'cron'> & { cron: string };

export function createSchedules(
  queue: Pick<Queue, 'enqueue'>,
  log: (line: string) => void,
  changed: () => void,
) {
  const schedules = new Map<string, Schedule>();
  let ticker: NodeJS.Timeout | undefined;
  let lastMinute = 0;

  function fire(schedule: Schedule, at: number): string {
    const { messageId } = queue.enqueue({
      url: schedule.destination,
      body: schedule.body,
      options: schedule,
      notBefore: at + schedule.delayMs,
      scheduleId: schedule.scheduleId,
    });
    schedule.lastScheduleTime = at;
    schedule.lastScheduleStates = { [messageId]: 'IN_PROGRESS' };
    log(`qstash: schedule ${schedule.scheduleId} fired (${messageId})`);
    changed();
    return messageId;
  }

  /** A schedule as the REST API lists it. */
  function toJson(s: Schedule) {
    const next = nextCronTime(s.cron, Date.now());
    return {
      scheduleId: s.scheduleId,
      cron: s.cron.expression,
      createdAt: s.createdAt,
      destination: s.destination,
      method: s.method,
      header: multiValued(s.header),
      body: s.body.toString('utf8'),
      retries: s.retries,
      ...(s.delayMs > 0 && { delay: Math.round(s.delayMs / 1000) }),
      ...(s.callback && { callback: s.callback }),
      ...(s.failureCallback && { failureCallback: s.failureCallback }),
      ...(s.retryDelay && { retryDelayExpression: s.retryDelay }),
      ...labelFields(s.labels),
      isPaused: s.isPaused,
      ...(s.lastScheduleTime !== undefined && { lastScheduleTime: s.lastScheduleTime }),
      ...(next !== undefined && !s.isPaused && { nextScheduleTime: next }),
      lastScheduleStates: s.lastScheduleStates,
    };
  }

  /** Creates a schedule, or replaces the one with the same `Upstash-Schedule-Id`. */
  function upsert(rawDestination: string, headers: Headers, body: Buffer) {
    const destination = parseDestination(rawDestination);
    const cronText = headers.get('upstash-cron');
    if (!cronText) throw badRequest('Upstash-Cron header is required');
    const cron = parseCron(cronText);
    const delay = headers.get('upstash-delay');
    const scheduleId = headers.get('upstash-schedule-id') ?? randomId('scd');
    const existing = schedules.get(scheduleId);
    // An explicit id upserts: the schedule is replaced, keeping its creation time and pause state.
    schedules.set(scheduleId, {
      ...readDeliveryOptions(headers),
      scheduleId,
      cron,
      destination,
      body,
      delayMs: delay === null ? 0 : parseDuration(delay),
      createdAt: existing?.createdAt ?? Date.now(),
      isPaused: existing?.isPaused ?? false,
      lastScheduleStates: existing?.lastScheduleStates ?? {},
      ...(existing?.lastScheduleTime !== undefined && {
        lastScheduleTime: existing.lastScheduleTime,
      }),
    });
    log(
      `qstash: schedule ${scheduleId} ${existing ? 'updated' : 'created'} (${cron.expression} → ${destination})`,
    );
    changed();
    return { scheduleId };
  }

  function find(id: string): Schedule {
    const schedule = schedules.get(id);
    if (!schedule) throw new HttpError(404, `schedule not found: ${id}`);
    return schedule;
  }

  function tick(): void {
    const now = Date.now();
    ticker = setTimeout(
      () => {
        // Timers may fire a millisecond early; rounding and remembering the minute fire it once.
        const minute = Math.round(Date.now() / 60_000) * 60_000;
        if (minute === lastMinute) return tick();
        lastMinute = minute;
        for (const schedule of schedules.values()) {
          if (!schedule.isPaused && cronMatches(schedule.cron, minute)) fire(schedule, minute);
        }
        tick();
      },
      60_000 - (now % 60_000),
    );
  }

  function remove(id: string): void {
    find(id);
    schedules.delete(id);
    log(`qstash: schedule ${id} deleted`);
    changed();
  }

  function setPaused(id: string, paused: boolean): void {
    find(id).isPaused = paused;
    changed();
  }

  /** Records how the latest firing of a message's schedule went. */
  function settle(message: Message, ok: boolean): void {
    const schedule = message.scheduleId ? schedules.get(message.scheduleId) : undefined;
    if (schedule && message.messageId in schedule.lastScheduleStates) {
      schedule.lastScheduleStates[message.messageId] = ok ? 'SUCCESS' : 'FAIL';
      changed();
    }
  }

  function restore(saved: ScheduleData[]): void {
    for (const data of saved) {
      schedules.set(data.scheduleId, { ...data, cron: parseCron(data.cron) });
    }
  }

  return {
    /** Oldest first. */
    list: () => [...schedules.values()].sort((a, b) => a.createdAt - b.createdAt),
    get: (id: string) => schedules.get(id),
    find,
    upsert,
    remove,
    setPaused,
    fire,
    toJson,
    settle,
    restore,
    snapshot: (): ScheduleData[] =>
      [...schedules.values()].map((s) => ({ ...s, cron: s.cron.expression })),
    /** Fires the due schedules at the start of every minute. */
    start: tick,
    stop: () => clearTimeout(ticker),
  };
}
