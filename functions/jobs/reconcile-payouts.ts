import { jobRoute } from '#lib/jobs/route';
import { reconcilePayouts } from '#lib/payouts/payouts';

export const handler = jobRoute('reconcile-payouts', () => reconcilePayouts());
