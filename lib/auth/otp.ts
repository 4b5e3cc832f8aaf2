import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { and, eq, gt, lt, sql } from 'drizzle-orm';
import type { Role } from '#lib/auth/roles';
import { db, schema } from '#lib/db/index';
import { fromNow } from '#lib/db/interval';
import { config } from '#lib/platform/config';

export const OTP_SECONDS = 5 * 60;
export const OTP_MAX_ATTEMPTS = 5;

const { otpCodes } = schema;

function hmac(role: Role, identifier: string, code: string): string {
  if (!config.OTP_SECRET) throw new Error('OTP_SECRET is not set');
  return createHmac('sha256', config.OTP_SECRET)
    .update(`${role}:${identifier}:${code}`)
    .digest('base64url');
}

/** A new 6-digit code from the CSPRNG; it replaces any earlier code for this identifier. */
export async function issueOtp(role: Role, identifier: string): Promise<string> {
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const values = {
    role,
    identifier,
    codeHash: hmac(role, identifier, code),
    attempts: 0,
    expiresAt: fromNow(OTP_SECONDS),
    createdAt: sql`now()`,
  };
  await db()
    .insert(otpCodes)
    .values(values)
    .onConflictDoUpdate({ target: [otpCodes.role, otpCodes.identifier], set: values });
  return code;
}

/**
 * Spends one attempt on the live code and says whether `code` is it. The attempt is
 * counted before the comparison, atomically, so concurrent guesses cannot exceed five;
 * after the fifth the code is dead, even for the right digits. A right code is consumed.
 */
export async function checkOtp(role: Role, identifier: string, code: string): Promise<boolean> {
  const match = and(eq(otpCodes.role, role), eq(otpCodes.identifier, identifier));
  const [live] = await db()
    .update(otpCodes)
    .set({ attempts: sql`${otpCodes.attempts} + 1` })
    .where(and(match, gt(otpCodes.expiresAt, sql`now()`), lt(otpCodes.attempts, OTP_MAX_ATTEMPTS)))
    .returning({ codeHash: otpCodes.codeHash });
  if (!live) return false;
  const expected = Buffer.from(live.codeHash);
  const given = Buffer.from(hmac(role, identifier, code));
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return false;
  // Only one of two concurrent right guesses gets to consume the code.
  const consumed = await db()
    .delete(otpCodes)
    .where(and(match, eq(otpCodes.codeHash, live.codeHash)))
    .returning({ role: otpCodes.role });
  return consumed.length > 0;
}
