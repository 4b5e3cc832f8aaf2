import { eq } from 'drizzle-orm';
import { db, schema } from '#lib/db/index';
import { conflict, notFound } from '#lib/http/errors';
import { accepted } from '#lib/http/reply';
import { route } from '#lib/http/route';
import { retryPayoutContract } from '#lib/payouts/contracts';
import { retryPayout } from '#lib/payouts/payouts';

export const handler = route(retryPayoutContract, async ({ params }) => {
  if (await retryPayout(params.id))
    return accepted({ id: params.id, status: 'scheduled' as const });
  const [payout] = await db()
    .select({ status: schema.payouts.status })
    .from(schema.payouts)
    .where(eq(schema.payouts.id, params.id));
  if (!payout) throw notFound('payout');
  throw conflict(
    'payout_not_failed',
    `This payout is ${payout.status}; only a failed one is retried.`,
  );
});
