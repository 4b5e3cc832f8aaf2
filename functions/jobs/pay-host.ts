import { jobRoute } from '#lib/jobs/route';
import { payHost } from '#lib/payouts/payouts';

/**
 * Pays one stay's host. Keyed by QStash message: the same payout may be carried by several
 * messages (an early run publishing itself again, a retry after a failed transfer); the
 * payout's own conditional claim, and its reference at Paystack, make it pay once.
 */
export const handler = jobRoute('pay-host', ({ payoutId }) => payHost(payoutId));
