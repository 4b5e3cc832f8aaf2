/**
 * Dates of stays: `YYYY-MM-DD` calendar days in Africa/Lagos (UTC+1 all year, no daylight
 * saving), as the marketplace's guests and hosts read them.
 */
const LAGOS_DAY = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Africa/Lagos',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** Today's date in Lagos. */
export const lagosToday = (now = new Date()): string => LAGOS_DAY.format(now);

/** Nights between two dates (checkOut − checkIn, in days). */
export const nightsBetween = (checkIn: string, checkOut: string): number =>
  Math.round(
    (Date.parse(`${checkOut}T00:00:00Z`) - Date.parse(`${checkIn}T00:00:00Z`)) / 86_400_000,
  );

/** Lagos is UTC+1 and keeps no daylight saving. */
const LAGOS_OFFSET_HOURS = 1;

/** The instant of `hour` o'clock on a `YYYY-MM-DD` day in Lagos (check-in, check-out). */
export function lagosInstant(day: string, hour: number): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d, hour - LAGOS_OFFSET_HOURS));
}
