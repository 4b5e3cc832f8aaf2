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
      created: ['cleanup-hourly'],
      updated: [],
      unchanged: [],
      removed: ['retired-job'],
    });
    const second = await syncSchedules(client, base);
    expect(second).toEqual({
      created: [],
      updated: [],
      unchanged: ['cleanup-hourly'],
      removed: [],
    });
    const listed = await client.schedules.list();
    expect(listed.map((s) => [s.scheduleId, s.cron, s.destination])).toEqual([
      ['cleanup-hourly', '0 * * * *', `${base}/jobs/cleanup`],
    ]);
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
});
