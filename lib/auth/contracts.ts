import * as z from 'zod';
import { identity } from '#lib/auth/identifiers';
import { roles } from '#lib/auth/roles';
import { anyone, contract } from '#lib/http/contract';

const tokens = z.strictObject({
  accessToken: z.string(),
  refreshToken: z.string(),
  expiresInSeconds: z.number().int(),
  principal: z.strictObject({ id: z.uuid(), role: z.enum(roles) }),
});

export const requestOtp = contract({
  method: 'POST',
  path: '/auth/otp/request',
  fn: 'auth/request-otp',
  auth: anyone,
  description: 'Send a sign-in code by SMS or email',
  body: identity,
  responses: { 202: z.strictObject({ expiresInSeconds: z.number().int() }) },
});

export const verifyOtp = contract({
  method: 'POST',
  path: '/auth/otp/verify',
  fn: 'auth/verify-otp',
  auth: anyone,
  description: 'Trade a code for tokens',
  body: identity.and(z.object({ code: z.string().regex(/^\d{6}$/, 'six digits') })),
  responses: { 200: tokens },
});

export const refreshToken = contract({
  method: 'POST',
  path: '/auth/refresh',
  fn: 'auth/refresh-token',
  auth: anyone,
  description: 'Rotate a refresh token',
  body: z.strictObject({ refreshToken: z.string().min(20).max(200) }),
  responses: { 200: tokens },
});

export const logout = contract({
  method: 'POST',
  path: '/auth/logout',
  fn: 'auth/logout',
  // Signing out closes that sign-in's chat connections.
  uses: ['ws-connections'],
  auth: anyone,
  description: 'End a sign-in',
  body: z.strictObject({
    refreshToken: z.string().min(1).max(200),
    pushToken: z.string().min(1).max(200).optional(),
  }),
  responses: { 204: null },
});
