import { expect } from 'vitest';
import type { Role } from '#lib/auth/roles';
import { call } from '#tests/support/api';
import type { LocalStack } from '#tests/support/stack';

/** What a sign-in answers with. */
export interface Session {
  accessToken: string;
  refreshToken: string;
  principal: { id: string; role: Role };
}

let seq = 500000 + Math.floor(Math.random() * 100000);

/** Signs in as a client does: asks for a code, reads it from the outbox, trades it for tokens. */
export async function signIn(
  stack: Pick<LocalStack, 'gateway' | 'outbox'>,
  role: Role,
  email?: string,
): Promise<Session> {
  const id = email ? { email } : { phone: `+23481${String(++seq).padStart(8, '0')}` };
  const to = email ?? id.phone!;
  const sent = async () => (await stack.outbox()).filter((l) => l.to === to);
  // The code of this request, not one sent to the same identifier earlier.
  const before = (await sent()).length;
  expect(
    (await call(stack.gateway.url, 'POST', '/auth/otp/request', { body: { ...id, role } })).status,
  ).toBe(202);
  let code: string | undefined;
  for (let i = 0; i < 50 && !code; i++) {
    const line = (await sent())[before];
    code = line && /\b(\d{6})\b/.exec(String(line.text))?.[1];
    if (!code) await new Promise((r) => setTimeout(r, 100));
  }
  const res = await call(stack.gateway.url, 'POST', '/auth/otp/verify', {
    body: { ...id, role, code },
  });
  expect(res.status).toBe(200);
  return res.body as Session;
}
