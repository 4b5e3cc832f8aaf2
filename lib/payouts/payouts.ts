import { randomUUID } from 'node:crypto';
import { and, eq, lt, sql } from 'drizzle-orm';
import { db, schema } from '#lib/db/index';
import { ago } from '#lib/db/interval';
import { enqueue } from '#lib/jobs/enqueue';
import { PermanentJobError, retryLater } from '#lib/jobs/errors';
import { initiateTransfer, PaystackError, verifyTransfer } from '#lib/payments/paystack';
import { config } from '#lib/platform/config';
import { logger } from '#lib/platform/log';
import { reportError } from '#lib/platform/sentry';

const { hostPayoutAccounts, payouts } = schema;

/**
 * Host payouts, one per confirmed stay, due PAYOUT_DELAY_SECONDS after check-in. The state
 * lives in `payouts.status` (lib/db/schema/payouts.ts draws it); each move is one conditional
 * UPDATE, so a redelivered or concurrent job, a webhook and the hourly reconciliation agree on
 * one outcome. A transfer's reference is the payout's own id: Paystack takes a reference
 * once, so asking again after a crash can never pay twice.
 */

async function report(what: string, error: unknown) {
  logger.error(what, { error: error as Error });
  await reportError(error, undefined).catch(() => {});
}

/** Publishes the payout's job for when it is due, or as far ahead as QStash allows. */
async function publishPayout(payoutId: string, dueAt: Date) {
  const now = Math.floor(Date.now() / 1000);
  const notBefore = Math.min(
    Math.max(Math.ceil(dueAt.getTime() / 1000), now),
    now + config.QSTASH_MAX_DELAY_SECONDS,
  );
  try {
    // No deduplication id: a release or a retry within the same second must not be dropped,
    // and a second message for one payout does nothing (its claim decides).
    await enqueue('pay-host', { payoutId }, { notBefore });
  } catch (error) {
    // The hourly reconciliation publishes due payouts that no job carried.
    await report(`could not publish payout ${payoutId}`, error);
  }
}

/**
 * The payout of a booking just confirmed: hostPayout, due a day after check-in (CHECK_IN_HOUR
 * on the check-in date in Lagos). Once per booking: a second call finds the row and does nothing.
 */
export async function schedulePayout(bookingId: string): Promise<void> {
  const id = randomUUID();
  const { rows } = await db().execute<{ id: string; due_at: string }>(sql`
    insert into payouts (id, host_id, booking_id, reference, amount, currency, status, scheduled_for)
    select ${id}, b.host_id, b.id, ${id}, b.host_payout, b.currency, 'scheduled',
      ((b.check_in + make_interval(hours => ${config.CHECK_IN_HOUR})) at time zone 'Africa/Lagos')
        + make_interval(secs => ${config.PAYOUT_DELAY_SECONDS})
    from bookings b
    where b.id = ${bookingId} and b.status = 'confirmed' and b.host_payout > 0
    on conflict (booking_id) do nothing
    returning id, scheduled_for as due_at`);
  const row = rows[0];
  if (row) await publishPayout(row.id, new Date(row.due_at));
}

type Outcome = 'success' | 'failed' | 'reversed' | 'pending' | 'unknown';

/** A transfer's status as Paystack states it, reduced to what a payout does with it. */
const outcomeOf = (status: string): Outcome =>
  status === 'success'
    ? 'success'
    : ['failed', 'reversed', 'abandoned', 'blocked', 'rejected'].includes(status)
      ? status === 'reversed'
        ? 'reversed'
        : 'failed'
      : 'pending';

/**
 * Settles a payout that was asked of Paystack, from a webhook, a verify or the transfer's own
 * answer. Success: paid. A conclusive failure: scheduled again with the same reference, while
 * attempts remain; then failed, for an admin. Pending: nothing yet.
 */
export async function settleTransfer(
  reference: string,
  status: string,
  detail: { transferCode?: string | undefined; reason?: string } = {},
): Promise<void> {
  const outcome = outcomeOf(status);
  if (outcome === 'pending' || outcome === 'unknown') return;
  if (outcome === 'success') {
    await db()
      .update(payouts)
      .set({
        status: 'paid',
        paidAt: sql`now()`,
        updatedAt: sql`now()`,
        ...(detail.transferCode ? { transferCode: detail.transferCode } : {}),
      })
      .where(and(eq(payouts.reference, reference), eq(payouts.status, 'processing')));
    return;
  }
  const [again] = await db()
    .update(payouts)
    .set({
      status: sql`case when ${payouts.attempts} >= ${config.PAYOUT_MAX_ATTEMPTS} then 'failed' else 'scheduled' end::payout_status`,
      lastError: `transfer ${outcome}${detail.reason ? `: ${detail.reason}` : ''}`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(payouts.reference, reference), eq(payouts.status, 'processing')))
    .returning({ id: payouts.id, status: payouts.status, attempts: payouts.attempts });
  if (again?.status === 'scheduled') await publishPayout(again.id, new Date());
  if (again?.status === 'failed') {
    await report(`payout ${again.id} failed after ${again.attempts} transfers`, new Error(outcome));
  }
}

/** What a payout is worth now: the stay's hostPayout less what its refund took from the host. */
async function payoutFacts(payoutId: string) {
  const { rows } = await db().execute<{
    status: string;
    reference: string;
    due_at: string;
    attempts: number;
    booking_status: string;
    owed: number;
    recipient: string | null;
    host_id: string;
  }>(sql`
    select p.status, p.reference, p.scheduled_for as due_at, p.attempts, p.host_id,
      b.status as booking_status,
      b.host_payout - coalesce((select r.host_part from refunds r where r.booking_id = b.id), 0) as owed,
      a.recipient_code as recipient
    from payouts p
    join bookings b on b.id = p.booking_id
    left join host_payout_accounts a on a.host_id = p.host_id
    where p.id = ${payoutId}`);
  return rows[0];
}

/**
 * The `pay-host` job: pays one payout once. Early (a capped delay): publishes itself again.
 * The stay cancelled with everything refunded: no payout. No payout account: on hold until
 * the host adds one. Asked before with no conclusive answer: asks Paystack by reference
 * before anything else. Otherwise claims the payout and asks for the transfer.
 */
export async function payHost(payoutId: string): Promise<{ status: string }> {
  const p = await payoutFacts(payoutId);
  if (!p) throw new PermanentJobError(`no payout ${payoutId}`);
  if (['paid', 'failed', 'cancelled', 'on_hold'].includes(p.status)) return { status: p.status };

  if (p.status === 'processing') {
    const known = await asked(p.reference);
    if (known) {
      await settleTransfer(p.reference, known.status, { transferCode: known.transfer_code });
      return { status: `verified ${known.status}` };
    }
    // Paystack never got it (the run died before the request): ask, with the same reference.
    return transfer(payoutId, p.reference, p.owed, p.recipient, p.attempts);
  }

  const dueAt = new Date(p.due_at);
  if (dueAt.getTime() > Date.now()) {
    await publishPayout(payoutId, dueAt);
    return { status: 'not yet due' };
  }
  if (!['confirmed', 'completed', 'cancelled'].includes(p.booking_status) || p.owed <= 0) {
    await db()
      .update(payouts)
      .set({ status: 'cancelled', updatedAt: sql`now()` })
      .where(and(eq(payouts.id, payoutId), eq(payouts.status, 'scheduled')));
    return { status: 'cancelled' };
  }
  if (!p.recipient) {
    // On hold only if the host still has no account when the row is written: an account
    // added since the read above has already run releaseHeld, which found nothing to release.
    const held = await db()
      .update(payouts)
      .set({ status: 'on_hold', updatedAt: sql`now()` })
      .where(
        and(
          eq(payouts.id, payoutId),
          eq(payouts.status, 'scheduled'),
          sql`not exists (select 1 from ${hostPayoutAccounts} where ${hostPayoutAccounts.hostId} = ${payouts.hostId})`,
        ),
      )
      .returning({ id: payouts.id });
    if (held.length > 0) return { status: 'on_hold' };
    return payHost(payoutId);
  }
  const [claimed] = await db()
    .update(payouts)
    .set({
      status: 'processing',
      amount: p.owed,
      attempts: sql`${payouts.attempts} + 1`,
      requestedAt: sql`now()`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(payouts.id, payoutId), eq(payouts.status, 'scheduled')))
    .returning({ attempts: payouts.attempts });
  if (!claimed) return { status: 'claimed by another run' };
  return transfer(payoutId, p.reference, p.owed, p.recipient, claimed.attempts);
}

async function asked(reference: string) {
  try {
    return await verifyTransfer(reference);
  } catch (error) {
    if (error instanceof PaystackError && error.retryable) throw retryLater(error.message);
    throw error;
  }
}

async function transfer(
  payoutId: string,
  reference: string,
  amount: number,
  recipient: string | null,
  attempts: number,
): Promise<{ status: string }> {
  if (!recipient) throw new PermanentJobError(`payout ${payoutId} has no recipient`);
  try {
    const sent = await initiateTransfer({
      amount,
      recipient,
      reference,
      reason: `Payout ${reference.slice(0, 8)}`,
    });
    if (sent.transfer_code) {
      await db()
        .update(payouts)
        .set({ transferCode: sent.transfer_code, updatedAt: sql`now()` })
        .where(eq(payouts.id, payoutId));
    }
    await settleTransfer(reference, sent.status, { transferCode: sent.transfer_code });
    return { status: sent.status };
  } catch (error) {
    if (!(error instanceof PaystackError)) throw error;
    // No answer: the transfer may exist. It stays processing; the next run asks by reference.
    if (error.retryable) throw retryLater(error.message);
    // Refused. A reference Paystack already has is a transfer under way: ask what became of it.
    const known = await asked(reference);
    if (known) {
      await settleTransfer(reference, known.status, { transferCode: known.transfer_code });
      return { status: `verified ${known.status}` };
    }
    await db()
      .update(payouts)
      .set({ status: 'failed', lastError: error.message.slice(0, 500), updatedAt: sql`now()` })
      .where(and(eq(payouts.id, payoutId), eq(payouts.status, 'processing')));
    await report(`Paystack refused payout ${payoutId} (attempt ${attempts})`, error);
    return { status: 'failed' };
  }
}

/** Puts a host's payouts on hold back in line, now that they have an account. */
export async function releaseHeld(hostId: string): Promise<number> {
  const released = await db()
    .update(payouts)
    .set({ status: 'scheduled', updatedAt: sql`now()` })
    .where(and(eq(payouts.hostId, hostId), eq(payouts.status, 'on_hold')))
    .returning({ id: payouts.id, dueAt: payouts.scheduledFor, attempts: payouts.attempts });
  for (const r of released) await publishPayout(r.id, r.dueAt);
  return released.length;
}

/** An admin's retry of a failed payout: its attempts start again, with the same reference. */
export async function retryPayout(payoutId: string) {
  const [row] = await db()
    .update(payouts)
    .set({ status: 'scheduled', attempts: 0, updatedAt: sql`now()` })
    .where(and(eq(payouts.id, payoutId), eq(payouts.status, 'failed')))
    .returning({ id: payouts.id, dueAt: payouts.scheduledFor });
  if (row) await publishPayout(row.id, row.dueAt);
  return row !== undefined;
}

/**
 * The hourly reconciliation: transfers pending for over an hour are asked about by
 * reference, and due payouts still scheduled (their publish was lost) are published again.
 */
export async function reconcilePayouts(limit = 100) {
  const [pending, due] = await db().batch([
    db()
      .select({ id: payouts.id, reference: payouts.reference })
      .from(payouts)
      .where(and(eq(payouts.status, 'processing'), lt(payouts.requestedAt, ago(3600))))
      .limit(limit),
    db()
      .select({ id: payouts.id, attempts: payouts.attempts })
      .from(payouts)
      .where(and(eq(payouts.status, 'scheduled'), lt(payouts.scheduledFor, ago(3600))))
      .limit(limit),
  ]);
  let settled = 0;
  for (const p of pending) {
    const known = await asked(p.reference);
    if (known) {
      await settleTransfer(p.reference, known.status, { transferCode: known.transfer_code });
      settled++;
    } else {
      // Paystack never got it: back in line, same reference.
      await db()
        .update(payouts)
        .set({ status: 'scheduled', updatedAt: sql`now()` })
        .where(and(eq(payouts.id, p.id), eq(payouts.status, 'processing')));
      await publishPayout(p.id, new Date());
    }
  }
  for (const p of due) await publishPayout(p.id, new Date());
  return { verified: settled, pending: pending.length, republished: due.length };
}

export const accountOf = (hostId: string) =>
  db().select().from(hostPayoutAccounts).where(eq(hostPayoutAccounts.hostId, hostId));
