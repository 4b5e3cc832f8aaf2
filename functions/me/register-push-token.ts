import { and, eq, sql } from 'drizzle-orm';
import { registerPushToken } from '#lib/accounts/contracts';
import { db, schema } from '#lib/db/index';
import { conflict } from '#lib/http/errors';
import { noContent } from '#lib/http/reply';
import { route } from '#lib/http/route';

const { pushTokens } = schema;

/**
 * Registers a device for push; registering it again is an update. A device registered
 * to another account stays theirs (409) until that account signs out on it (logout with
 * the push token) or is erased: else anyone holding a token could take its pushes.
 */
export const handler = route(registerPushToken, async ({ body, principal: me }) => {
  const values = { token: body.token, role: me.role, principalId: me.id, platform: body.platform };
  const registered = await db()
    .insert(pushTokens)
    .values(values)
    .onConflictDoUpdate({
      target: pushTokens.token,
      set: { platform: body.platform, lastSeenAt: sql`now()` },
      setWhere: and(eq(pushTokens.role, me.role), eq(pushTokens.principalId, me.id)),
    })
    .returning({ token: pushTokens.token });
  if (registered.length === 0) {
    throw conflict(
      'push_token_taken',
      'This device gets pushes for another account; sign out there first.',
    );
  }
  return noContent();
});
