import { sql } from 'drizzle-orm';
import { db } from '#lib/db/index';
import { jobRoute } from '#lib/jobs/route';
import { config } from '#lib/platform/config';
import { scheduleReviewWindow } from '#lib/reviews/reviews';

/** Stays completed a run, at most: a backlog drains over the next runs. */
const BATCH = 500;

/**
 * Hourly (lib/jobs/schedules.ts): confirmed stays whose check-out (CHECK_OUT_HOUR on
 * the check-out date in Lagos) has passed become completed, in one statement, and their review
 * windows open. A stay moved by an earlier run is not moved again.
 */
export const handler = jobRoute('complete-stays', async () => {
  const { rows } = await db().execute<{ id: string; check_out: string }>(sql`
    update bookings set status = 'completed', updated_at = now()
    where id in (
      select id from bookings
      where status = 'confirmed' and check_out <= (now() at time zone 'Africa/Lagos')::date
        and (check_out + make_interval(hours => ${config.CHECK_OUT_HOUR})) at time zone 'Africa/Lagos' <= now()
      limit ${BATCH}
    ) and status = 'confirmed'
    returning id, check_out::text`);
  for (const b of rows) await scheduleReviewWindow(b.id, b.check_out);
  return { completed: rows.length };
});
