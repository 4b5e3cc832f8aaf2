import { eq, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { book, inDays, payAtCheckout, until } from '#tests/support/bookings';
import { startLocalStack } from '#tests/support/stack';
import { publishedListing } from '#tests/support/uploads';

// Check-in at midnight in Lagos: a stay N days ahead has between N−1 and N days of notice,
// whatever the time the test runs, and today's check-in has always passed.
const stack = await startLocalStack({ CHECK_IN_HOUR: '0' });
const { db, schema } = await import('#lib/db/index');
afterAll(() => stack.close());

const host = await stack.signIn('host');
const otherHost = await stack.signIn('host');
const guest = await stack.signIn('user', 'ngozi@example.com');
const otherGuest = await stack.signIn('user', 'obi@example.com');
const adminEmail = 'support@example.com';
await db().insert(schema.admins).values({ email: adminEmail, name: 'Support' });
const admin = await stack.signIn('admin', adminEmail);

// Two nights at ₦45,333.35, cleaning ₦15,000: subtotal 9,066,670, service fee 906,667,
// total 11,473,337 kobo.
const TOTAL = 11_473_337;
const listings = new Map<string, string>();
async function listingFor(policy: 'flexible' | 'moderate' | 'firm') {
  if (!listings.has(policy)) {
    const { id } = await publishedListing(stack, host.accessToken, {
      pricePerNight: 4_533_335,
      cleaningFee: 1_500_000,
      instantBook: true,
      cancellationPolicy: policy,
    });
    listings.set(policy, id);
  }
  return listings.get(policy) as string;
}

/** A paid, confirmed two-night stay `days` ahead; `old` makes it booked two days ago. */
async function confirmedStay(policy: 'flexible' | 'moderate' | 'firm', days: number, old = true) {
  const res = await book(stack, guest.accessToken, {
    listingId: await listingFor(policy),
    checkIn: inDays(days),
    checkOut: inDays(days + 2),
  });
  expect(res.status).toBe(201);
  expect(res.body.total).toBe(TOTAL);
  await payAtCheckout(res.body.payment.authorizationUrl, 'success');
  const paid = await stack.api('POST', `/bookings/${res.body.id}/payment/verify`, {
    token: guest.accessToken,
  });
  expect(paid.body.status).toBe('confirmed');
  if (old) {
    await db()
      .update(schema.bookings)
      .set({ createdAt: sql`now() - interval '2 days'` })
      .where(eq(schema.bookings.id, res.body.id));
  }
  return res.body as { id: string; payment: { reference: string } };
}

const cancel = (id: string, token = guest.accessToken) =>
  stack.api('POST', `/bookings/${id}/cancel`, { token, body: { reason: 'Plans changed' } });

/** Waits for the refund to reach Paystack and come back processed; returns its amount there. */
async function refundedAtPaystack(id: string, reference: string) {
  await until(
    () => stack.api('GET', `/bookings/${id}`, { token: guest.accessToken }),
    (r) => r.body.refund?.status === 'processed',
  );
  const refunds = stack.paystack.refunds().filter((r) => r.reference === reference);
  expect(refunds).toHaveLength(1);
  return refunds[0]?.amount;
}

describe('a guest cancelling walks the policy table, to the kobo', () => {
  const rows: Array<[string, 'flexible' | 'moderate' | 'firm', number, number]> = [
    // policy, days ahead, refund: nights share + cleaning 1,500,000 + service fee share
    ['flexible, 24 h or more: everything', 'flexible', 3, TOTAL],
    // One of two nights: 4,533,335 + 1,500,000 + 453,334 (906,667 / 2 = 453,333.5, half up)
    ['flexible, under 24 h: all nights but the first', 'flexible', 1, 6_486_669],
    ['moderate, 5 days or more: everything', 'moderate', 6, TOTAL],
    ['moderate, under 5 days: half', 'moderate', 4, 6_486_669],
    ['firm, 30 days or more: everything', 'firm', 31, TOTAL],
    ['firm, 7 to 30 days: half', 'firm', 20, 6_486_669],
    // Nothing of the nights or the service fee; the cleaning fee, the stay not begun.
    ['firm, under 7 days: the cleaning fee only', 'firm', 6, 1_500_000],
  ];
  for (const [name, policy, days, refund] of rows) {
    it(name, async () => {
      const stay = await confirmedStay(policy, days);
      const res = await cancel(stay.id);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        status: 'cancelled',
        cancelledBy: 'guest',
        statusReason: 'Plans changed',
        refund: { amount: refund, status: 'pending' },
      });
      expect(await refundedAtPaystack(stay.id, stay.payment.reference)).toBe(refund);
    });
  }

  it('gives everything back within 24 h of booking, 7 days or more before check-in, even when firm', async () => {
    const stay = await confirmedStay('firm', 10, false);
    const res = await cancel(stay.id);
    expect(res.body.refund).toEqual({ amount: TOTAL, status: 'pending' });
    expect(await refundedAtPaystack(stay.id, stay.payment.reference)).toBe(TOTAL);
  });

  it('refunds a request not yet accepted in full, and an unpaid hold owes nothing', async () => {
    const { id: listingId } = await publishedListing(stack, host.accessToken, {
      pricePerNight: 4_533_335,
      cleaningFee: 1_500_000,
      cancellationPolicy: 'firm',
    });
    const requested = await book(stack, guest.accessToken, {
      listingId,
      checkIn: inDays(3),
      checkOut: inDays(5),
    });
    await payAtCheckout(requested.body.payment.authorizationUrl, 'success');
    await stack.api('POST', `/bookings/${requested.body.id}/payment/verify`, {
      token: guest.accessToken,
    });
    const res = await cancel(requested.body.id);
    expect(res.body).toMatchObject({ status: 'cancelled', refund: { amount: TOTAL } });
    expect(await refundedAtPaystack(requested.body.id, requested.body.payment.reference)).toBe(
      TOTAL,
    );

    const hold = await book(stack, guest.accessToken, {
      listingId,
      checkIn: inDays(8),
      checkOut: inDays(10),
    });
    const dropped = await cancel(hold.body.id);
    expect(dropped.body).toMatchObject({
      status: 'cancelled',
      refund: { amount: 0, status: 'none' },
    });
    // Its nights are free at once.
    expect(
      (
        await book(stack, otherGuest.accessToken, {
          listingId,
          checkIn: inDays(8),
          checkOut: inDays(10),
        })
      ).status,
    ).toBe(201);
  });
});

describe('a host cancelling', () => {
  it('gives the guest everything back, and the cancellation is recorded against the host', async () => {
    const stay = await confirmedStay('firm', 12);
    const refused = await stack.api('POST', `/host/bookings/${stay.id}/cancel`, {
      token: host.accessToken,
      body: {},
    });
    expect(refused.status).toBe(400);
    const res = await stack.api('POST', `/host/bookings/${stay.id}/cancel`, {
      token: host.accessToken,
      body: { reason: 'Burst pipe' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'cancelled',
      cancelledBy: 'host',
      refund: { amount: TOTAL },
    });
    expect(await refundedAtPaystack(stay.id, stay.payment.reference)).toBe(TOTAL);
    const record = await stack.api('GET', '/admin/host-cancellations', {
      token: admin.accessToken,
    });
    expect(record.status).toBe(200);
    expect(record.body.cancellations[0]).toMatchObject({
      bookingId: stay.id,
      hostId: host.principal.id,
      reason: 'Burst pipe',
      hostTotal: 1,
    });
    expect(
      (await stack.api('GET', '/admin/host-cancellations', { token: host.accessToken })).status,
    ).toBe(403);
  });
});

describe('after check-in', () => {
  it('only an admin cancels, refunding what they decide, at most what was paid', async () => {
    const stay = await confirmedStay('flexible', 0);
    const late = await cancel(stay.id);
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('checked_in');
    const tooMuch = await stack.api('POST', `/admin/bookings/${stay.id}/cancel`, {
      token: admin.accessToken,
      body: { refundAmount: TOTAL + 1, reason: 'No power' },
    });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.error.details[0].path).toBe('body.refundAmount');
    const res = await stack.api('POST', `/admin/bookings/${stay.id}/cancel`, {
      token: admin.accessToken,
      body: { refundAmount: 4_533_335, reason: 'No power for a night' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'cancelled',
      cancelledBy: 'admin',
      refund: { amount: 4_533_335 },
    });
    expect(await refundedAtPaystack(stay.id, stay.payment.reference)).toBe(4_533_335);
  });
});

describe('nobody else', () => {
  it('can cancel a booking: another guest and another host get 404, twice is a 409', async () => {
    const stay = await confirmedStay('moderate', 25);
    expect((await cancel(stay.id, otherGuest.accessToken)).status).toBe(404);
    const theirs = await stack.api('POST', `/host/bookings/${stay.id}/cancel`, {
      token: otherHost.accessToken,
      body: { reason: 'Not mine' },
    });
    expect(theirs.status).toBe(404);
    expect((await cancel(stay.id)).status).toBe(200);
    const again = await cancel(stay.id);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('booking_not_cancellable');
    expect(
      stack.paystack.refunds().filter((r) => r.reference === stay.payment.reference),
    ).toHaveLength(1);
  });
});
