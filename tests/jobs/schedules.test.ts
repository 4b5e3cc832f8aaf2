import { Client } from '@upstash/qstash';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalStack } from '#tests/support/stack';

const stack = await startLocalStack();
const { syncSchedules } = await import('#tools/schedules');
const { db, schema } = await import('#lib/db/index');
afterAll(() => stack.close());

const client = new Client({
  baseUrl: stack.qstash.url,
  token: stack.keys.token,
  devMode: false,
  enableTelemetry: false,
});
const base = process.env.PUBLIC_API_URL!;

describe('schedules', () => {
  it('are created by a sync, and a second sync changes nothing', async () => {
    await client.schedules.create({
      scheduleId: 'retired-job',
      destination: `${base}/jobs/cleanup`,
      cron: '*/5 * * * *',
    });
    const first = await syncSchedules(client, base);
    expect(first).toEqual({
      created: ['cleanup-hourly', 'complete-stays', 'reconcile-payouts-hourly'],
      updated: [],
      unchanged: [],
      removed: ['retired-job'],
    });
    const second = await syncSchedules(client, base);
    expect(second).toEqual({
      created: [],
      updated: [],
      unchanged: ['cleanup-hourly', 'complete-stays', 'reconcile-payouts-hourly'],
      removed: [],
    });
    const listed = await client.schedules.list();
    expect(
      listed
        .map((s) => [s.scheduleId, s.cron, s.destination])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    ).toEqual([
      ['cleanup-hourly', '0 * * * *', `${base}/jobs/cleanup`],
      ['complete-stays', '0 * * * *', `${base}/jobs/complete-stays`],
      ['reconcile-payouts-hourly', '0 * * * *', `${base}/jobs/reconcile-payouts`],
    ]);
    // A scheduled delivery that fails for good is reported like a published job's
    // (lib/jobs/enqueue.ts), so the failed-deliveries alarm counts it.
    for (const s of listed) {
      expect(s.failureCallback, s.scheduleId).toBe(`${base}/jobs/qstash-failed`);
    }
  });

  it('are updated by a sync when they lack the failure callback', async () => {
    // As the sync made them before schedules had a failure callback.
    await client.schedules.create({
      scheduleId: 'complete-stays',
      destination: `${base}/jobs/complete-stays`,
      cron: '*/15 * * * *',
      body: '{}',
      headers: { 'content-type': 'application/json' },
      retries: 3,
    });
    expect((await client.schedules.get('complete-stays')).failureCallback).toBeUndefined();
    expect(await syncSchedules(client, base)).toEqual({
      created: [],
      updated: ['complete-stays'],
      unchanged: ['cleanup-hourly', 'reconcile-payouts-hourly'],
      removed: [],
    });
    expect((await client.schedules.get('complete-stays')).failureCallback).toBe(
      `${base}/jobs/qstash-failed`,
    );
  });

  it('run the hourly cleanup, which forgets expired codes and tokens and keeps live ones', async () => {
    const { otpCodes, refreshTokens } = schema;
    const principalId = '6f1c2a9e-1d2b-4c3d-8e4f-5a6b7c8d9e0f';
    await db()
      .insert(otpCodes)
      .values([
        {
          role: 'user',
          identifier: '+2348000000001',
          codeHash: 'x',
          expiresAt: sql`now() - interval '1 minute'`,
        },
        {
          role: 'user',
          identifier: '+2348000000002',
          codeHash: 'y',
          expiresAt: sql`now() + interval '5 minutes'`,
        },
      ]);
    await db()
      .insert(refreshTokens)
      .values([
        {
          tokenHash: 'old',
          familyId: principalId,
          role: 'user',
          principalId,
          expiresAt: sql`now() - interval '1 day'`,
        },
        {
          tokenHash: 'live',
          familyId: principalId,
          role: 'user',
          principalId,
          expiresAt: sql`now() + interval '30 days'`,
        },
      ]);
    await db()
      .insert(schema.rateLimits)
      .values([
        { key: 'ended', hits: 3, windowEnds: sql`now() - interval '1 second'` },
        { key: 'running', hits: 1, windowEnds: sql`now() + interval '1 hour'` },
      ]);
    const id = await stack.qstash.runSchedule('cleanup-hourly');
    const delivery = await stack.qstash.waitFor((d) => d.messageId === id && d.status !== null);
    expect(delivery.status).toBe(200);
    const codes = await db().select({ identifier: otpCodes.identifier }).from(otpCodes);
    expect(codes).toEqual([{ identifier: '+2348000000002' }]);
    const tokens = await db().select({ hash: refreshTokens.tokenHash }).from(refreshTokens);
    expect(tokens).toEqual([{ hash: 'live' }]);
    const windows = await db().select({ key: schema.rateLimits.key }).from(schema.rateLimits);
    expect(windows).toEqual([{ key: 'running' }]);
  });

  it('complete a confirmed stay once its check-out has passed, and open its review window', async () => {
    const [host] = await db().insert(schema.hosts).values({ phone: '+2348030000011' }).returning();
    const [guest] = await db().insert(schema.users).values({ phone: '+2348030000012' }).returning();
    const [listing] = await db()
      .insert(schema.listings)
      .values({
        hostId: host!.id,
        title: 'Ikeja room',
        city: 'Lagos',
        pricePerNight: 1000,
        maxGuests: 1,
      })
      .returning();
    const stay = {
      listingId: listing!.id,
      guestId: guest!.id,
      hostId: host!.id,
      guests: 1,
      subtotal: 1000,
      totalAmount: 1000,
      hostPayout: 1000,
      status: 'confirmed' as const,
    };
    const day = (offset: number) =>
      new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const [over, ongoing] = await db()
      .insert(schema.bookings)
      .values([
        { ...stay, checkIn: day(-3), checkOut: day(-1) },
        { ...stay, checkIn: day(-1), checkOut: day(2) },
      ])
      .returning();
    const id = await stack.qstash.runSchedule('complete-stays');
    expect(
      (await stack.qstash.waitFor((d) => d.messageId === id && d.status !== null)).status,
    ).toBe(200);
    const statusOf = async (bookingId: string) =>
      (await db().select().from(schema.bookings)).find((b) => b.id === bookingId)?.status;
    expect(await statusOf(over!.id)).toBe('completed');
    expect(await statusOf(ongoing!.id)).toBe('confirmed');
    // Its reviews will be published when the window closes, by a job waiting in QStash under
    // the stay's label (cancelling it here shows it is there).
    const waiting = await client.messages.cancel({
      filter: { label: `publish-reviews-${over!.id}` },
    });
    expect(waiting.cancelled).toBe(1);
  });

  it('catch up on booking jobs whose publish was lost, and forget day-old Idempotency-Keys', async () => {
    const [host] = await db().insert(schema.hosts).values({ phone: '+2348030000001' }).returning();
    const [guest] = await db().insert(schema.users).values({ phone: '+2348030000002' }).returning();
    const [listing] = await db()
      .insert(schema.listings)
      .values({
        hostId: host!.id,
        title: 'Ajah flat',
        city: 'Lagos',
        pricePerNight: 1000,
        maxGuests: 1,
      })
      .returning();
    const money = { subtotal: 1000, totalAmount: 1000, hostPayout: 1000 };
    const stay = {
      listingId: listing!.id,
      guestId: guest!.id,
      hostId: host!.id,
      guests: 1,
      ...money,
    };
    const [lost, waiting, declined] = await db()
      .insert(schema.bookings)
      .values([
        {
          ...stay,
          checkIn: '2027-05-01',
          checkOut: '2027-05-03',
          expiresAt: sql`now() - interval '20 minutes'`,
        },
        {
          ...stay,
          checkIn: '2027-05-10',
          checkOut: '2027-05-12',
          expiresAt: sql`now() + interval '5 minutes'`,
        },
        { ...stay, checkIn: '2027-05-20', checkOut: '2027-05-22', status: 'declined' },
      ])
      .returning();
    const [payment] = await db()
      .insert(schema.payments)
      .values({
        bookingId: declined!.id,
        providerReference: `bk-${declined!.id}`,
        amount: 1000,
        status: 'succeeded',
      })
      .returning();
    await db().insert(schema.refunds).values({
      bookingId: declined!.id,
      paymentId: payment!.id,
      amount: 1000,
      reason: 'declined',
      createdAt: sql`now() - interval '20 minutes'`,
    });
    await db()
      .insert(schema.idempotencyKeys)
      .values([
        {
          role: 'user',
          principalId: guest!.id,
          key: 'old',
          requestHash: 'h',
          createdAt: sql`now() - interval '25 hours'`,
        },
        { role: 'user', principalId: guest!.id, key: 'fresh', requestHash: 'h' },
      ]);

    const id = await stack.qstash.runSchedule('cleanup-hourly');
    expect(
      (await stack.qstash.waitFor((d) => d.messageId === id && d.status !== null)).status,
    ).toBe(200);
    const statusOf = async (bookingId: string) =>
      (await db().select().from(schema.bookings)).find((b) => b.id === bookingId)?.status;
    expect(await statusOf(lost!.id)).toBe('expired');
    expect(await statusOf(waiting!.id)).toBe('pending_payment');
    // The refund is carried to Paystack again (which has never heard of this test payment).
    await stack.qstash.waitFor(
      (d) =>
        d.url.endsWith('/jobs/refund-booking') &&
        d.body.includes(declined!.id) &&
        d.status !== null,
    );
    const keys = await db()
      .select({ key: schema.idempotencyKeys.key })
      .from(schema.idempotencyKeys);
    expect(keys).toEqual([{ key: 'fresh' }]);
  });
});
