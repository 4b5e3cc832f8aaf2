import { ok } from '#lib/http/reply';
import { route } from '#lib/http/route';
import { paystackUnavailable } from '#lib/payments/errors';
import { banks } from '#lib/payouts/banks';
import { listBanks } from '#lib/payouts/contracts';

export const handler = route(listBanks, async () =>
  ok(
    { banks: await banks().catch(paystackUnavailable) },
    { 'Cache-Control': 'private, max-age=3600' },
  ),
);
