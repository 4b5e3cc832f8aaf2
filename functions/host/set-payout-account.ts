import { sql } from 'drizzle-orm';
import { db, schema } from '#lib/db/index';
import { HttpError } from '#lib/http/errors';
import { ok } from '#lib/http/reply';
import { route } from '#lib/http/route';
import { paystackUnavailable } from '#lib/payments/errors';
import { createRecipient, resolveAccount } from '#lib/payments/paystack';
import { banks } from '#lib/payouts/banks';
import { setPayoutAccount } from '#lib/payouts/contracts';
import { releaseHeld } from '#lib/payouts/payouts';

const { hostPayoutAccounts } = schema;

const refused = (path: string, message: string) =>
  new HttpError(422, 'account_not_resolved', message, { details: [{ path, message }] });

/**
 * Where the host is paid. The bank names the account holder; Paystack keeps the account as a
 * transfer recipient and we keep only its code, the bank, the name and the last four digits.
 * Payouts that waited for an account are released.
 */
export const handler = route(setPayoutAccount, async ({ body, principal }) => {
  const bank = (await banks().catch(paystackUnavailable)).find((b) => b.code === body.bankCode);
  if (!bank) throw refused('body.bankCode', 'not a bank code from GET /banks');
  const resolved = await resolveAccount(body.accountNumber, body.bankCode).catch(
    paystackUnavailable,
  );
  if (!resolved)
    throw refused('body.accountNumber', `${bank.name} does not know this account number`);
  const recipient = await createRecipient({
    name: resolved.account_name,
    accountNumber: body.accountNumber,
    bankCode: body.bankCode,
  }).catch(paystackUnavailable);
  const account = {
    bankCode: bank.code,
    bankName: bank.name,
    accountName: resolved.account_name,
    accountLast4: body.accountNumber.slice(-4),
    recipientCode: recipient.recipient_code,
  };
  await db()
    .insert(hostPayoutAccounts)
    .values({ hostId: principal.id, ...account })
    .onConflictDoUpdate({
      target: hostPayoutAccounts.hostId,
      set: { ...account, updatedAt: sql`now()` },
    });
  await releaseHeld(principal.id);
  return ok({
    bankCode: account.bankCode,
    bankName: account.bankName,
    accountName: account.accountName,
    accountNumberLast4: account.accountLast4,
  });
});
