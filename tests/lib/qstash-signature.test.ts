import { createHash } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { signDelivery } from '#local/emulators/qstash/signing';

// Read at the first use of the configuration, which comes after these lines.
process.env.QSTASH_CURRENT_SIGNING_KEY = 'sig_current_0123456789';
process.env.QSTASH_NEXT_SIGNING_KEY = 'sig_next_0123456789';
process.env.PUBLIC_API_URL = 'https://api.example.com';
const { verifyQStashSignature } = await import('#lib/jobs/verify');

const body = '{"to":"+2348012345678","text":"Your code is 123456"}';

function delivery(
  signature: string | undefined,
  options: { path?: string; query?: string; body?: string; base64?: boolean } = {},
): APIGatewayProxyEventV2 {
  const raw = options.body ?? body;
  return {
    headers: signature ? { 'upstash-signature': signature } : {},
    rawPath: options.path ?? '/jobs/send-sms',
    rawQueryString: options.query ?? '',
    body: options.base64 ? Buffer.from(raw).toString('base64') : raw,
    isBase64Encoded: options.base64 ?? false,
  } as unknown as APIGatewayProxyEventV2;
}

const sign = (key: string, url: string, text = body) =>
  signDelivery(key, url, new TextEncoder().encode(text), Date.now());

/** A valid signature of `body` for send-sms whose `jti` is `jti` (none when undefined). */
async function withId(jti: string | undefined) {
  const now = Math.floor(Date.now() / 1000);
  const hash = createHash('sha256')
    .update(body)
    .digest('base64')
    .replaceAll('+', '-')
    .replaceAll('/', '_');
  const jwt = new SignJWT({ body: hash })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer('Upstash')
    .setSubject('https://api.example.com/jobs/send-sms')
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + 300);
  if (jti !== undefined) jwt.setJti(jti);
  return jwt.sign(new TextEncoder().encode('sig_current_0123456789'));
}

const refused = (event: APIGatewayProxyEventV2, message?: string) =>
  expect(verifyQStashSignature(event)).rejects.toMatchObject({
    statusCode: 401,
    ...(message ? { message } : {}),
  });

describe('a QStash signature', () => {
  it('is accepted with the current or the next key, for this URL and body, and gives its id', async () => {
    const url = 'https://api.example.com/jobs/send-sms';
    const current = await sign('sig_current_0123456789', url);
    const id = await verifyQStashSignature(delivery(current));
    expect(id).toMatch(/^jwt_/);
    expect(id).toBe(
      JSON.parse(Buffer.from(current.split('.')[1] ?? '', 'base64url').toString()).jti,
    );
    await expect(
      verifyQStashSignature(delivery(await sign('sig_next_0123456789', url))),
    ).resolves.toMatch(/^jwt_/);
  });

  it('covers the query string and a body API Gateway passed as base64', async () => {
    const withQuery = 'https://api.example.com/jobs/send-sms?attempt=2';
    const signed = await sign('sig_current_0123456789', withQuery);
    await expect(verifyQStashSignature(delivery(signed, { query: 'attempt=2' }))).resolves.toMatch(
      /^jwt_/,
    );
    await expect(
      verifyQStashSignature(delivery(signed, { query: 'attempt=2', base64: true })),
    ).resolves.toMatch(/^jwt_/);
    // The same signature for another query, path or body is refused.
    await refused(delivery(signed, { query: 'attempt=3' }));
    await refused(delivery(signed));
    await refused(delivery(signed, { query: 'attempt=2', path: '/jobs/send-email' }));
    await refused(delivery(signed, { query: 'attempt=2', body: `${body} ` }));
  });

  it('is refused when missing, signed with another key, or without an id', async () => {
    const url = 'https://api.example.com/jobs/send-sms';
    await refused(delivery(undefined), 'A QStash signature is required.');
    await refused(
      delivery(await sign('someone_elses_key_0123', url)),
      'The QStash signature is not valid.',
    );
    await refused(delivery('not.a.jwt'));
    await refused(delivery(await withId(undefined)), 'The QStash signature has no id.');
    await refused(delivery(await withId('')));
    await refused(delivery(await withId('j'.repeat(201))));
    await expect(verifyQStashSignature(delivery(await withId('j'.repeat(200))))).resolves.toBe(
      'j'.repeat(200),
    );
  });
});
