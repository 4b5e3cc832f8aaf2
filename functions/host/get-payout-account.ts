import { notFound } from '#lib/http/errors';
import { ok } from '#lib/http/reply';
import { route } from '#lib/http/route';
import { getPayoutAccount } from '#lib/payouts/contracts';
import { accountOf } from '#lib/payouts/payouts';

export const handler = route(getPayoutAccount, async ({ principal }) => {
  const [account] = await accountOf(principal.id);
  if (!account) throw notFound('payout account');
  return ok({
    bankCode: account.bankCode,
    bankName: account.bankName,
    accountName: account.accountName,
    accountNumberLast4: account.accountLast4,
  });
});
