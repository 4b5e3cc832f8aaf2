import { and, desc, eq, sql } from 'drizzle-orm';
import { db, schema } from '#lib/db/index';
import { badRequest } from '#lib/http/errors';
import { ok } from '#lib/http/reply';
import { route } from '#lib/http/route';
import { listPayouts } from '#lib/payouts/contracts';

const { payouts } = schema;

const encode = (createdAt: Date, id: string) =>
  Buffer.from(`${createdAt.toISOString()}|${id}`).toString('base64url');

function decode(cursor: string) {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!at || !id || Number.isNaN(Date.parse(at)) || !/^[0-9a-f-]{36}$/.test(id)) {
    throw badRequest('invalid_cursor', 'The cursor is not one this API gave out.', [
      { path: 'query.cursor', message: 'pass back nextCursor exactly as received' },
    ]);
  }
  return { at, id };
}

export const handler = route(listPayouts, async ({ query }) => {
  const after = query.cursor ? decode(query.cursor) : undefined;
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
    nextCursor: rows.length > query.limit && last ? encode(last.createdAt, last.id) : null,
  });
});
