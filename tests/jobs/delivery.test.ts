import { createHash, randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeProvider } from '#tests/support/fake-provider';
import { startLocalStack } from '#tests/support/stack';

// SMS goes to a fake Termii that fails twice, then accepts; email stays in the outbox.
const termii = await startFakeProvider([
  { status: 500 },
  { status: 503 },
  { status: 200, body: { message_id: 'tm-1', message: 'Successfully Sent' } },
]);
const stack = await startLocalStack({
  SMS_PROVIDER: 'termii',
  TERMII_URL: termii.url,
  TERMII_API_KEY: 'test-key',
  TERMII_SENDER_ID: 'Marketplace',
});
const { enqueue } = await import('#lib/jobs/enqueue');
afterAll(async () => {
  await stack.close();
  await termii.close();
});

const emailUrl = `${stack.gateway.url}/jobs/send-email`;
const emailBody = (n: string) =>
  JSON.stringify({ to: 'ada@example.com', subject: `Booking ${n}`, text: 'Confirmed.' });
const deliver = (url: string, body: string, headers: Record<string, string>) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
const signed = async (
  body: string,
  opts: { key?: 'current' | 'next'; url?: string; at?: number } = {},
) => ({
  'upstash-signature': await stack.qstash.signWith(
    opts.key ?? 'current',
    opts.url ?? emailUrl,
    body,
    opts.at ? { at: opts.at } : {},
  ),
  'upstash-message-id': `msg_${randomBytes(8).toString('hex')}`,
});
const emailsTo = async (subject: string) =>
  (await stack.outbox()).filter((l) => l.subject === subject);

let n = 0;
let subject = '';
beforeEach(() => {
  subject = `Booking ${++n}`;
});

describe('job deliveries through the real QStash client, the local QStash and the job route', () => {
  it('runs a valid delivery once', async () => {
    const id = await enqueue('send-email', { to: 'ada@example.com', subject, text: 'Confirmed.' });
    const delivery = await stack.qstash.waitFor((d) => d.messageId === id && d.status !== null);
    expect(delivery.status).toBe(200);
    expect(await emailsTo(subject)).toMatchObject([
      { channel: 'email', to: 'ada@example.com', subject, text: 'Confirmed.' },
    ]);
  });

  it('refuses a missing, tampered, misdirected or expired signature with 401 and no effect', async () => {
    const body = emailBody(String(n));
    const good = await signed(body);
    const attempts = [
      { ...good, 'upstash-signature': '' },
      good, // sent with another body below
      await signed(body, { url: `${stack.gateway.url}/jobs/send-sms` }),
      await signed(body, { at: Date.now() - 10 * 60_000 }),
    ];
    const bodies = [body, body.replace('ada@', 'eve@'), body, body];
    for (const [i, headers] of attempts.entries()) {
      const res = await deliver(emailUrl, bodies[i]!, headers);
      expect(res.status, `attempt ${i}`).toBe(401);
    }
    expect(await emailsTo(subject)).toHaveLength(0);
  });

  it('accepts a delivery signed with the next key', async () => {
    const body = emailBody(String(n));
    const res = await deliver(emailUrl, body, await signed(body, { key: 'next' }));
    expect(res.status).toBe(200);
    expect(await emailsTo(subject)).toHaveLength(1);
  });

  // QStash signs every delivery attempt anew: a redelivery is the same message id with a
  // fresh signature.
  const redelivery = async (body: string, first: Record<string, string>) => ({
    ...(await signed(body)),
    'upstash-message-id': first['upstash-message-id'] as string,
  });

  it('has one effect when the same message is delivered twice in a row', async () => {
    const body = emailBody(String(n));
    const headers = await signed(body);
    const first = await deliver(emailUrl, body, headers);
    const second = await deliver(emailUrl, body, await redelivery(body, headers));
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(((await second.json()) as { status: string }).status).toBe('duplicate');
    expect(await emailsTo(subject)).toHaveLength(1);
  });

  it('has one effect when the same message is delivered twice at once', async () => {
    const body = emailBody(String(n));
    const headers = await signed(body);
    const attempts = [headers, await redelivery(body, headers), await redelivery(body, headers)];
    const statuses = (await Promise.all(attempts.map((h) => deliver(emailUrl, body, h)))).map(
      (r) => r.status,
    );
    // The one that ran answers 200; the others 200 (already done) or 409 (still running:
    // QStash delivers those again later).
    expect(statuses).toContain(200);
    for (const s of statuses) expect([200, 409]).toContain(s);
    expect(await emailsTo(subject)).toHaveLength(1);
  });

  it('refuses a captured signature sent again, whatever message id it carries', async () => {
    const body = emailBody(String(n));
    const headers = await signed(body);
    expect((await deliver(emailUrl, body, headers)).status).toBe(200);
    for (let i = 0; i < 3; i++) {
      const replay = await deliver(emailUrl, body, {
        ...headers,
        'upstash-message-id': `msg_${randomBytes(8).toString('hex')}`,
      });
      expect(replay.status).toBe(401);
      expect(((await replay.json()) as { error: { code: string } }).error.code).toBe(
        'signature_replayed',
      );
    }
    expect(await emailsTo(subject)).toHaveLength(1);
  });

  it('retries a job that fails twice, and it then has one effect', async () => {
    const id = await enqueue('send-sms', { to: '+2348012345678', text: 'Your code is 123456' });
    const done = await stack.qstash.waitFor((d) => d.messageId === id && d.status === 200, 10_000);
    const attempts = stack.qstash.deliveries.filter((d) => d.messageId === id);
    expect(attempts.map((a) => [a.status, a.retried])).toEqual([
      [503, 0],
      [503, 1],
      [200, 2],
    ]);
    expect(done.retried).toBe(2);
    // Termii saw three attempts; only the last was accepted, so one SMS went out.
    const received = termii.requests.filter(
      (r) => JSON.parse(r.body).sms === 'Your code is 123456',
    );
    expect(received).toHaveLength(3);
    expect(JSON.parse(received[2]!.body)).toMatchObject({
      to: '2348012345678',
      from: 'Marketplace',
      api_key: 'test-key',
    });
  });

  it('does not retry a payload that can never succeed', async () => {
    const body = JSON.stringify({ to: 'not-an-email', subject: 'x', text: 'y' });
    const res = await deliver(emailUrl, body, await signed(body));
    expect(res.status).toBe(489);
    expect(res.headers.get('upstash-nonretryable-error')).toBe('true');
  });

  it('refuses a validly signed delivery whose signature has no id', async () => {
    const body = emailBody(String(n));
    const now = Math.floor(Date.now() / 1000);
    const signature = await new SignJWT({
      body: createHash('sha256').update(body).digest('base64url'),
    })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer('Upstash')
      .setSubject(emailUrl)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + 300)
      .sign(new TextEncoder().encode(stack.keys.current));
    const res = await deliver(emailUrl, body, {
      'upstash-signature': signature,
      'upstash-message-id': `msg_${randomBytes(8).toString('hex')}`,
    });
    expect(res.status).toBe(401);
    expect(await emailsTo(subject)).toHaveLength(0);
  });
});
