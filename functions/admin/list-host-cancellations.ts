import { and, desc, eq, sql } from 'drizzle-orm';
import { listHostCancellations } from '#lib/bookings/contracts';
import { db, schema } from '#lib/db/index';
import { decodeInstantCursor, encodeInstantCursor } from '#lib/http/cursor';
import { ok } from '#lib/http/reply';
import { route } from '#lib/http/route';

const { bookings } = schema;

export const handler = route(listHostCancellations, async ({ query }) => {
  const after = query.cursor ? decodeInstantCursor(query.cursor) : undefined;
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
    nextCursor:
      rows.length > query.limit && last
        ? encodeInstantCursor(last.cancelledAt, last.bookingId)
        : null,
  });
});
