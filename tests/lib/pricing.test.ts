import { describe, expect, it } from 'vitest';
import { lagosToday, nightsBetween } from '#lib/bookings/dates';
import { bps, priceStay } from '#lib/bookings/pricing';

describe('a fee in basis points', () => {
  it('rounds half up to the kobo', () => {
    expect(bps(5, 1000)).toBe(1); // 0.5 → 1
    expect(bps(4, 1000)).toBe(0); // 0.4 → 0
    expect(bps(15, 1000)).toBe(2); // 1.5 → 2
    expect(bps(14, 1000)).toBe(1); // 1.4 → 1
    expect(bps(13_600_005, 300)).toBe(408_000); // 408 000.15
    expect(bps(0, 1000)).toBe(0);
    expect(bps(365 * 1_000_000_000, 5000)).toBe(182_500_000_000); // the largest stay, exact
  });
});

describe('the price of a stay', () => {
  it('works one example to the last kobo', () => {
    // 3 nights at ₦45,333.35 with a ₦15,000 cleaning fee, 10% service fee, 3% host fee.
    expect(
      priceStay({
        nights: 3,
        nightlyPrice: 4_533_335,
        cleaningFee: 1_500_000,
        serviceFeeBps: 1000,
        hostFeeBps: 300,
      }),
    ).toEqual({
      nights: 3,
      nightlyPrice: 4_533_335,
      subtotal: 13_600_005,
      cleaningFee: 1_500_000,
      serviceFee: 1_360_001, // 1 360 000.5, rounded up
      total: 16_460_006, // 13 600 005 + 1 500 000 + 1 360 001
      hostFee: 408_000, // 408 000.15, rounded down
      hostPayout: 14_692_005, // 13 600 005 + 1 500 000 − 408 000
    });
  });

  it('always adds up: total and payout from the same parts, for any price', () => {
    for (let i = 0; i < 500; i++) {
      const stay = {
        nights: 1 + (i % 30),
        nightlyPrice: (i * 7_919_003) % 1_000_000_000,
        cleaningFee: (i * 104_729) % 5_000_000,
        serviceFeeBps: i % 2000,
        hostFeeBps: (i * 7) % 1000,
      };
      const p = priceStay(stay);
      expect(p.subtotal).toBe(stay.nights * stay.nightlyPrice);
      expect(p.total).toBe(p.subtotal + p.cleaningFee + p.serviceFee);
      expect(p.hostPayout).toBe(p.subtotal + p.cleaningFee - p.hostFee);
      for (const v of Object.values(p)) expect(Number.isSafeInteger(v)).toBe(true);
    }
  });
});

describe('stay dates', () => {
  it('are calendar days in Lagos (UTC+1), and nights count across months and years', () => {
    expect(lagosToday(new Date('2026-12-01T22:59:59Z'))).toBe('2026-12-01');
    expect(lagosToday(new Date('2026-12-01T23:00:00Z'))).toBe('2026-12-02');
    expect(nightsBetween('2026-12-30', '2027-01-02')).toBe(3);
    expect(nightsBetween('2028-02-28', '2028-03-01')).toBe(2);
  });

  it('agree with the Africa/Lagos time zone on every hour of three years', () => {
    const lagos = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Africa/Lagos',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    const start = Date.parse('2026-01-01T00:30:00Z');
    for (let hour = 0; hour < 3 * 366 * 24; hour++) {
      const now = new Date(start + hour * 3_600_000);
      expect(lagosToday(now), now.toISOString()).toBe(lagos.format(now));
    }
  });
});
