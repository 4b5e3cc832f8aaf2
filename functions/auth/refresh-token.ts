import { refreshToken } from '#lib/auth/session-contracts';
import { rotateSession } from '#lib/auth/sessions';
import { ok } from '#lib/http/reply';
import { route } from '#lib/http/route';

/** A new token pair for a live refresh token; the old one stops working. */
export const handler = route(refreshToken, async ({ body }) =>
  ok(await rotateSession(body.refreshToken)),
);
