import * as z from 'zod';
import { rotateSession } from '#lib/auth/sessions';
import { ok } from '#lib/http/reply';
import { route } from '#lib/http/route';

/** A new token pair for a live refresh token; the old one stops working. */
export const handler = route(
  { body: z.strictObject({ refreshToken: z.string().min(20).max(200) }) },
  async ({ body }) => ok(await rotateSession(body.refreshToken)),
);
