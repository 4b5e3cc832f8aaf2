import { sql } from 'drizzle-orm';
import { getAvailability } from '#lib/bookings/contracts';
import { db } from '#lib/db/index';
import { notFound } from '#lib/http/errors';
import { ok } from '#lib/http/reply';
import { route } from '#lib/http/route';

/**
 * The nights of a published listing no one can book, merged and clipped to the range: which
 * are booked and which the host keeps is nobody's business, so both read "unavailable".
 */
export const handler = route(getAvailability, async ({ params, query }) => {
  const window = sql`daterange(${query.from}::date, ${query.to}::date, '[)')`;
  const { rows } = await db().execute<{
    published: boolean;
    from: string | null;
    to: string | null;
  }>(sql`
    select true as published, lower(r)::text as "from", upper(r)::text as "to"
    from listings l
    left join lateral (
      select unnest(range_agg(daterange(h.starts_on, h.ends_on, '[)') * ${window})) as r
      from listing_holds h
      where h.listing_id = l.id and daterange(h.starts_on, h.ends_on, '[)') && ${window}
    ) merged on true
    where l.id = ${params.id} and l.status = 'published'
    order by 2`);
  if (rows.length === 0) throw notFound('listing');
  return ok({
    unavailable: rows.flatMap((r) => (r.from && r.to ? [{ from: r.from, to: r.to }] : [])),
  });
});
