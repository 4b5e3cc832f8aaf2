import { and, desc, eq, sql } from 'drizzle-orm';
import { listHostCancellations } from '#lib/bookings/contracts';
import { db, schema } from '#lib/db/index';
import { badRequest } from '#lib/http/errors';
import { ok } from '#lib/http/reply';
import { route } from '#lib/http/route';

const { bookings } = schema;

const encode = (at: Date, id: string) =>
  Buffer.from(`${at.toISOString()}|${id}`).toString('base64url');

function decode(cursor: string) {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!at || !id || Number.isNaN(Date.parse(at)) || !/^[0-9a-f-]{36}$/.test(id)) {
    throw badRequest('invalid_cursor', 'The cursor is not one this API gave out.', [
      { path: 'query.cursor', message: 'pass back nextCursor exactly as received' },
    ]);
  }
  return { at, id };
}

/** Host cancellations, newest first, each with its host's count: what support weighs. */
export const handler = route(listHostCancellations, async ({ query }) => {
  const after = query.cursor ? decode(query.cursor) : undefined;
  const rows = await db()
    .select({
      bookingId: bookings.id,
      hostId: bookings.hostId,
      listingId: bookings.listingId,
      checkIn: bookings.checkIn,
      checkOut: bookings.checkOut,
      cancelledAt: sql<Date>`${bookings.cancelledAt}`.mapWith(bookings.cancelledAt),
      reason: bookings.statusReason,
      hostTotal: sql<number>`(select count(*)::int from bookings c where c.host_id = ${bookings.hostId} and c.cancelled_by = 'host')`,
    })
    .from(bookings)
    .where(
      and(
        eq(bookings.cancelledBy, 'host'),
        query.hostId ? eq(bookings.hostId, query.hostId) : undefined,
        after
          ? sql`(${bookings.cancelledAt}, ${bookings.id}) < (${after.at}::timestamptz, ${after.id}::uuid)`
          : undefined,
      ),
    )
    .orderBy(desc(bookings.cancelledAt), desc(bookings.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return ok({
    cancellations: page,
    nextCursor: rows.length > query.limit && last ? encode(last.cancelledAt, last.bookingId) : null,
  });
});
