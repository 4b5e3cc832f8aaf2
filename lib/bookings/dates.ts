/**
 * Dates of stays: `YYYY-MM-DD` calendar days in Africa/Lagos (UTC+1 all year, no daylight
 * saving), as the marketplace's guests and hosts read them.
 */

/** Lagos is UTC+1 and keeps no daylight saving. */
const LAGOS_OFFSET_HOURS = 1;

/**
 * Today's date in Lagos: the UTC date an hour ahead. Arithmetic, not Intl.DateTimeFormat with
 * `timeZone`, whose ICU time-zone data cost every cold start ~4 ms to load (bench:cold).
 */
export const lagosToday = (now = new Date()): string =>
  new Date(now.getTime() + LAGOS_OFFSET_HOURS * 3_600_000).toISOString().slice(0, 10);

/** Nights between two dates (checkOut − checkIn, in days). */
export const nightsBetween = (checkIn: string, checkOut: string): number =>
  Math.round(
    (Date.parse(`${checkOut}T00:00:00Z`) - Date.parse(`${checkIn}T00:00:00Z`)) / 86_400_000,
  );

/** The instant of `hour` o'clock on a `YYYY-MM-DD` day in Lagos (check-in, check-out). */
export function lagosInstant(day: string, hour: number): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d, hour - LAGOS_OFFSET_HOURS));
}
