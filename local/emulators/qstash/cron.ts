/** Cron: five fields, UTC unless prefixed with CRON_TZ=<IANA zone>, like QStash. */
import { badRequest } from '#local/emulators/http';

export interface CronSpec {
  expression: string;
  minute: Set<number>;
  hour: Set<number>;
  dayOfMonth: Set<number>;
  month: Set<number>;
  dayOfWeek: Set<number>;
  /** Vixie cron: when both day fields are restricted, a day matching either one matches. */
  dayOfMonthStar: boolean;
  dayOfWeekStar: boolean;
  timeZone?: string;
}

const MONTH_NAMES = [
  'JAN',
  'FEB',
  'MAR',
  'APR',
  'MAY',
  'JUN',
  'JUL',
  'AUG',
  'SEP',
  'OCT',
  'NOV',
  'DEC',
];
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const CRON_MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

interface CronField {
  name: string;
  min: number;
  max: number;
  names?: string[];
  namesStart?: number;
}

const CRON_FIELDS: CronField[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTH_NAMES, namesStart: 1 },
  { name: 'day of week', min: 0, max: 7, names: DAY_NAMES, namesStart: 0 },
];

function parseCronField(text: string, field: CronField): Set<number> {
  const invalid = () => badRequest(`invalid cron ${field.name}: ${text}`);
  const value = (token: string) => {
    const named = field.names?.indexOf(token.toUpperCase()) ?? -1;
    if (named >= 0) return named + (field.namesStart ?? 0);
    if (!/^\d+$/.test(token)) throw invalid();
    const n = Number(token);
    if (n < field.min || n > field.max) throw invalid();
    return n;
  };
  const values = new Set<number>();
  for (const item of text.split(',')) {
    const [range = '', stepText, extra] = item.split('/');
    if (extra !== undefined) throw invalid();
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw invalid();
    let low: number;
    let high: number;
    if (range === '*' || range === '?') {
      low = field.min;
      high = field.max;
    } else if (range.includes('-')) {
      const [from = '', to = '', more] = range.split('-');
      if (more !== undefined) throw invalid();
      low = value(from);
      high = value(to);
    } else {
      low = value(range);
      high = stepText === undefined ? low : field.max;
    }
    if (low > high) throw invalid();
    for (let n = low; n <= high; n += step) values.add(n);
  }
  return values;
}

export function parseCron(expression: string): CronSpec {
  let rest = expression.trim();
  let timeZone: string | undefined;
  const tz = /^(?:CRON_TZ|TZ)=(\S+)\s+/.exec(rest);
  if (tz?.[1]) {
    timeZone = tz[1];
    try {
      new Intl.DateTimeFormat('en-US', { timeZone });
    } catch {
      throw badRequest(`invalid cron time zone: ${timeZone}`);
    }
    rest = rest.slice(tz[0].length);
  }
  rest = CRON_MACROS[rest.toLowerCase()] ?? rest;
  const parts = rest.split(/\s+/);
  if (parts.length !== 5)
    throw badRequest(`cron needs 5 fields, got ${parts.length}: ${expression}`);
  const [minute, hour, dayOfMonth, month, dayOfWeek] = parts.map((part, i) =>
    parseCronField(part, CRON_FIELDS[i] as CronField),
  ) as [Set<number>, Set<number>, Set<number>, Set<number>, Set<number>];
  if (dayOfWeek.delete(7)) dayOfWeek.add(0);
  const starred = (text: string | undefined) => text?.startsWith('*') || text?.startsWith('?');
  return {
    expression,
    minute,
    hour,
    dayOfMonth,
    month,
    dayOfWeek,
    dayOfMonthStar: Boolean(starred(parts[2])),
    dayOfWeekStar: Boolean(starred(parts[4])),
    ...(timeZone && { timeZone }),
  };
}

interface WallClock {
  minute: number;
  hour: number;
  dayOfMonth: number;
  month: number;
  dayOfWeek: number;
}

const zoneFormats = new Map<string, Intl.DateTimeFormat>();

function wallClock(ms: number, timeZone: string | undefined): WallClock {
  const date = new Date(ms);
  if (!timeZone || timeZone === 'UTC' || timeZone === 'Etc/UTC') {
    return {
      minute: date.getUTCMinutes(),
      hour: date.getUTCHours(),
      dayOfMonth: date.getUTCDate(),
      month: date.getUTCMonth() + 1,
      dayOfWeek: date.getUTCDay(),
    };
  }
  let format = zoneFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      weekday: 'short',
    });
    zoneFormats.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(date).map((p) => [p.type, p.value]));
  return {
    minute: Number(parts.minute),
    hour: Number(parts.hour),
    dayOfMonth: Number(parts.day),
    month: Number(parts.month),
    dayOfWeek: DAY_NAMES.indexOf(String(parts.weekday).toUpperCase()),
  };
}

function dayMatches(spec: CronSpec, t: WallClock): boolean {
  if (!spec.month.has(t.month)) return false;
  const dom = spec.dayOfMonth.has(t.dayOfMonth);
  const dow = spec.dayOfWeek.has(t.dayOfWeek);
  return spec.dayOfMonthStar || spec.dayOfWeekStar ? dom && dow : dom || dow;
}

/** Whether the minute containing `at` (a Date or epoch ms) matches the cron. */
export function cronMatches(spec: CronSpec, at: Date | number): boolean {
  const t = wallClock(typeof at === 'number' ? at : at.getTime(), spec.timeZone);
  return dayMatches(spec, t) && spec.hour.has(t.hour) && spec.minute.has(t.minute);
}

/** The first matching minute strictly after `after` (epoch ms), within five years. */
export function nextCronTime(spec: CronSpec, after: number): number | undefined {
  const start = Math.floor(after / 60_000) * 60_000 + 60_000;
  const horizon = start + 5 * 366 * 86_400_000;
  // Skip whole days, then whole hours, so impossible or sparse crons stay cheap.
  for (let t = start; t < horizon; ) {
    const wall = wallClock(t, spec.timeZone);
    if (!dayMatches(spec, wall)) t += (1440 - wall.hour * 60 - wall.minute) * 60_000;
    else if (!spec.hour.has(wall.hour)) t += (60 - wall.minute) * 60_000;
    else if (!spec.minute.has(wall.minute)) t += 60_000;
    else return t;
  }
  return undefined;
}
