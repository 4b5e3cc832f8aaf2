import { and, desc, eq, sql } from 'drizzle-orm';
import { db, schema } from '#lib/db/index';
import { decodeInstantCursor, encodeInstantCursor } from '#lib/http/cursor';
import { ok } from '#lib/http/reply';
import { route } from '#lib/http/route';
import { listPayouts } from '#lib/payouts/contracts';

const { payouts } = schema;

export const handler = route(listPayouts, async ({ query }) => {
  const after = query.cursor ? decodeInstantCursor(query.cursor) : undefined;
  const rows = await db()
    .select({
      id: payouts.id,
      hostId: payouts.hostId,
      bookingId: payouts.bookingId,
      amount: payouts.amount,
      currency: payouts.currency,
      status: payouts.status,
      attempts: payouts.attempts,
      lastError: payouts.lastError,
      dueAt: payouts.scheduledFor,
      paidAt: payouts.paidAt,
      createdAt: payouts.createdAt,
    })
    .from(payouts)
    .where(
      and(
        query.status ? eq(payouts.status, query.status) : undefined,
        after
          ? sql`(${payouts.createdAt}, ${payouts.id}) < (${after.at}::timestamptz, ${after.id}::uuid)`
          : undefined,
      ),
    )
    .orderBy(desc(payouts.createdAt), desc(payouts.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return ok({
    payouts: page.map(({ createdAt: _, ...p }) => p),
    nextCursor:
      rows.length > query.limit && last ? encodeInstantCursor(last.createdAt, last.id) : null,
  });
});
