import { and, eq, inArray, isNotNull, lt, type SQL, sql } from 'drizzle-orm';
import { guestRefund } from '#lib/bookings/cancellation';
import { lagosInstant, nightsBetween } from '#lib/bookings/dates';
import { tell } from '#lib/bookings/notify';
import { db, schema } from '#lib/db/index';
import { ago, fromNow } from '#lib/db/interval';
import { cancelJobs, enqueue } from '#lib/jobs/enqueue';
import { verifyTransaction } from '#lib/payments/paystack';
import { schedulePayout } from '#lib/payouts/payouts';
import { config } from '#lib/platform/config';
import { logger } from '#lib/platform/log';
import { reportError } from '#lib/platform/sentry';

const { bookings, payments, refunds } = schema;

type Status = (typeof schema.bookingStatus.enumValues)[number];

/**
 * The booking state machine's arrows (docs/ARCHITECTURE.md draws them). Each arrow is one
 * conditional statement: it moves the booking only from the state it expects, so of two
 * racing callers (a webhook and its retry, a host and the deadline) exactly one wins, and
 * only the winner notifies, schedules or refunds.
 */

/** Publishes a job after a transition; a failure is reported, and the hourly cleanup catches up. */
async function publish(what: string, run: () => Promise<unknown>) {
  try {
    await run();
  } catch (error) {
    logger.error(`could not publish ${what}`, { error: error as Error });
    await reportError(error, undefined).catch(() => {});
  }
}

export const scheduleDeadline = (bookingId: string, status: 'pending_payment' | 'requested') =>
  publish(`the ${status} deadline of ${bookingId}`, () =>
    enqueue(
      'booking-deadline',
      { bookingId, status },
      {
        delay:
          status === 'pending_payment'
            ? config.PAYMENT_WINDOW_SECONDS
            : config.HOST_RESPONSE_SECONDS,
        deduplicationId: `deadline-${bookingId}-${status}`,
        label: deadlineLabel(bookingId, status),
      },
    ),
  );

const deadlineLabel = (bookingId: string, status: 'pending_payment' | 'requested') =>
  `deadline-${bookingId}-${status}`;

/**
 * Drops the deadline of a state the booking has left, so QStash does not deliver a job that
 * would only find nothing to do. Best effort: if it fails, that job still does nothing.
 */
const cancelDeadline = (bookingId: string, status: 'pending_payment' | 'requested') =>
  publish(`the cancel of ${status} deadline of ${bookingId}`, () =>
    cancelJobs(deadlineLabel(bookingId, status)),
  );

export const scheduleRefund = (bookingId: string) =>
  publish(`the refund of ${bookingId}`, () =>
    enqueue('refund-booking', { bookingId }, { deduplicationId: `refund-${bookingId}` }),
  );

/** Money owed back with an arrow; without `amount`, everything that was paid. */
export interface RefundOwed {
  reason: string;
  amount?: number;
  /** The part of `amount` out of the host's payout; without it, the nights and cleaning. */
  hostPart?: number;
}

interface Move {
  from: Status;
  to: Status;
  /** More conditions on `b`, the booking row. */
  when?: SQL;
  /** More assignments. */
  set?: SQL;
  /** Written in the same statement, if the payment succeeded and the amount is above 0. */
  refund?: RefundOwed;
}

/** Moves one booking along one arrow; `moved` when this call moved it. */
export async function move(
  bookingId: string,
  m: Move,
): Promise<{ moved: boolean; refund: boolean }> {
  const r = m.refund;
  const amount = sql`least(coalesce(${r?.amount ?? null}::int, p.amount), p.amount)`;
  const { rows } = await db().execute<{ moved: number; refund: number }>(sql`
    with moved as (
      update bookings b set status = ${m.to}::booking_status, updated_at = now()
        ${m.set ? sql`, ${m.set}` : sql``}
      where b.id = ${bookingId} and b.status = ${m.from}::booking_status ${m.when ? sql`and ${m.when}` : sql``}
      returning b.id, b.subtotal + b.cleaning_fee as host_share
    ), refund as (
      insert into refunds (booking_id, payment_id, amount, currency, reason, host_part)
      select moved.id, p.id, ${amount}, p.currency, ${r?.reason ?? ''},
        least(coalesce(${r?.hostPart ?? null}::int, moved.host_share), ${amount})
      from moved join payments p on p.booking_id = moved.id and p.status = 'succeeded'
      where ${r?.reason ?? null}::text is not null and ${amount} > 0
      on conflict (booking_id) do nothing
      returning booking_id
    )
    select (select count(*)::int from moved) as moved, (select count(*)::int from refund) as refund`);
  const row = rows[0];
  const result = { moved: (row?.moved ?? 0) > 0, refund: (row?.refund ?? 0) > 0 };
  if (result.refund) await scheduleRefund(bookingId);
  return result;
}

/** A confirmed stay's host payout, due a day after check-in; a failure is reported, and caught up. */
const confirmed = (bookingId: string) =>
  publish(`the payout of ${bookingId}`, () => schedulePayout(bookingId));

/** The deadline of `status` has passed: the booking expires (refunded if it was paid). */
export async function expire(bookingId: string, status: 'pending_payment' | 'requested') {
  const result = await move(bookingId, {
    from: status,
    to: 'expired',
    when: sql`b.expires_at <= now()`,
    set: sql`expires_at = null, status_reason = ${status === 'requested' ? 'the host did not answer in time' : 'not paid in time'}`,
    refund: { reason: 'expired' },
  });
  if (result.moved) {
    await tell(bookingId, 'expired', status === 'requested' ? ['guest', 'host'] : ['guest'], {
      paid: status === 'requested',
    });
  }
  return result;
}

export const accept = (bookingId: string, hostId: string) =>
  move(bookingId, {
    from: 'requested',
    to: 'confirmed',
    when: sql`b.host_id = ${hostId} and b.expires_at > now()`,
    set: sql`expires_at = null, confirmed_at = now()`,
  }).then(async (r) => {
    if (r.moved)
      await Promise.all([
        cancelDeadline(bookingId, 'requested'),
        tell(bookingId, 'confirmed', ['guest']),
        confirmed(bookingId),
      ]);
    return r;
  });

export const decline = (bookingId: string, hostId: string, reason: string | undefined) =>
  move(bookingId, {
    from: 'requested',
    to: 'declined',
    when: sql`b.host_id = ${hostId}`,
    set: sql`expires_at = null, status_reason = ${reason ?? null}`,
    refund: { reason: 'declined' },
  }).then(async (r) => {
    if (r.moved)
      await Promise.all([
        cancelDeadline(bookingId, 'requested'),
        tell(bookingId, 'declined', ['guest']),
      ]);
    return r;
  });

export type Settlement =
  /** No payment of ours has this reference. */
  | 'unknown'
  /** Settled before: nothing more happens. */
  | 'duplicate'
  /** Paystack does not say it was paid. */
  | 'unpaid'
  /** Paid, but not the amount or currency the booking asked: nothing confirmed, reported. */
  | 'mismatch'
  | 'confirmed'
  | 'requested'
  /** Paid after the booking had expired: refunded in full, the dates not taken back. */
  | 'paid_late';

/**
 * A payment Paystack reports (webhook) or the guest asks about (verify): believed only from
 * Paystack's verify endpoint, and settled in one statement with the booking, so a webhook
 * delivered twice, or racing the guest's verify, confirms once.
 */
export async function settlePayment(
  reference: string,
): Promise<{ outcome: Settlement; bookingId?: string }> {
  const [payment] = await db()
    .select({
      id: payments.id,
      bookingId: payments.bookingId,
      amount: payments.amount,
      currency: payments.currency,
      status: payments.status,
    })
    .from(payments)
    .where(eq(payments.providerReference, reference));
  if (!payment) return { outcome: 'unknown' };
  const { bookingId } = payment;
  if (payment.status !== 'pending') return { outcome: 'duplicate', bookingId };

  const paid = await verifyTransaction(reference);
  if (paid.status !== 'success') return { outcome: 'unpaid', bookingId };
  if (paid.amount !== payment.amount || paid.currency !== payment.currency) {
    const error = new Error(
      `payment ${reference} verified as ${paid.amount} ${paid.currency}; booking ${bookingId} asked ${payment.amount} ${payment.currency}`,
    );
    logger.error('payment does not match its booking: nothing confirmed', { error });
    await reportError(error, undefined).catch(() => {});
    return { outcome: 'mismatch', bookingId };
  }

  const { rows } = await db().execute<{ paid: number; status: Status | null; late: number }>(sql`
    with paid as (
      update payments set status = 'succeeded', paid_at = coalesce(${paid.paid_at ?? null}::timestamptz, now()),
        updated_at = now()
      where id = ${payment.id} and status = 'pending'
      returning id, booking_id, amount, currency
    ), moved as (
      update bookings b set
        status = (case when b.instant_book then 'confirmed' else 'requested' end)::booking_status,
        expires_at = case when b.instant_book then null else ${fromNow(config.HOST_RESPONSE_SECONDS)} end,
        confirmed_at = case when b.instant_book then now() end,
        updated_at = now()
      from paid where b.id = paid.booking_id and b.status = 'pending_payment' and b.expires_at > now()
      returning b.status
    ), lapsed as (
      update bookings b set status = 'expired', expires_at = null,
        status_reason = 'paid after the payment window', updated_at = now()
      from paid where b.id = paid.booking_id and b.status = 'pending_payment' and b.expires_at <= now()
      returning b.id
    ), late as (
      insert into refunds (booking_id, payment_id, amount, currency, reason, host_part)
      select paid.booking_id, paid.id, paid.amount, paid.currency, 'paid_late', b.subtotal + b.cleaning_fee
      from paid join bookings b on b.id = paid.booking_id
      where not exists (select 1 from moved)
      on conflict (booking_id) do nothing
      returning booking_id
    )
    select (select count(*)::int from paid) as paid, (select status from moved) as status,
      (select count(*)::int from late) as late`);
  const row = rows[0];
  if (!row || row.paid === 0) return { outcome: 'duplicate', bookingId };
  if (row.status) await cancelDeadline(bookingId, 'pending_payment');
  if (row.late > 0) {
    logger.warn('payment arrived after its booking expired: refunding', { bookingId });
    await scheduleRefund(bookingId);
    return { outcome: 'paid_late', bookingId };
  }
  if (row.status === 'requested') {
    await scheduleDeadline(bookingId, 'requested');
    await tell(bookingId, 'requested', ['host']);
    return { outcome: 'requested', bookingId };
  }
  await Promise.all([tell(bookingId, 'confirmed', ['guest', 'host']), confirmed(bookingId)]);
  return { outcome: 'confirmed', bookingId };
}

/** Past this, a deadline or a refund that nothing has acted on lost its job. */
const LOST_AFTER_SECONDS = 10 * 60;

/**
 * The hourly cleanup's catch-up for jobs whose publish failed (each transition reports
 * that): deadlines long past still waiting are expired, refunds never carried to Paystack
 * are published again. The timers themselves are QStash's delayed messages, not this.
 */
export async function catchUp(limit = 100) {
  const [overdue, unsent] = await db().batch([
    db()
      .select({ id: bookings.id, status: bookings.status })
      .from(bookings)
      .where(and(isNotNull(bookings.expiresAt), lt(bookings.expiresAt, ago(LOST_AFTER_SECONDS))))
      .limit(limit),
    db()
      .select({ bookingId: refunds.bookingId })
      .from(refunds)
      .where(
        and(inArray(refunds.status, ['pending']), lt(refunds.createdAt, ago(LOST_AFTER_SECONDS))),
      )
      .limit(limit),
  ]);
  let expired = 0;
  for (const b of overdue) {
    if (b.status !== 'pending_payment' && b.status !== 'requested') continue;
    if ((await expire(b.id, b.status)).moved) expired++;
  }
  for (const r of unsent) await scheduleRefund(r.bookingId);
  return { expired, refundsRepublished: unsent.length };
}

/** Who cancels, and what they may cancel. */
export type Canceller =
  | { by: 'guest'; guestId: string; reason?: string | undefined }
  | { by: 'host'; hostId: string; reason: string }
  | { by: 'admin'; refundAmount: number; reason: string };

export type Cancellation =
  | { cancelled: true }
  | { cancelled: false; code: 'not_found' | 'checked_in' | 'not_cancellable'; status?: Status };

/**
 * Cancels a booking, with the refund its policy or its canceller owes, in one statement
 * (`move`). A guest: `pending_payment` (nothing paid), `requested` (all back), `confirmed`
 * before check-in (by the policy kept on the booking). A host: their confirmed stay before
 * check-in, all back to the guest, recorded against them. An admin: any paid stay not yet
 * over, with the refund they set (out of the host's part first). The payout job, when it
 * runs, pays the host what the refund left them.
 */
export async function cancel(bookingId: string, c: Canceller): Promise<Cancellation> {
  const [b] = await db()
    .select({
      status: bookings.status,
      guestId: bookings.guestId,
      hostId: bookings.hostId,
      policy: bookings.cancellationPolicy,
      checkIn: bookings.checkIn,
      checkOut: bookings.checkOut,
      subtotal: bookings.subtotal,
      cleaningFee: bookings.cleaningFee,
      serviceFee: bookings.serviceFee,
      createdAt: bookings.createdAt,
    })
    .from(bookings)
    .where(eq(bookings.id, bookingId));
  const mine =
    b && (c.by === 'admin' || (c.by === 'guest' ? b.guestId === c.guestId : b.hostId === c.hostId));
  if (!b || !mine) return { cancelled: false, code: 'not_found' };

  const checkInAt = lagosInstant(b.checkIn, config.CHECK_IN_HOUR);
  const beforeCheckIn = sql`now() < ${checkInAt.toISOString()}::timestamptz`;
  const owner =
    c.by === 'guest'
      ? sql`b.guest_id = ${c.guestId}`
      : c.by === 'host'
        ? sql`b.host_id = ${c.hostId}`
        : sql`true`;
  const set = sql`cancelled_by = ${c.by}::cancelled_by, cancelled_at = now(), expires_at = null,
    status_reason = ${c.reason ?? null}`;
  const allowed: Record<Canceller['by'], Status[]> = {
    guest: ['pending_payment', 'requested', 'confirmed'],
    host: ['confirmed'],
    admin: ['requested', 'confirmed', 'completed'],
  };
  if (!allowed[c.by].includes(b.status))
    return { cancelled: false, code: 'not_cancellable', status: b.status };
  if (c.by !== 'admin' && b.status === 'confirmed' && Date.now() >= checkInAt.getTime()) {
    return { cancelled: false, code: 'checked_in', status: b.status };
  }

  let refund: RefundOwed | undefined = { reason: `cancelled by ${c.by}` };
  if (c.by === 'admin') {
    refund = { ...refund, amount: c.refundAmount };
  } else if (c.by === 'guest' && b.status === 'confirmed') {
    const owed = guestRefund(
      {
        policy: b.policy,
        nights: nightsBetween(b.checkIn, b.checkOut),
        subtotal: b.subtotal,
        cleaningFee: b.cleaningFee,
        serviceFee: b.serviceFee,
        bookedAt: b.createdAt,
        checkInAt,
      },
      new Date(),
    );
    refund = { ...refund, amount: owed.amount, hostPart: owed.hostPart };
  }
  const { moved } = await move(bookingId, {
    from: b.status,
    to: 'cancelled',
    when: c.by === 'admin' ? owner : sql`${owner} and ${beforeCheckIn}`,
    set,
    refund,
  });
  if (!moved) return { cancelled: false, code: 'not_cancellable', status: b.status };
  if (b.status === 'pending_payment' || b.status === 'requested')
    await cancelDeadline(bookingId, b.status);
  const others: Array<'guest' | 'host'> =
    c.by === 'guest' ? ['host'] : c.by === 'host' ? ['guest'] : ['guest', 'host'];
  await tell(bookingId, 'cancelled', others, { by: c.by });
  return { cancelled: true };
}
