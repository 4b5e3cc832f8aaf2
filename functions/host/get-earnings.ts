import { desc, eq, sql } from 'drizzle-orm';
import { db, schema } from '#lib/db/index';
import { ok } from '#lib/http/reply';
import { route } from '#lib/http/route';
import { getEarnings } from '#lib/payouts/contracts';

const { payouts } = schema;

const sum = (status: (typeof payouts.status.enumValues)[number]) =>
  sql<number>`coalesce(sum(${payouts.amount}) filter (where ${payouts.status} = ${status}), 0)::int`;

/** The host's money: what is paid, on its way, due, and waiting for an account. */
export const handler = route(getEarnings, async ({ principal }) => {
  const [[totals], latest] = await db().batch([
    db()
      .select({
        currency: sql<string | null>`max(${payouts.currency})`,
        pending: sum('processing'),
        scheduled: sum('scheduled'),
        onHold: sum('on_hold'),
        paid: sum('paid'),
      })
      .from(payouts)
      .where(eq(payouts.hostId, principal.id)),
    db()
      .select({
        bookingId: payouts.bookingId,
        amount: payouts.amount,
        currency: payouts.currency,
        status: payouts.status,
        dueAt: payouts.scheduledFor,
        paidAt: payouts.paidAt,
      })
      .from(payouts)
      .where(eq(payouts.hostId, principal.id))
      .orderBy(desc(payouts.createdAt))
      .limit(50),
  ]);
  return ok({
    currency: totals?.currency ?? 'NGN',
    pending: totals?.pending ?? 0,
    scheduled: totals?.scheduled ?? 0,
    onHold: totals?.onHold ?? 0,
    paid: totals?.paid ?? 0,
    payouts: latest,
  });
});
