import { afterAll, describe, expect, it } from 'vitest';
import { startSentryIngest } from '#local/emulators/sentry/index';
import { startLocalStack } from '#tests/support/stack';

// Small caps, so the test reaches them: three SMS a day per country, five in all.
const ingest = await startSentryIngest();
const stack = await startLocalStack({
  OTP_SMS_COUNTRY_DAILY_CAP: '3',
  OTP_SMS_DAILY_CAP: '5',
  SENTRY_DSN: ingest.dsn,
});
afterAll(async () => {
  await stack.close();
  await ingest.close();
});
const request = (id: { phone?: string; email?: string }) =>
  stack.api('POST', '/auth/otp/request', { body: { ...id, role: 'user' } });

describe('SMS pumping', () => {
  it('refuses numbers outside the countries served, naming the field', async () => {
    for (const phone of ['+881612345678', '+9647712345678', '+8613800138000']) {
      const res = await request({ phone });
      expect(res.status, phone).toBe(400);
      expect(res.body.error.details).toEqual([
        {
          path: 'body.phone',
          message: 'sign-in by SMS serves NG, GH, KE, ZA; sign in by email instead',
        },
      ]);
    }
    expect((await stack.outbox()).filter((l) => l.channel === 'sms')).toEqual([]);
    expect((await request({ phone: '+2348012345601' })).status).toBe(202);
  });

  it('caps SMS per country and in all each day, with an alert, while email still works', async () => {
    // One NG SMS was sent above; three to Ghana reach its cap.
    for (const n of [1, 2, 3])
      expect((await request({ phone: `+23320123450${n}` })).status).toBe(202);
    const ghana = await request({ phone: '+233201234509' });
    expect(ghana.status).toBe(429);
    expect(Number(ghana.headers.get('retry-after'))).toBeGreaterThan(3600);
    // Kenya is under its own cap, but the fifth SMS of the day is the last in all.
    expect((await request({ phone: '+254711234501' })).status).toBe(202);
    expect((await request({ phone: '+254711234502' })).status).toBe(429);
    expect((await request({ email: 'ada@example.com' })).status).toBe(202);

    await expect
      .poll(
        () =>
          ingest
            .events()
            .map((e) => JSON.stringify(e.payload))
            .join('\n'),
        { timeout: 5000 },
      )
      .toMatch(/sign-in SMS to GH reached the daily cap/);
    expect(
      ingest
        .events()
        .map((e) => JSON.stringify(e.payload))
        .join('\n'),
    ).toMatch(/sign-in SMS reached the daily cap/);
    await expect
      .poll(async () => (await stack.outbox()).filter((l) => l.channel === 'sms').length)
      .toBe(5);
  });
});
