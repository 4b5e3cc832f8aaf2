import { and, eq } from 'drizzle-orm';
import { logout } from '#lib/auth/session-contracts';
import { endSession } from '#lib/auth/sessions';
import { db, schema } from '#lib/db/index';
import { noContent } from '#lib/http/reply';
import { route } from '#lib/http/route';
import { logger } from '#lib/platform/log';
import { closeSession } from '#lib/ws/connections';

const { pushTokens } = schema;

/**
 * Ends the sign-in the refresh token belongs to: its family and access tokens stop
 * working, and its chat connections close. With the device's push token, that device stops getting this account's pushes.
 */
export const handler = route(logout, async ({ body }) => {
  const ended = await endSession(body.refreshToken);
  if (ended) {
    await closeSession(ended.sessionId).catch((error: unknown) => {
      logger.warn("could not close the sign-in's connections", { reason: String(error) });
    });
  }
  if (ended && body.pushToken) {
    await db()
      .delete(pushTokens)
      .where(
        and(
          eq(pushTokens.token, body.pushToken),
          eq(pushTokens.role, ended.role),
          eq(pushTokens.principalId, ended.principalId),
        ),
      );
  }
  return noContent();
});
