import { afterAll, describe, expect, it } from 'vitest';
import { book, inDays, payAtCheckout, until } from '#tests/support/bookings';
import { startLocalStack } from '#tests/support/stack';
import { publishedListing } from '#tests/support/uploads';

// Short timers: the payment window and the host's time to answer, as delayed QStash jobs.
const stack = await startLocalStack({ PAYMENT_WINDOW_SECONDS: '2', HOST_RESPONSE_SECONDS: '2' });
afterAll(() => stack.close());

const host = await stack.signIn('host');
const guest = await stack.signIn('user', 'bisi@example.com');
const nextGuest = await stack.signIn('user', 'chidi@example.com');

const bookingOf = (id: string, token = guest.accessToken) =>
  stack.api('GET', `/bookings/${id}`, { token });

async function listing() {
  const { id } = await publishedListing(stack, host.accessToken, {
    title: 'Surulere room',
    pricePerNight: 2_000_000,
  });
  return id;
}

describe('timers', () => {
  it('expires an unpaid booking when its window ends, and its dates are free again', async () => {
    const listingId = await listing();
    const stay = { listingId, checkIn: inDays(20), checkOut: inDays(23) };
    const held = await book(stack, guest.accessToken, stay);
    expect(held.status).toBe(201);
    expect((await book(stack, nextGuest.accessToken, stay)).status).toBe(409);

    // Delivered by QStash after the window: a delayed message, not a poller.
    const expired = await until(
      () => bookingOf(held.body.id),
      (r) => r.body.status === 'expired',
    );
    expect(expired.body).toMatchObject({
      statusReason: 'not paid in time',
      expiresAt: null,
      refund: null,
    });
    const deadline = await stack.qstash.waitFor(
      (d) =>
        d.url.endsWith('/jobs/booking-deadline') &&
        d.body.includes(held.body.id) &&
        d.status === 200,
    );
    expect(deadline?.status).toBe(200);

    const rebooked = await book(stack, nextGuest.accessToken, stay);
    expect(rebooked.status).toBe(201);
  });

  it('expires a paid request the host did not answer in time, refunded in full', async () => {
    const listingId = await listing();
    const res = await book(stack, guest.accessToken, {
      listingId,
      checkIn: inDays(30),
      checkOut: inDays(31),
    });
    await payAtCheckout(res.body.payment.authorizationUrl, 'success');
    const requested = await stack.api('POST', `/bookings/${res.body.id}/payment/verify`, {
      token: guest.accessToken,
    });
    expect(requested.body.status).toBe('requested');
    const expired = await until(
      () => bookingOf(res.body.id),
      (r) => r.body.status === 'expired' && r.body.refund?.status === 'processed',
    );
    expect(expired.body.refund).toEqual({ amount: 2_200_000, status: 'processed' });
    expect(expired.body.statusReason).toBe('the host did not answer in time');
    const late = await stack.api('POST', `/host/bookings/${res.body.id}/accept`, {
      token: host.accessToken,
    });
    expect(late.status).toBe(409);
    expect(
      stack.paystack.refunds().filter((r) => r.reference === res.body.payment.reference),
    ).toHaveLength(1);
  });

  it("cancels the payment window's job once the booking is paid, so QStash delivers nothing", async () => {
    const { id: listingId } = await publishedListing(stack, host.accessToken, {
      instantBook: true,
    });
    const res = await book(stack, guest.accessToken, {
      listingId,
      checkIn: inDays(50),
      checkOut: inDays(51),
    });
    await payAtCheckout(res.body.payment.authorizationUrl, 'success');
    const paid = await stack.api('POST', `/bookings/${res.body.id}/payment/verify`, {
      token: guest.accessToken,
    });
    expect(paid.body.status).toBe('confirmed');
    await new Promise((r) => setTimeout(r, 3000));
    const deadlines = stack.qstash.deliveries.filter(
      (d) => d.url.endsWith('/jobs/booking-deadline') && d.body.includes(res.body.id),
    );
    expect(deadlines).toEqual([]);
  });

  it('refunds a payment made after its booking expired, and never takes the dates back', async () => {
    const listingId = await listing();
    const stay = { listingId, checkIn: inDays(40), checkOut: inDays(42) };
    const first = await book(stack, guest.accessToken, stay);
    await until(
      () => bookingOf(first.body.id),
      (r) => r.body.status === 'expired',
    );
    const second = await book(stack, nextGuest.accessToken, stay);
    expect(second.status).toBe(201);

    // The first guest's checkout tab was still open: they pay now.
    await payAtCheckout(first.body.payment.authorizationUrl, 'success');
    const refunded = await until(
      () => bookingOf(first.body.id),
      (r) => r.body.refund?.status === 'processed',
    );
    expect(refunded.body).toMatchObject({
      status: 'expired',
      payment: { status: 'refunded' },
      refund: { amount: first.body.total, status: 'processed' },
    });
    expect((await bookingOf(second.body.id, nextGuest.accessToken)).body.status).toBe(
      'pending_payment',
    );
  });
});
