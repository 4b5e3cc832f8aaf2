import { eq, sql } from 'drizzle-orm';
import * as z from 'zod';
import { getProfile } from '#lib/auth/principals';
import { invalidateCatalogue } from '#lib/catalogue-cache';
import { db, schema } from '#lib/db/index';
import { badRequest, notFound } from '#lib/http/errors';
import { ok } from '#lib/http/reply';
import { caller, route } from '#lib/http/route';

// Strict: role, id, phone, email or anything else in the body is a 400, never assigned.
const body = z
  .strictObject({
    name: z.string().trim().min(1).max(80).optional(),
    avatarKey: z.string().max(300).optional(),
  })
  .refine((b) => b.name !== undefined || b.avatarKey !== undefined, {
    message: 'nothing to change',
  });

export const handler = route({ body }, async ({ body, principal }) => {
  const me = caller(principal);
  if (body.avatarKey !== undefined) {
    if (me.role === 'admin') throw badRequest('validation_failed', 'Admins have no avatar.');
    if (!body.avatarKey.startsWith(`avatars/${me.id}/`) || body.avatarKey.includes('..')) {
      throw badRequest('validation_failed', 'The avatar must be one you uploaded.', [
        { path: 'body.avatarKey', message: `must start with avatars/${me.id}/` },
      ]);
    }
  }
  const table =
    me.role === 'user' ? schema.users : me.role === 'host' ? schema.hosts : schema.admins;
  const changes = {
    ...(body.name !== undefined ? { name: body.name } : {}),
    ...(body.avatarKey !== undefined ? { avatarKey: body.avatarKey } : {}),
    updatedAt: sql`now()`,
  };
  const updated = await db()
    .update(table)
    .set(changes)
    .where(eq(table.id, me.id))
    .returning({ id: table.id });
  if (updated.length === 0) throw notFound('account');
  // A host's name is on every card of theirs (copied by a trigger): cached pages go.
  if (me.role === 'host' && body.name !== undefined) await invalidateCatalogue();
  return ok(await getProfile(me.role, me.id));
});
