import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { startFakeProvider } from '#tests/support/fake-provider';
import { startLocalStack } from '#tests/support/stack';

const ses = await startFakeProvider([
  { status: 200, body: { MessageId: 'ses-1' } },
  { status: 400, body: { __type: 'MessageRejected', message: 'Email address is not verified.' } },
]);
const expo = await startFakeProvider([
  {
    status: 200,
    body: {
      data: [
        { status: 'ok', id: 't1' },
        { status: 'error', message: 'gone', details: { error: 'DeviceNotRegistered' } },
      ],
    },
  },
]);
const stack = await startLocalStack({
  EMAIL_PROVIDER: 'ses',
  EMAIL_FROM: 'bookings@marketplace.example',
  SES_ENDPOINT: ses.url,
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  PUSH_PROVIDER: 'expo',
  EXPO_PUSH_URL: `${expo.url}/--/api/v2/push/send`,
});
const { enqueue } = await import('#lib/jobs/enqueue');
const { db, schema } = await import('#lib/db/index');
afterAll(async () => {
  await stack.close();
  await ses.close();
  await expo.close();
});

describe('provider adapters', () => {
  it('sends email through SES, and gives up at once on a message SES rejects', async () => {
    const sent = await enqueue('send-email', {
      to: 'ada@example.com',
      subject: 'Welcome',
      text: 'Hello Ada',
    });
    await stack.qstash.waitFor((d) => d.messageId === sent && d.status === 200);
    expect(ses.requests[0]).toMatchObject({ method: 'POST', path: '/v2/email/outbound-emails' });
    expect(JSON.parse(ses.requests[0]!.body)).toMatchObject({
      FromEmailAddress: 'bookings@marketplace.example',
      Destination: { ToAddresses: ['ada@example.com'] },
      Content: { Simple: { Subject: { Data: 'Welcome' }, Body: { Text: { Data: 'Hello Ada' } } } },
    });

    const rejected = await enqueue('send-email', {
      to: 'eve@example.com',
      subject: 'Welcome',
      text: 'Hi',
    });
    const delivery = await stack.qstash.waitFor(
      (d) => d.messageId === rejected && d.status !== null,
    );
    expect(delivery.status).toBe(489);
    await new Promise((r) => setTimeout(r, 300));
    expect(stack.qstash.deliveries.filter((d) => d.messageId === rejected)).toHaveLength(1);
    expect(await stack.outbox()).toEqual([]);
  });

  it('pushes to every device of a principal through Expo and forgets unregistered ones', async () => {
    const userId = randomUUID();
    await db()
      .insert(schema.pushTokens)
      .values([
        { token: 'ExponentPushToken[aaa]', role: 'user', principalId: userId, platform: 'android' },
        { token: 'ExponentPushToken[bbb]', role: 'user', principalId: userId, platform: 'ios' },
      ]);
    const id = await enqueue('send-push', {
      role: 'user',
      principalId: userId,
      title: 'New message',
      body: 'Is it free?',
    });
    await stack.qstash.waitFor((d) => d.messageId === id && d.status === 200);
    const sent = JSON.parse(expo.requests[0]!.body) as Array<{ to: string; title: string }>;
    expect(sent.map((m) => m.to).sort()).toEqual([
      'ExponentPushToken[aaa]',
      'ExponentPushToken[bbb]',
    ]);
    const left = await db().select({ token: schema.pushTokens.token }).from(schema.pushTokens);
    expect(left).toHaveLength(1);
    expect(left[0]!.token).toBe(sent[0]!.to);
  });
});
