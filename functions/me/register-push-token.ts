import { sql } from 'drizzle-orm';
import * as z from 'zod';
import { db, schema } from '#lib/db/index';
import { noContent } from '#lib/http/reply';
import { caller, route } from '#lib/http/route';

const body = z.strictObject({
  token: z.string().regex(/^(ExponentPushToken|ExpoPushToken)\[[\w-]+\]$/, 'an Expo push token'),
  platform: z.enum(['ios', 'android']),
});

/** Registers a device for push; registering it again (or for another account) is an update. */
export const handler = route({ body }, async ({ body, principal }) => {
  const me = caller(principal);
  const values = { token: body.token, role: me.role, principalId: me.id, platform: body.platform };
  await db()
    .insert(schema.pushTokens)
    .values(values)
    .onConflictDoUpdate({
      target: schema.pushTokens.token,
      set: { ...values, lastSeenAt: sql`now()` },
    });
  return noContent();
});
