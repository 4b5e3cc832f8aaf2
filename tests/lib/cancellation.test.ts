import { describe, expect, it } from 'vitest';
import { type CancelledStay, guestRefund } from '#lib/bookings/cancellation';
import { lagosInstant } from '#lib/bookings/dates';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

// 3 nights at ₦45,333.35, cleaning ₦15,000, service fee 10% (half up): the quote's example.
const checkInAt = lagosInstant('2027-03-10', 14);
const stay = (policy: CancelledStay['policy'], bookedDaysBefore = 60): CancelledStay => ({
  policy,
  nights: 3,
  subtotal: 13_600_005,
  cleaningFee: 1_500_000,
  serviceFee: 1_360_001,
  bookedAt: new Date(checkInAt.getTime() - bookedDaysBefore * DAY),
  checkInAt,
});
const before = (ms: number) => new Date(checkInAt.getTime() - ms);

describe('a guest refund, walking the policy table to the kobo', () => {
  it('puts check-in at CHECK_IN_HOUR in Lagos (UTC+1)', () => {
    expect(lagosInstant('2027-03-10', 14).toISOString()).toBe('2027-03-10T13:00:00.000Z');
  });

  const full = {
    subtotal: 13_600_005,
    cleaningFee: 1_500_000,
    serviceFee: 1_360_001,
    amount: 16_460_006,
    hostPart: 15_100_005,
  };
  const half = {
    subtotal: 6_800_003,
    cleaningFee: 1_500_000,
    serviceFee: 680_001,
    amount: 8_980_004,
    hostPart: 8_300_003,
  };
  const rows: Array<[CancelledStay['policy'], number, Omit<typeof full, never>]> = [
    ['flexible', DAY, full],
    // All nights but the first: 2 of 3 nights, and 2/3 of the service fee (906,667.33 → 906,667).
    [
      'flexible',
      DAY - 1,
      {
        subtotal: 9_066_670,
        cleaningFee: 1_500_000,
        serviceFee: 906_667,
        amount: 11_473_337,
        hostPart: 10_566_670,
      },
    ],
    ['moderate', 5 * DAY, full],
    // Half of 13,600,005 is 6,800,002.5 → 6,800,003; of 1,360,001, 680,000.5 → 680,001.
    ['moderate', 5 * DAY - 1, half],
    ['firm', 30 * DAY, full],
    ['firm', 30 * DAY - 1, half],
    ['firm', 7 * DAY, half],
    [
      'firm',
      7 * DAY - 1,
      {
        subtotal: 0,
        cleaningFee: 1_500_000,
        serviceFee: 0,
        amount: 1_500_000,
        hostPart: 1_500_000,
      },
    ],
  ];
  for (const [policy, notice, expected] of rows) {
    const when = notice % HOUR === 0 ? `${notice / HOUR} h` : `1 ms under ${(notice + 1) / HOUR} h`;
    it(`${policy}, ${when} before check-in`, () => {
      expect(guestRefund(stay(policy), before(notice))).toMatchObject(expected);
    });
  }

  it('gives everything back within 24 h of booking when check-in is 7 days or more away, whatever the policy', () => {
    const booked = stay('firm', 9);
    expect(guestRefund(booked, new Date(booked.bookedAt.getTime() + DAY))).toMatchObject(full);
    // 25 h after booking, the policy applies again: firm, 7 days 23 h before check-in: half.
    expect(guestRefund(booked, new Date(booked.bookedAt.getTime() + DAY + HOUR))).toMatchObject(
      half,
    );
    // Within 24 h of booking but under 7 days before check-in: the policy (firm: nothing).
    const late = stay('firm', 6);
    expect(guestRefund(late, new Date(late.bookedAt.getTime() + HOUR)).subtotal).toBe(0);
  });
});
