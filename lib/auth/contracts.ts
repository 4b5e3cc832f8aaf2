import * as z from 'zod/mini';
import { identity } from '#lib/auth/identifiers';
import { tokens } from '#lib/auth/session-contracts';
import { anyone, contract } from '#lib/http/contract';

/** Signing in with a one-time code, by phone or email; refresh and sign-out are in session-contracts. */
export const requestOtp = contract({
  method: 'POST',
  path: '/auth/otp/request',
  fn: 'auth/request-otp',
  auth: anyone,
  description: 'Send a sign-in code by SMS or email',
  body: identity,
  responses: { 202: z.strictObject({ expiresInSeconds: z.number().check(z.int()) }) },
});

export const verifyOtp = contract({
  method: 'POST',
  path: '/auth/otp/verify',
  fn: 'auth/verify-otp',
  auth: anyone,
  description: 'Trade a code for tokens',
  body: z.intersection(
    identity,
    z.object({ code: z.string().check(z.regex(/^\d{6}$/, 'six digits')) }),
  ),
  responses: { 200: tokens },
});
