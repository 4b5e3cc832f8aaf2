import { createHmac, randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { book, inDays, payAtCheckout, until } from '#tests/support/bookings';
import { startLocalStack } from '#tests/support/stack';
import { publishedListing } from '#tests/support/uploads';

const CALLBACK = 'https://app.example.com/bookings/paid';
const stack = await startLocalStack({ PAYSTACK_CALLBACK_URL: CALLBACK });
const { db, schema } = await import('#lib/db/index');
afterAll(() => stack.close());

const host = await stack.signIn('host');
const otherHost = await stack.signIn('host');
const guest = await stack.signIn('user', 'amaka@example.com');
const otherGuest = await stack.signIn('user');

/** Each signs in on a phone that registered for push, as the app does. */
for (const [i, s] of [host, otherHost, guest, otherGuest].entries()) {
  const registered = await stack.api('POST', '/me/push-tokens', {
    token: s.accessToken,
    body: { token: `ExponentPushToken[booking-${s.principal.role}-${i}]`, platform: 'android' },
  });
  expect(registered.status).toBeLessThan(300);
}
const pushTokenOf = new Map(
  [host, otherHost, guest, otherGuest].map((s, i) => [
    s.principal.id,
    `ExponentPushToken[booking-${s.principal.role}-${i}]`,
  ]),
);

const listingBody = {
  title: 'Ikoyi flat',
  city: 'Ikoyi',
  address: '12 Bourdillon Road',
  pricePerNight: 4_533_335,
  cleaningFee: 1_500_000,
  maxGuests: 3,
};

const bookingOf = (id: string, token = guest.accessToken) =>
  stack.api('GET', `/bookings/${id}`, { token });

/** A signed Paystack event, sent to the webhook as Paystack would. */
function webhook(payload: unknown, signature?: string) {
  const body = JSON.stringify(payload);
  const key = process.env.PAYSTACK_SECRET_KEY ?? '';
  return fetch(`${stack.gateway.url}/webhooks/paystack`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-paystack-signature': signature ?? createHmac('sha512', key).update(body).digest('hex'),
    },
    body,
  });
}

/** The pushes titled `title` that reached this principal's phone, about `bookingId` if given. */
const pushesTo = async (principalId: string, title: string, bookingId?: string) =>
  (await stack.outbox()).filter(
    (l) =>
      l.channel === 'push' &&
      l.to === pushTokenOf.get(principalId) &&
      l.title === title &&
      (!bookingId || (l.data as { bookingId?: string } | undefined)?.bookingId === bookingId),
  );

describe('request to book', () => {
  it('goes from quote to confirmed through the checkout page and the host, to the last kobo', async () => {
    const { id: listingId } = await publishedListing(stack, host.accessToken, listingBody);
    const stay = { checkIn: inDays(30), checkOut: inDays(33), guests: 2 };
    const quote = await stack.api(
      'GET',
      `/listings/public/${listingId}/quote?checkIn=${stay.checkIn}&checkOut=${stay.checkOut}&guests=2`,
    );
    expect(quote.body).toMatchObject({
      total: 16_460_006,
      hostPayout: 14_692_005,
      available: true,
    });

    const res = await book(stack, guest.accessToken, {
      listingId,
      ...stay,
      message: 'Late arrival',
    });
    expect(res.status).toBe(201);
    const { available: _, ...quoted } = quote.body;
    expect(res.body).toMatchObject({
      ...quoted,
      status: 'pending_payment',
      message: 'Late arrival',
      instantBook: false,
      cancellationPolicy: 'moderate',
      payment: { provider: 'paystack', status: 'pending' },
      refund: null,
      listing: { id: listingId, address: null },
      host: { phone: null, email: null },
    });
    const windowMs = Date.parse(res.body.expiresAt) - Date.now();
    expect(windowMs).toBeGreaterThan(850_000);
    expect(windowMs).toBeLessThanOrEqual(900_000);
    const { reference, authorizationUrl, accessCode } = res.body.payment;
    expect(authorizationUrl).toContain(accessCode);
    // Paystack was asked for exactly the total, in kobo, for the guest's email.
    const [charge] = stack.paystack.transactions().filter((t) => t.reference === reference);
    expect(charge).toMatchObject({ amount: 16_460_006, currency: 'NGN', callbackUrl: CALLBACK });
    expect(charge?.customer.email).toBe('amaka@example.com');

    const back = await payAtCheckout(authorizationUrl, 'success');
    expect(new URL(back ?? '').searchParams.get('reference')).toBe(reference);
    const requested = await until(
      () => bookingOf(res.body.id),
      (r) => r.body.status === 'requested',
    );
    expect(requested.body.payment.status).toBe('succeeded');
    const answerWithinMs = Date.parse(requested.body.expiresAt) - Date.now();
    expect(answerWithinMs).toBeGreaterThan(86_000_000);
    await until(
      () => pushesTo(host.principal.id, 'New booking request', res.body.id),
      (l) => l.length === 1,
    );

    const inbox = await stack.api('GET', '/host/bookings?status=requested', {
      token: host.accessToken,
    });
    expect(inbox.body.bookings.map((b: { id: string }) => b.id)).toEqual([res.body.id]);
    const accepted = await stack.api('POST', `/host/bookings/${res.body.id}/accept`, {
      token: host.accessToken,
    });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({
      status: 'confirmed',
      expiresAt: null,
      hostPayout: 14_692_005,
    });
    expect(accepted.body.guest.email).toBe('amaka@example.com');

    const confirmed = await bookingOf(res.body.id);
    expect(confirmed.body).toMatchObject({
      status: 'confirmed',
      listing: { address: '12 Bourdillon Road' },
      host: { phone: expect.stringMatching(/^\+234/) },
    });
    await until(
      () => pushesTo(guest.principal.id, 'Booking confirmed', res.body.id),
      (l) => l.length === 1,
    );
    // Accepting twice is refused: the arrow is taken once.
    const again = await stack.api('POST', `/host/bookings/${res.body.id}/accept`, {
      token: host.accessToken,
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('booking_not_requested');
  });

  it('refunds a declined request once, however often the refund job is delivered', async () => {
    const { id: listingId } = await publishedListing(stack, host.accessToken, listingBody);
    const res = await book(stack, guest.accessToken, {
      listingId,
      checkIn: inDays(40),
      checkOut: inDays(42),
    });
    expect(res.status).toBe(201);
    await payAtCheckout(res.body.payment.authorizationUrl, 'success');
    await until(
      () => bookingOf(res.body.id),
      (r) => r.body.status === 'requested',
    );
    const declined = await stack.api('POST', `/host/bookings/${res.body.id}/decline`, {
      token: host.accessToken,
      body: { reason: 'Repainting that week' },
    });
    expect(declined.status).toBe(200);
    expect(declined.body).toMatchObject({
      status: 'declined',
      statusReason: 'Repainting that week',
    });
    const refunded = await until(
      () => bookingOf(res.body.id),
      (r) => r.body.refund?.status === 'processed',
    );
    expect(refunded.body.refund).toEqual({ amount: res.body.total, status: 'processed' });
    expect(refunded.body.payment.status).toBe('refunded');

    // The same job delivered again (a new QStash message): no second refund at Paystack.
    const { enqueue } = await import('#lib/jobs/enqueue');
    const again = await enqueue('refund-booking', { bookingId: res.body.id });
    await stack.qstash.waitFor((d) => d.messageId === again && d.status === 200);
    const refunds = stack.paystack
      .refunds()
      .filter((r) => r.reference === res.body.payment.reference);
    expect(refunds).toHaveLength(1);
    expect(refunds[0]?.amount).toBe(res.body.total);
    await until(
      () => pushesTo(guest.principal.id, 'Booking declined', res.body.id),
      (l) => l.length === 1,
    );
    // The nights are free again.
    const quote = await stack.api(
      'GET',
      `/listings/public/${listingId}/quote?checkIn=${inDays(40)}&checkOut=${inDays(42)}`,
    );
    expect(quote.body.available).toBe(true);
  });
});

describe('instant book', () => {
  it('confirms on payment, the app verifying before the webhook, and the webhook adds nothing', async () => {
    const { id: listingId } = await publishedListing(stack, host.accessToken, {
      ...listingBody,
      instantBook: true,
    });
    const phoneGuest = otherGuest.accessToken;
    const stay = { listingId, checkIn: inDays(50), checkOut: inDays(52) };
    const noEmail = await book(stack, phoneGuest, stay);
    expect(noEmail.status).toBe(422);
    expect(noEmail.body.error.details[0].path).toBe('body.email');

    const res = await book(stack, phoneGuest, { ...stay, email: 'tunde@example.com' });
    expect(res.status).toBe(201);
    expect(res.body.instantBook).toBe(true);
    await payAtCheckout(res.body.payment.authorizationUrl, 'success');
    const verified = await stack.api('POST', `/bookings/${res.body.id}/payment/verify`, {
      token: phoneGuest,
    });
    expect(verified.status).toBe(200);
    expect(verified.body.status).toBe('confirmed');
    // The webhook arrives too (and is retried until answered 200): one confirmation in all.
    await until(
      async () =>
        stack.paystack.deliveries().filter((d) => d.body.includes(res.body.payment.reference)),
      (d) => d.some((x) => x.status === 200),
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(await pushesTo(otherGuest.principal.id, 'Booking confirmed', res.body.id)).toHaveLength(
      1,
    );
    expect(await pushesTo(host.principal.id, 'New booking', res.body.id)).toHaveLength(1);
  });
});

describe('the Paystack webhook', () => {
  async function pendingBooking(offset: number) {
    const { id: listingId } = await publishedListing(stack, host.accessToken, {
      ...listingBody,
      instantBook: true,
    });
    const res = await book(stack, guest.accessToken, {
      listingId,
      checkIn: inDays(offset),
      checkOut: inDays(offset + 2),
    });
    expect(res.status).toBe(201);
    return res.body;
  }

  it('refuses a forged or unsigned event with a 401, and nothing changes', async () => {
    const booking = await pendingBooking(60);
    const event = { event: 'charge.success', data: { reference: booking.payment.reference } };
    const forged = await webhook(
      event,
      createHmac('sha512', 'not-the-key').update(JSON.stringify(event)).digest('hex'),
    );
    expect(forged.status).toBe(401);
    expect((await webhook(event, '')).status).toBe(401);
    expect((await bookingOf(booking.id)).body.status).toBe('pending_payment');
  });

  it('confirms nothing for a reference Paystack never saw paid, and ignores unknown events', async () => {
    const booking = await pendingBooking(70);
    const unpaid = await webhook({
      event: 'charge.success',
      data: { reference: booking.payment.reference },
    });
    expect(unpaid.status).toBe(200);
    expect((await bookingOf(booking.id)).body.status).toBe('pending_payment');
    const stranger = await webhook({
      event: 'charge.success',
      data: { reference: `bk-${randomUUID()}` },
    });
    expect(stranger.status).toBe(200);
    expect((await webhook({ event: 'subscription.create', data: {} })).status).toBe(200);
  });

  it('has one effect however often the same event is delivered', async () => {
    const booking = await pendingBooking(80);
    await payAtCheckout(booking.payment.authorizationUrl, 'success');
    const event = { event: 'charge.success', data: { reference: booking.payment.reference } };
    const answers = await Promise.all([webhook(event), webhook(event), webhook(event)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    await until(
      () => bookingOf(booking.id),
      (r) => r.body.status === 'confirmed',
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(await pushesTo(guest.principal.id, 'Booking confirmed', booking.id)).toHaveLength(1);
    const payments = await db().select().from(schema.payments);
    expect(
      payments.filter((p) => p.bookingId === booking.id && p.status === 'succeeded'),
    ).toHaveLength(1);
  });
});

describe('Idempotency-Key', () => {
  it('returns the same booking for a retry, refuses a reused key with another body, requires one', async () => {
    const { id: listingId } = await publishedListing(stack, host.accessToken, listingBody);
    const body = { listingId, checkIn: inDays(90), checkOut: inDays(92) };
    const key = randomUUID();
    const first = await book(stack, guest.accessToken, body, key);
    expect(first.status).toBe(201);
    const retry = await book(stack, guest.accessToken, body, key);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');

    const reused = await book(stack, guest.accessToken, { ...body, guests: 2 }, key);
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('idempotency_key_reused');

    const missing = await stack.api('POST', '/bookings', { token: guest.accessToken, body });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details[0].path).toBe('headers.Idempotency-Key');
    const tooLong = await book(stack, guest.accessToken, body, 'k'.repeat(256));
    expect(tooLong.status).toBe(400);

    // Keys are the caller's own: another guest's same key is another request (here a 409,
    // because the first guest holds those nights).
    const theirs = await book(
      stack,
      otherGuest.accessToken,
      { ...body, email: 'x@example.com' },
      key,
    );
    expect(theirs.status).toBe(409);
    expect(theirs.body.error.code).toBe('dates_unavailable');

    const rows = await db().select().from(schema.bookings);
    expect(rows.filter((b) => b.listingId === listingId)).toHaveLength(1);

    // A day later the key is forgotten: the same key books anew, another body included.
    await db()
      .update(schema.idempotencyKeys)
      .set({ createdAt: sql`now() - interval '25 hours'` })
      .where(eq(schema.idempotencyKeys.key, key));
    const dayLater = await book(
      stack,
      guest.accessToken,
      { listingId, checkIn: inDays(93), checkOut: inDays(94) },
      key,
    );
    expect(dayLater.status).toBe(201);
    expect(dayLater.body.id).not.toBe(first.body.id);
  });

  it('answers 409 to a retry that arrives while the first request still runs', async () => {
    const { id: listingId } = await publishedListing(stack, host.accessToken, listingBody);
    const body = { listingId, checkIn: inDays(95), checkOut: inDays(97) };
    const key = randomUUID();
    const answers = await Promise.all(
      [1, 2, 3].map(() => book(stack, guest.accessToken, body, key)),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    for (const a of answers.filter((x) => x.status === 409)) {
      expect(a.body.error.code).toBe('idempotency_key_in_use');
    }
    const ids = new Set(answers.filter((a) => a.status === 201).map((a) => a.body.id));
    expect(ids.size).toBe(1);
  });
});

describe('bad requests', () => {
  it('are refused with a 4xx naming the field, and book nothing', async () => {
    const { id: listingId } = await publishedListing(stack, host.accessToken, {
      ...listingBody,
      maxNights: 5,
    });
    const stay = { listingId, checkIn: inDays(130), checkOut: inDays(132) };
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ ...stay, guests: 9 }, 400, 'body.guests'],
      [{ ...stay, checkOut: inDays(140) }, 400, 'body.checkOut'],
      [{ ...stay, checkIn: inDays(-1) }, 400, 'body.checkIn'],
      [{ ...stay, checkIn: '2027-02-30' }, 400, 'body.checkIn'],
      [{ ...stay, total: 1 }, 400, 'body'],
      [{ ...stay, listingId: randomUUID() }, 404, ''],
    ];
    for (const [body, status, path] of cases) {
      const res = await book(stack, guest.accessToken, body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      if (path) expect(res.body.error.details[0].path, JSON.stringify(body)).toBe(path);
    }
    expect((await book(stack, host.accessToken, stay)).status).toBe(403);
    expect((await book(stack, '', stay)).status).toBe(401);
    const rows = await db().select().from(schema.bookings);
    expect(rows.filter((b) => b.listingId === listingId)).toEqual([]);
  });
});

describe('reads', () => {
  it('gives other guests and hosts a 404, and pages a guest newest stay first', async () => {
    const { id: listingId } = await publishedListing(stack, host.accessToken, listingBody);
    const made = [];
    for (const offset of [100, 110, 120]) {
      const res = await book(stack, guest.accessToken, {
        listingId,
        checkIn: inDays(offset),
        checkOut: inDays(offset + 2),
      });
      expect(res.status).toBe(201);
      made.push(res.body.id as string);
    }
    const id = made[0]!;
    expect((await bookingOf(id, otherGuest.accessToken)).status).toBe(404);
    expect(
      (await stack.api('GET', `/host/bookings/${id}`, { token: otherHost.accessToken })).status,
    ).toBe(404);
    const accept = await stack.api('POST', `/host/bookings/${id}/accept`, {
      token: otherHost.accessToken,
    });
    expect(accept.status).toBe(404);
    expect(
      (await stack.api('GET', `/host/bookings/${id}`, { token: host.accessToken })).body.guest.name,
    ).toBeDefined();
    expect((await stack.api('GET', `/bookings/${id}`, { token: host.accessToken })).status).toBe(
      403,
    );

    const first = await stack.api('GET', '/bookings?limit=2', { token: guest.accessToken });
    expect(first.status).toBe(200);
    expect(first.body.bookings).toHaveLength(2);
    const days = first.body.bookings.map((b: { checkIn: string }) => b.checkIn);
    expect(days).toEqual([...days].sort().reverse());
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const rest = [];
    let cursor: string | null = first.body.nextCursor;
    while (cursor) {
      const page = await stack.api('GET', `/bookings?limit=2&cursor=${cursor}`, {
        token: guest.accessToken,
      });
      rest.push(...page.body.bookings);
      cursor = page.body.nextCursor;
    }
    const all = [...first.body.bookings, ...rest].map((b: { id: string }) => b.id);
    expect(new Set(all).size).toBe(all.length);
    expect(all).toEqual(expect.arrayContaining(made));
    const bad = await stack.api('GET', '/bookings?cursor=nonsense', { token: guest.accessToken });
    expect(bad.status).toBe(400);

    const byListing = await stack.api('GET', `/host/bookings?listingId=${listingId}`, {
      token: host.accessToken,
    });
    expect(byListing.body.bookings.map((b: { id: string }) => b.id)).toEqual([...made].reverse());
  });
});
