import { jobRoute } from '#lib/jobs/route';
import { enqueueWindowEnd, publishAtWindowEnd } from '#lib/reviews/reviews';

/**
 * A stay's review window has closed: its reviews still hidden (one side wrote, the other
 * did not) are published. Delivered before the window closes (QStash's delay is capped, or
 * clocks differ), it publishes itself again for later and does nothing else.
 *
 * Keyed by QStash's message id, not by the booking: a run that reschedules finishes its
 * claim, so a booking key would turn the rescheduled delivery into a duplicate. Publishing
 * is once-only in its own statement (only hidden reviews, counted as they are published),
 * so a second message for the same stay has no second effect.
 */
export const handler = jobRoute('publish-reviews', async ({ bookingId }, { key }) => {
  const outcome = await publishAtWindowEnd(bookingId);
  if (outcome.booking === 'missing') return { published: 0 };
  if (!outcome.closed) {
    // Throws if QStash refuses: this delivery is then retried rather than lost.
    const next = await enqueueWindowEnd(
      bookingId,
      outcome.closesAt,
      `${key.replaceAll(':', '-')}-again`,
    );
    return { rescheduledFor: next.toISOString() };
  }
  return { published: outcome.published };
});
