import { listBanks as paystackBanks } from '#lib/payments/paystack';
import { cacheKey, safely } from '#lib/platform/cache';

/** Banks change a few times a year: a day in the cache, and the cache may fail. */
const BANKS_TTL_SECONDS = 24 * 60 * 60;

export interface Bank {
  code: string;
  name: string;
}

/** Nigeria's banks, from the cache or Paystack's `GET /bank`. */
export async function banks(): Promise<Bank[]> {
  const key = cacheKey('paystack:banks:NG');
  const cached = await safely('banks get', (r) => r.get<string>(key), null);
  if (cached) return JSON.parse(cached) as Bank[];
  const fresh = (await paystackBanks()).map((b) => ({ code: b.code, name: b.name }));
  await safely(
    'banks set',
    (r) => r.set(key, JSON.stringify(fresh), { ex: BANKS_TTL_SECONDS }),
    null,
  );
  return fresh;
}
