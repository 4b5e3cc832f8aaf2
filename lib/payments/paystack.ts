import * as z from 'zod/mini';
import { config } from '#lib/platform/config';

/**
 * Paystack's secret-key API, the calls bookings need: initialize a transaction, verify it,
 * refund it. Answers come as `{ status, message, data }`; amounts are minor units, which
 * Paystack sometimes sends as strings, so they are coerced.
 */
export class PaystackError extends Error {
  /** True for a network failure, a timeout, 429 or 5xx: asking again may work. */
  readonly retryable: boolean;
  constructor(message: string, retryable: boolean) {
    super(message);
    this.name = 'PaystackError';
    this.retryable = retryable;
  }
}

const minor = z.coerce.number().check(z.int());

const envelope = <T extends z.core.$ZodType>(data: T) =>
  z.object({ status: z.literal(true), message: z.optional(z.string()), data });

async function call<T extends z.core.$ZodType>(
  method: 'GET' | 'POST',
  path: string,
  data: T,
  body?: unknown,
): Promise<z.output<T>> {
  const key = config.PAYSTACK_SECRET_KEY;
  if (!key) throw new PaystackError('PAYSTACK_SECRET_KEY is not set', false);
  let res: Response;
  try {
    res = await fetch(`${config.PAYSTACK_BASE_URL}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(config.PROVIDER_TIMEOUT_MS),
    });
  } catch (error) {
    throw new PaystackError(`Paystack unreachable: ${(error as Error).name}`, true);
  }
  const text = await res.text();
  if (res.status === 429 || res.status >= 500) {
    throw new PaystackError(`Paystack answered ${res.status}`, true);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new PaystackError(`Paystack answered ${res.status} with no JSON`, true);
  }
  if (!res.ok) {
    const message = (json as { message?: unknown })?.message;
    throw new PaystackError(`Paystack refused ${path} (${res.status}): ${String(message)}`, false);
  }
  const parsed = z.safeParse(envelope(data), json);
  if (!parsed.success) {
    throw new PaystackError(`Paystack's answer to ${path} is not what it documents`, false);
  }
  return (parsed.data as { data: z.output<T> }).data;
}

export interface NewTransaction {
  email: string;
  amount: number;
  currency: string;
  reference: string;
  metadata: Record<string, string>;
}

/** Starts a checkout: where the guest pays, and the code the mobile SDK takes instead. */
export function initializeTransaction(t: NewTransaction) {
  return call(
    'POST',
    '/transaction/initialize',
    z.object({ authorization_url: z.url(), access_code: z.string(), reference: z.string() }),
    {
      ...t,
      ...(config.PAYSTACK_CALLBACK_URL ? { callback_url: config.PAYSTACK_CALLBACK_URL } : {}),
    },
  );
}

const verified = z.object({
  status: z.string(),
  reference: z.string(),
  amount: minor,
  currency: z.string(),
  paid_at: z.optional(z.nullable(z.string())),
});
export type VerifiedTransaction = z.output<typeof verified>;

/** What Paystack says of a transaction now; the only source a payment is believed from. */
export function verifyTransaction(reference: string): Promise<VerifiedTransaction> {
  return call('GET', `/transaction/verify/${encodeURIComponent(reference)}`, verified);
}

/** Gives `amount` (all of it when absent) of a transaction back to the customer. */
export function refundTransaction(reference: string, amount?: number) {
  return call('POST', '/refund', z.object({ id: z.coerce.string(), status: z.string() }), {
    transaction: reference,
    ...(amount === undefined ? {} : { amount }),
  });
}

const bank = z.object({ name: z.string(), code: z.string(), active: z.optional(z.boolean()) });

/** Nigeria's banks as Paystack lists them (`GET /bank`), for a payout account's `bankCode`. */
export async function listBanks() {
  const banks = await call('GET', '/bank?country=nigeria&currency=NGN&perPage=100', z.array(bank));
  return banks.filter((b) => b.active !== false);
}

/** The account holder's name, as the bank has it; undefined when the number does not resolve. */
export async function resolveAccount(accountNumber: string, bankCode: string) {
  const query = new URLSearchParams({ account_number: accountNumber, bank_code: bankCode });
  try {
    return await call('GET', `/bank/resolve?${query}`, z.object({ account_name: z.string() }));
  } catch (error) {
    if (error instanceof PaystackError && !error.retryable) return undefined;
    throw error;
  }
}

/** A transfer recipient for a Nigerian bank account: Paystack keeps the number, we its code. */
export function createRecipient(r: { name: string; accountNumber: string; bankCode: string }) {
  return call('POST', '/transferrecipient', z.object({ recipient_code: z.string() }), {
    type: 'nuban',
    name: r.name,
    account_number: r.accountNumber,
    bank_code: r.bankCode,
    currency: 'NGN',
  });
}

const transfer = z.object({
  status: z.string(),
  reference: z.string(),
  transfer_code: z.optional(z.string()),
  amount: minor,
});
export type Transfer = z.output<typeof transfer>;

/**
 * Sends `amount` from the balance to a recipient. `reference` is ours (the payout's id):
 * Paystack refuses a second transfer with it, which is what makes a retry safe.
 */
export function initiateTransfer(t: {
  amount: number;
  recipient: string;
  reference: string;
  reason: string;
}) {
  return call('POST', '/transfer', transfer, { source: 'balance', currency: 'NGN', ...t });
}

/** A transfer as Paystack has it now, by our reference; undefined when it has none. */
export async function verifyTransfer(reference: string): Promise<Transfer | undefined> {
  try {
    return await call('GET', `/transfer/verify/${encodeURIComponent(reference)}`, transfer);
  } catch (error) {
    if (
      error instanceof PaystackError &&
      !error.retryable &&
      /\(404\)|not found/i.test(error.message)
    ) {
      return undefined;
    }
    throw error;
  }
}
