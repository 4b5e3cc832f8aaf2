import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { book, inDays, payAtCheckout, until } from '#tests/support/bookings';
import { startLocalStack } from '#tests/support/stack';
import { publishedListing } from '#tests/support/uploads';

// Check-in at midnight in Lagos, and a payout delay that makes today's stays due a few
// seconds after this file starts: the payout waits for its time, then runs.
const lagosMidnight = Date.parse(`${inDays(0)}T00:00:00+01:00`);
// Long enough for the set-up below (five hosts, listings, paid stays) on a busy machine.
const DUE_IN_MS = 45_000;
const delaySeconds = Math.ceil((Date.now() - lagosMidnight + DUE_IN_MS) / 1000);
const dueAt = lagosMidnight + delaySeconds * 1000;
const stack = await startLocalStack({
  CHECK_IN_HOUR: '0',
  PAYOUT_DELAY_SECONDS: String(delaySeconds),
  PAYOUT_MAX_ATTEMPTS: '2',
});
const { db, schema } = await import('#lib/db/index');
const { enqueue } = await import('#lib/jobs/enqueue');
afterAll(() => stack.close());

const guest = await stack.signIn('user', 'efe@example.com');
const adminEmail = 'payouts@example.com';
await db().insert(schema.admins).values({ email: adminEmail });
const admin = await stack.signIn('admin', adminEmail);

// One night at ₦20,000, no cleaning fee: subtotal 2,000,000; service fee 10% = 200,000; the
// guest pays 2,200,000; host fee 3% = 60,000; the host is paid 1,940,000 kobo.
const HOST_PAYOUT = 1_940_000;

/** A host with a listing and a paid, confirmed stay checking in today. */
async function hostWithStayToday(accountNumber?: string) {
  const host = await stack.signIn('host');
  // The account first, as a host would: then the payout's outcome cannot depend on timing.
  if (accountNumber) expect((await account(host.accessToken, accountNumber)).status).toBe(200);
  const { id: listingId } = await publishedListing(stack, host.accessToken, {
    pricePerNight: 2_000_000,
    instantBook: true,
  });
  const res = await book(stack, guest.accessToken, {
    listingId,
    checkIn: inDays(0),
    checkOut: inDays(1),
  });
  expect(res.status).toBe(201);
  expect(res.body.hostPayout).toBe(HOST_PAYOUT);
  await payAtCheckout(res.body.payment.authorizationUrl, 'success');
  const paid = await stack.api('POST', `/bookings/${res.body.id}/payment/verify`, {
    token: guest.accessToken,
  });
  expect(paid.body.status).toBe('confirmed');
  // Scheduled by whichever settled the payment first: the app's verify or the webhook.
  const payout = await until(
    async () =>
      (
        await db().select().from(schema.payouts).where(eq(schema.payouts.bookingId, res.body.id))
      )[0],
    (p) => p !== undefined,
  );
  expect(payout).toMatchObject({ amount: HOST_PAYOUT, reference: payout?.id });
  return { host, bookingId: res.body.id as string, payoutId: payout?.id as string };
}

const account = (token: string, accountNumber: string, bankCode = '058') =>
  stack.api('PUT', '/host/payout-account', { token, body: { bankCode, accountNumber } });
const payoutOf = async (id: string) =>
  (await db().select().from(schema.payouts).where(eq(schema.payouts.id, id)))[0];
const transfersOf = (reference: string) =>
  stack.paystack.transfers().filter((t) => t.reference === reference);
const untilDue = () => new Promise((r) => setTimeout(r, Math.max(0, dueAt - Date.now() + 500)));

// Every stay below is booked before the payouts fall due, so each starts scheduled.
type Stay = Awaited<ReturnType<typeof hostWithStayToday>>;
const stays: Record<'paid' | 'crash' | 'held' | 'failing' | 'cancelled', Stay> = {} as never;
beforeAll(async () => {
  // The cancelled one first: it must be cancelled before its payout falls due.
  stays.cancelled = await hostWithStayToday('0123456789');
  const cancelled = await stack.api('POST', `/admin/bookings/${stays.cancelled.bookingId}/cancel`, {
    token: admin.accessToken,
    body: { refundAmount: 2_200_000, reason: 'Flooded' },
  });
  expect(cancelled.status).toBe(200);
  stays.paid = await hostWithStayToday('0123456789');
  stays.crash = await hostWithStayToday('0123456789');
  stays.held = await hostWithStayToday();
  stays.failing = await hostWithStayToday('0000000000');
  expect(
    Date.now(),
    'the set-up took longer than DUE_IN_MS: the payouts fell due during it',
  ).toBeLessThan(dueAt);
});

describe('a payout account', () => {
  it('is resolved by the bank and kept as a recipient code, the last four digits and the name', async () => {
    const host = await stack.signIn('host');
    const banks = await stack.api('GET', '/banks', { token: host.accessToken });
    expect(banks.status).toBe(200);
    expect(banks.body.banks).toContainEqual({ code: '058', name: 'Guaranty Trust Bank' });
    expect(
      (await stack.api('GET', '/host/payout-account', { token: host.accessToken })).status,
    ).toBe(404);

    const set = await account(host.accessToken, '0123456789');
    expect(set.status).toBe(200);
    expect(set.body).toEqual({
      bankCode: '058',
      bankName: 'Guaranty Trust Bank',
      accountName: expect.any(String),
      accountNumberLast4: '6789',
    });
    expect(
      (await stack.api('GET', '/host/payout-account', { token: host.accessToken })).body,
    ).toEqual(set.body);
    const [row] = await db()
      .select()
      .from(schema.hostPayoutAccounts)
      .where(eq(schema.hostPayoutAccounts.hostId, host.principal.id));
    expect(JSON.stringify(row)).not.toContain('0123456789');
    expect(row?.recipientCode).toMatch(/^RCP_/);

    expect((await account(host.accessToken, '012345678')).status).toBe(400);
    const unknownBank = await account(host.accessToken, '0123456789', '999');
    expect(unknownBank.status).toBe(422);
    expect(unknownBank.body.error.details[0].path).toBe('body.bankCode');
    expect((await stack.api('GET', '/banks', { token: guest.accessToken })).status).toBe(403);
  });
});

describe('a payout', () => {
  it('runs once after check-in, with one transfer for its reference however often its job comes', async () => {
    const { host, payoutId } = stays.paid;
    // Not before it is due.
    expect(transfersOf(payoutId)).toEqual([]);
    const early = await stack.api('GET', '/host/earnings', { token: host.accessToken });
    expect(early.body).toMatchObject({ currency: 'NGN', scheduled: HOST_PAYOUT, paid: 0 });

    await untilDue();
    await until(
      () => payoutOf(payoutId),
      (p) => p?.status === 'paid',
    );
    // Delivered twice at the same time, and once more later: nothing more is sent.
    await Promise.all([enqueue('pay-host', { payoutId }), enqueue('pay-host', { payoutId })]);
    await new Promise((r) => setTimeout(r, 500));
    const later = await enqueue('pay-host', { payoutId });
    await stack.qstash.waitFor((d) => d.messageId === later && d.status === 200);
    expect(transfersOf(payoutId)).toHaveLength(1);
    expect(transfersOf(payoutId)[0]).toMatchObject({ amount: HOST_PAYOUT, status: 'success' });

    const earnings = await stack.api('GET', '/host/earnings', { token: host.accessToken });
    expect(earnings.body).toMatchObject({ paid: HOST_PAYOUT, scheduled: 0, pending: 0, onHold: 0 });
    expect(earnings.body.payouts).toEqual([
      expect.objectContaining({ amount: HOST_PAYOUT, status: 'paid', paidAt: expect.any(String) }),
    ]);
  }, 60_000);

  it('asks Paystack by reference before paying again after a crash between its answer and our write', async () => {
    const { host, payoutId } = await hostWithStayToday();
    await account(host.accessToken, '0123456789');
    await untilDue();
    await until(
      () => payoutOf(payoutId),
      (p) => p?.status === 'paid',
    );
    // As if the run had died after Paystack accepted the transfer and before we recorded it.
    await db()
      .update(schema.payouts)
      .set({ status: 'processing', paidAt: null, requestedAt: sql`now() - interval '2 hours'` })
      .where(eq(schema.payouts.id, payoutId));
    // The hourly reconciliation (its schedule is `reconcile-payouts-hourly`).
    const id = await enqueue('reconcile-payouts', {});
    await stack.qstash.waitFor((d) => d.messageId === id && d.status === 200);
    expect((await payoutOf(payoutId))?.status).toBe('paid');
    expect(transfersOf(payoutId)).toHaveLength(1);
  });

  it('is on hold without an account, and paid once the host adds one', async () => {
    const { host, payoutId } = await hostWithStayToday();
    await untilDue();
    await until(
      () => payoutOf(payoutId),
      (p) => p?.status === 'on_hold',
    );
    const held = await stack.api('GET', '/host/earnings', { token: host.accessToken });
    expect(held.body).toMatchObject({ onHold: HOST_PAYOUT, paid: 0 });
    expect((await account(host.accessToken, '1234509876')).status).toBe(200);
    await until(
      () => payoutOf(payoutId),
      (p) => p?.status === 'paid',
    );
    expect(transfersOf(payoutId)).toHaveLength(1);
  });

  it('fails after its retries on a failing account; an admin retry after the host fixes it pays once', async () => {
    const { host, payoutId } = stays.failing;
    await untilDue();
    const failed = await until(
      () => payoutOf(payoutId),
      (p) => p?.status === 'failed',
    );
    expect(failed?.attempts).toBe(2);
    expect(transfersOf(payoutId).map((t) => t.status)).toEqual(['failed', 'failed']);
    const listed = await stack.api('GET', '/admin/payouts?status=failed', {
      token: admin.accessToken,
    });
    expect(listed.body.payouts.map((p: { id: string }) => p.id)).toContain(payoutId);
    expect((await stack.api('GET', '/admin/payouts', { token: host.accessToken })).status).toBe(
      403,
    );

    await account(host.accessToken, '0123456789');
    const retried = await stack.api('POST', `/admin/payouts/${payoutId}/retry`, {
      token: admin.accessToken,
    });
    expect(retried.status).toBe(202);
    await until(
      () => payoutOf(payoutId),
      (p) => p?.status === 'paid',
    );
    expect(transfersOf(payoutId).map((t) => t.status)).toEqual(['failed', 'failed', 'success']);
    const again = await stack.api('POST', `/admin/payouts/${payoutId}/retry`, {
      token: admin.accessToken,
    });
    expect(again.status).toBe(409);
    expect(
      (
        await stack.api('POST', `/admin/payouts/${randomUUID()}/retry`, {
          token: admin.accessToken,
        })
      ).status,
    ).toBe(404);
  });

  it('is not paid for a stay cancelled with everything refunded', async () => {
    const { host, payoutId } = stays.cancelled;
    await untilDue();
    await until(
      () => payoutOf(payoutId),
      (p) => p?.status === 'cancelled',
    );
    expect(transfersOf(payoutId)).toEqual([]);
    const earnings = await stack.api('GET', '/host/earnings', { token: host.accessToken });
    expect(earnings.body).toMatchObject({ paid: 0, scheduled: 0, pending: 0, onHold: 0 });
  });

  it("is nobody else's to see", async () => {
    const stranger = await stack.signIn('host');
    const theirs = await stack.api('GET', '/host/earnings', { token: stranger.accessToken });
    expect(theirs.body).toMatchObject({ paid: 0, scheduled: 0, payouts: [] });
    expect((await stack.api('GET', '/host/earnings', { token: guest.accessToken })).status).toBe(
      403,
    );
  });
});
