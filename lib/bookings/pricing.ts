/**
 * The price of a stay, in integer minor units (kobo for NGN). One rounding rule: a fee in
 * basis points of an amount is rounded half up to the minor unit (`bps`), so 10% of 5 kobo
 * is 1 kobo and 10% of 4 kobo is 0. Always
 *   total = subtotal + cleaningFee + serviceFee          (what the guest pays)
 *   hostPayout = subtotal + cleaningFee - hostFee        (what the host is paid)
 */
export interface Price {
  nights: number;
  nightlyPrice: number;
  subtotal: number;
  cleaningFee: number;
  /** The guest's service fee: SERVICE_FEE_BPS of the subtotal. */
  serviceFee: number;
  total: number;
  /** The marketplace's fee: HOST_FEE_BPS of the subtotal, deducted from the payout. */
  hostFee: number;
  hostPayout: number;
}

/** `amount × bps / 10 000`, rounded half up to the minor unit; exact for amounts < 2^53 / 10 000. */
export const bps = (amount: number, basisPoints: number): number =>
  Math.floor((amount * basisPoints + 5_000) / 10_000);

export function priceStay(stay: {
  nights: number;
  nightlyPrice: number;
  cleaningFee: number;
  serviceFeeBps: number;
  hostFeeBps: number;
}): Price {
  const subtotal = stay.nights * stay.nightlyPrice;
  const serviceFee = bps(subtotal, stay.serviceFeeBps);
  const hostFee = bps(subtotal, stay.hostFeeBps);
  return {
    nights: stay.nights,
    nightlyPrice: stay.nightlyPrice,
    subtotal,
    cleaningFee: stay.cleaningFee,
    serviceFee,
    total: subtotal + stay.cleaningFee + serviceFee,
    hostFee,
    hostPayout: subtotal + stay.cleaningFee - hostFee,
  };
}
