/**
 * What a guest gets back on cancelling, by the policy the booking kept (docs/ARCHITECTURE.md
 * has the table). Notice is measured to check-in: CHECK_IN_HOUR on the check-in date in
 * Africa/Lagos (UTC+1 all year). Integer minor units; a share that is not a whole number of
 * kobo rounds half up, as every fee does (lib/bookings/pricing.ts).
 */
export type Policy = 'flexible' | 'moderate' | 'firm';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A fraction of the nightly subtotal. */
interface Share {
  num: number;
  den: number;
  /** The rule that gave it, for the booking's record and the docs. */
  rule: string;
}

/** `amount × num / den`, rounded half up to the minor unit. */
export const shareOf = (amount: number, { num, den }: Pick<Share, 'num' | 'den'>) =>
  Math.floor((2 * amount * num + den) / (2 * den));

export interface CancelledStay {
  policy: Policy;
  nights: number;
  subtotal: number;
  cleaningFee: number;
  serviceFee: number;
  /** When it was booked, and when check-in is. */
  bookedAt: Date;
  checkInAt: Date;
}

/** The share of the nightly subtotal the policy gives back, cancelling at `now`. */
export function subtotalShare(stay: CancelledStay, now: Date): Share {
  const notice = stay.checkInAt.getTime() - now.getTime();
  if (now.getTime() - stay.bookedAt.getTime() <= DAY && notice >= 7 * DAY) {
    return { num: 1, den: 1, rule: 'within 24 h of booking, 7 days or more before check-in' };
  }
  switch (stay.policy) {
    case 'flexible':
      return notice >= DAY
        ? { num: 1, den: 1, rule: 'flexible, 24 h or more before check-in' }
        : {
            num: stay.nights - 1,
            den: stay.nights,
            rule: 'flexible, under 24 h: all nights but the first',
          };
    case 'moderate':
      return notice >= 5 * DAY
        ? { num: 1, den: 1, rule: 'moderate, 5 days or more before check-in' }
        : { num: 1, den: 2, rule: 'moderate, under 5 days: half' };
    case 'firm':
      if (notice >= 30 * DAY)
        return { num: 1, den: 1, rule: 'firm, 30 days or more before check-in' };
      return notice >= 7 * DAY
        ? { num: 1, den: 2, rule: 'firm, 7 to 30 days: half' }
        : { num: 0, den: 1, rule: 'firm, under 7 days: nothing' };
  }
}

export interface GuestRefund {
  subtotal: number;
  cleaningFee: number;
  serviceFee: number;
  /** What goes back to the guest. */
  amount: number;
  /** The part of it that comes out of the host's payout: nights and cleaning. */
  hostPart: number;
  rule: string;
}

/**
 * A guest's cancellation before check-in: the policy's share of the nights, the cleaning fee
 * in full (the stay never started), and the service fee in the same share as the nights.
 */
export function guestRefund(stay: CancelledStay, now: Date): GuestRefund {
  const share = subtotalShare(stay, now);
  const subtotal = shareOf(stay.subtotal, share);
  const serviceFee = shareOf(stay.serviceFee, share);
  return {
    subtotal,
    cleaningFee: stay.cleaningFee,
    serviceFee,
    amount: subtotal + stay.cleaningFee + serviceFee,
    hostPart: subtotal + stay.cleaningFee,
    rule: share.rule,
  };
}
