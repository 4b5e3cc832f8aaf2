import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { ApiResponse } from '#tests/support/api';
import type { LocalStack } from '#tests/support/stack';

/** The Lagos date `days` from today. */
export const inDays = (days: number) => {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Africa/Lagos' }).format(new Date());
  return new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
};

/** `POST /bookings` as the app sends it: a fresh Idempotency-Key unless one is given. */
export const book = (
  stack: Pick<LocalStack, 'api'>,
  token: string,
  body: Record<string, unknown>,
  key: string = randomUUID(),
): Promise<ApiResponse> =>
  stack.api('POST', '/bookings', { token, body, headers: { 'Idempotency-Key': key } });

/** The guest presses a button on the stand-in's checkout page, as a browser posts its form. */
export async function payAtCheckout(authorizationUrl: string, outcome: 'success' | 'failed') {
  const page = await (await fetch(authorizationUrl)).text();
  expect(page).toContain('<form method="post">');
  expect(page).toContain(`value="${outcome}"`);
  const res = await fetch(authorizationUrl, {
    method: 'POST',
    body: new URLSearchParams({ outcome }),
    redirect: 'manual',
  });
  // Back to callback_url when the checkout has one; else the stand-in's own result page.
  expect([200, 302]).toContain(res.status);
  return res.headers.get('location');
}

/** Polls `read` until `done` holds of its answer (8 s at most), and returns that answer. */
export async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 8000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`not done after ${ms} ms: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
