import * as z from 'zod/mini';
import { payoutStatus } from '#lib/db/schema/index';
import { contract, instant, signedIn } from '#lib/http/contract';

const status = z.enum(payoutStatus.enumValues);

/** Where a host is paid: the full account number is never stored or shown. */
const payoutAccount = z.strictObject({
  bankCode: z.string(),
  bankName: z.string(),
  accountName: z.string(),
  accountNumberLast4: z.string().check(z.regex(/^\d{4}$/)),
});

const payoutLine = z.strictObject({
  id: z.uuid(),
  bookingId: z.nullable(z.uuid()),
  /** Minor units of `currency`: hostPayout less what a refund took from the host. */
  amount: z.number().check(z.int()),
  currency: z.string(),
  status,
  dueAt: instant,
  paidAt: z.nullable(instant),
});

export const listBanks = contract({
  method: 'GET',
  path: '/banks',
  fn: 'banks/list-banks',
  auth: signedIn('host'),
  memory: 256,
  description: "Nigeria's banks, for a payout account's bankCode (Paystack's list, cached)",
  responses: {
    200: z.strictObject({ banks: z.array(z.strictObject({ code: z.string(), name: z.string() })) }),
  },
});

export const getPayoutAccount = contract({
  method: 'GET',
  path: '/host/payout-account',
  fn: 'host/get-payout-account',
  auth: signedIn('host'),
  description: "The host's payout account; 404 until they add one",
  responses: { 200: payoutAccount },
});

export const setPayoutAccount = contract({
  method: 'PUT',
  path: '/host/payout-account',
  fn: 'host/set-payout-account',
  auth: signedIn('host'),
  description:
    'Set where the host is paid: the name is resolved by the bank, and payouts on hold are released',
  body: z.strictObject({
    bankCode: z.string().check(z.regex(/^\d{3,6}$/, 'a bank code from GET /banks')),
    accountNumber: z.string().check(z.regex(/^\d{10}$/, 'a 10-digit NUBAN account number')),
  }),
  responses: { 200: payoutAccount },
});

export const getEarnings = contract({
  method: 'GET',
  path: '/host/earnings',
  fn: 'host/get-earnings',
  auth: signedIn('host'),
  description: "The host's payouts: totals by state and the latest 50",
  responses: {
    200: z.strictObject({
      currency: z.string(),
      /** Asked of Paystack, not yet settled. */
      pending: z.number().check(z.int()),
      scheduled: z.number().check(z.int()),
      onHold: z.number().check(z.int()),
      paid: z.number().check(z.int()),
      payouts: z.array(z.omit(payoutLine, { id: true })),
    }),
  },
});

export const listPayouts = contract({
  method: 'GET',
  path: '/admin/payouts',
  fn: 'admin/list-payouts',
  auth: signedIn('admin'),
  description: 'Payouts by status, newest first (failed ones wait for an admin)',
  query: z.strictObject({
    status: z.optional(status),
    cursor: z.optional(z.string().check(z.maxLength(200))),
    limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 50),
  }),
  responses: {
    200: z.strictObject({
      payouts: z.array(
        z.extend(payoutLine, {
          hostId: z.uuid(),
          attempts: z.number().check(z.int()),
          lastError: z.nullable(z.string()),
        }),
      ),
      nextCursor: z.nullable(z.string()),
    }),
  },
});

export const retryPayoutContract = contract({
  method: 'POST',
  path: '/admin/payouts/{id}/retry',
  fn: 'admin/retry-payout',
  auth: signedIn('admin'),
  description:
    'Try a failed payout again, with the same reference (after the host fixed the account)',
  params: z.object({ id: z.uuid() }),
  responses: { 202: z.strictObject({ id: z.uuid(), status: z.literal('scheduled') }) },
});
