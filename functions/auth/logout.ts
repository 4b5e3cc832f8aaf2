import * as z from 'zod';
import { endSession } from '#lib/auth/sessions';
import { noContent } from '#lib/http/reply';
import { route } from '#lib/http/route';

/** Ends the sign-in the refresh token belongs to: its family and access tokens stop working. */
export const handler = route(
  { body: z.strictObject({ refreshToken: z.string().min(1).max(200) }) },
  async ({ body }) => {
    await endSession(body.refreshToken);
    return noContent();
  },
);
