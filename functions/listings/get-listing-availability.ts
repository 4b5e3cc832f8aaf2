import { getAvailability } from '#lib/bookings/contracts';
import { unavailableNights } from '#lib/bookings/queries';
import { notFound } from '#lib/http/errors';
import { ok } from '#lib/http/reply';
import { route } from '#lib/http/route';

/**
 * The nights of a published listing no one can book, merged and clipped to the range: which
 * are booked and which the host keeps is nobody's business, so both read "unavailable".
 */
export const handler = route(getAvailability, async ({ params, query }) => {
  const rows = await unavailableNights(params.id, query);
  if (rows.length === 0) throw notFound('listing');
  return ok({
    unavailable: rows.flatMap((r) => (r.from && r.to ? [{ from: r.from, to: r.to }] : [])),
  });
});
