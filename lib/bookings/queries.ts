import { and, desc, eq, type SQL, sql } from 'drizzle-orm';
import { db, schema } from '#lib/db/index';
import { badRequest } from '#lib/http/errors';

const { bookings } = schema;

/**
 * What a booking list shows. The host and guest indexes carry exactly these columns
 * (migration 0016), so a page is an index-only scan.
 */
export const bookingListColumns = {
  id: bookings.id,
  status: bookings.status,
  listingId: bookings.listingId,
  checkIn: bookings.checkIn,
  checkOut: bookings.checkOut,
  guests: bookings.guests,
  total: bookings.totalAmount,
  currency: bookings.currency,
  createdAt: bookings.createdAt,
};

/** Where the previous page ended: keyset on (check_in, id), newest stay first. */
export interface BookingCursor {
  checkIn: string;
  id: string;
}

export const encodeBookingCursor = (c: BookingCursor) =>
  Buffer.from(`${c.checkIn}|${c.id}`).toString('base64url');

export function decodeBookingCursor(text: string): BookingCursor {
  const [checkIn, id, ...rest] = Buffer.from(text, 'base64url').toString('utf8').split('|');
  if (
    rest.length > 0 ||
    !checkIn ||
    !/^\d{4}-\d\d-\d\d$/.test(checkIn) ||
    !id ||
    !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)
  ) {
    throw badRequest('invalid_cursor', 'The cursor is not one this API gave out.', [
      { path: 'query.cursor', message: 'pass back nextCursor exactly as received' },
    ]);
  }
  return { checkIn, id };
}

interface PageOptions {
  limit: number;
  cursor?: BookingCursor | undefined;
  status?: (typeof schema.bookingStatus.enumValues)[number] | undefined;
  listingId?: string | undefined;
}

function bookingPage(owner: SQL, o: PageOptions) {
  return db()
    .select(bookingListColumns)
    .from(bookings)
    .where(
      and(
        owner,
        o.status ? eq(bookings.status, o.status) : undefined,
        o.listingId ? eq(bookings.listingId, o.listingId) : undefined,
        o.cursor
          ? sql`(${bookings.checkIn}, ${bookings.id}) < (${o.cursor.checkIn}::date, ${o.cursor.id}::uuid)`
          : undefined,
      ),
    )
    .orderBy(desc(bookings.checkIn), desc(bookings.id))
    .limit(o.limit);
}

/** A host's bookings, latest stay first. */
export const hostBookingsQuery = (hostId: string, o: PageOptions) =>
  bookingPage(eq(bookings.hostId, hostId), o);

/** A guest's bookings, latest stay first. */
export const guestBookingsQuery = (guestId: string, o: PageOptions) =>
  bookingPage(eq(bookings.guestId, guestId), o);

/** A page and the cursor of the next one: one more row than asked says there is one. */
export async function pageOf(query: ReturnType<typeof bookingPage>, limit: number) {
  const rows = await query;
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const last = page.at(-1);
  return {
    bookings: page,
    nextCursor: more && last ? encodeBookingCursor({ checkIn: last.checkIn, id: last.id }) : null,
  };
}

/**
 * The holds of a published listing that touch [from, to), merged (range_agg) and clipped to
 * the range, in order; one row with nulls when it has none, no row when it is not published.
 */
export function unavailableNightsQuery(listingId: string, range: { from: string; to: string }) {
  const window = sql`daterange(${range.from}::date, ${range.to}::date, '[)')`;
  return sql`
    select lower(r)::text as "from", upper(r)::text as "to"
    from listings l
    left join lateral (
      select unnest(range_agg(daterange(h.starts_on, h.ends_on, '[)') * ${window})) as r
      from listing_holds h
      where h.listing_id = l.id and daterange(h.starts_on, h.ends_on, '[)') && ${window}
    ) merged on true
    where l.id = ${listingId} and l.status = 'published'
    order by 1`;
}

export async function unavailableNights(listingId: string, range: { from: string; to: string }) {
  const { rows } = await db().execute<{ from: string | null; to: string | null }>(
    unavailableNightsQuery(listingId, range),
  );
  return rows;
}
