import * as z from 'zod/mini';
import { roles } from '#lib/auth/roles';
import { anyone, contract } from '#lib/http/contract';

/**
 * The routes of a sign-in once it exists: refresh and sign-out. Apart from the code routes
 * (lib/auth/contracts.ts) so that their functions do not load the phone-number metadata.
 */
export const tokens = z.strictObject({
  accessToken: z.string(),
  refreshToken: z.string(),
  expiresInSeconds: z.number().check(z.int()),
  principal: z.strictObject({ id: z.uuid(), role: z.enum(roles) }),
});

export const refreshToken = contract({
  method: 'POST',
  path: '/auth/refresh',
  fn: 'auth/refresh-token',
  auth: anyone,
  description: 'Rotate a refresh token',
  body: z.strictObject({ refreshToken: z.string().check(z.minLength(20), z.maxLength(200)) }),
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
    refreshToken: z.string().check(z.minLength(1), z.maxLength(200)),
    pushToken: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  }),
  responses: { 204: null },
});
