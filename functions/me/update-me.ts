import { eq, sql } from 'drizzle-orm';
import * as z from 'zod';
import { avatarKeyOf, getProfile } from '#lib/auth/principals';
import { invalidateCatalogue } from '#lib/catalogue-cache';
import { config } from '#lib/config';
import { db, schema } from '#lib/db/index';
import { badRequest, notFound } from '#lib/http/errors';
import { ok } from '#lib/http/reply';
import { caller, type Principal, route } from '#lib/http/route';
import { logger } from '#lib/log';
import { deleteObject, headObject, IMAGE_TYPES, MAX_AVATAR_BYTES } from '#lib/storage';

// Strict: role, id, phone, email or anything else in the body is a 400, never assigned.
const body = z
  .strictObject({
    name: z.string().trim().min(1).max(80).optional(),
    avatarKey: z.string().max(300).optional(),
  })
  .refine((b) => b.name !== undefined || b.avatarKey !== undefined, {
    message: 'nothing to change',
  });

/** The caller's avatar key, checked: under their own prefix, and uploaded (an image). */
async function checkAvatar(me: Principal, key: string): Promise<void> {
  if (me.role === 'admin') throw badRequest('validation_failed', 'Admins have no avatar.');
  if (!key.startsWith(`avatars/${me.id}/`) || key.includes('..')) {
    throw badRequest('validation_failed', 'The avatar must be one you uploaded.', [
      { path: 'body.avatarKey', message: `must start with avatars/${me.id}/` },
    ]);
  }
  const object = await headObject(config.S3_PUBLIC_BUCKET, key);
  if (!object) {
    throw badRequest('upload_missing', 'Nothing was uploaded under that key.', [
      { path: 'body.avatarKey', message: 'upload it first: POST /me/avatar/upload-url' },
    ]);
  }
  if (!(object.contentType in IMAGE_TYPES) || object.size > MAX_AVATAR_BYTES) {
    throw badRequest('upload_invalid', 'The avatar is not a JPEG, PNG or WebP of at most 5 MB.');
  }
}

export const handler = route({ body }, async ({ body, principal }) => {
  const me = caller(principal);
  if (body.avatarKey !== undefined) await checkAvatar(me, body.avatarKey);
  const table =
    me.role === 'user' ? schema.users : me.role === 'host' ? schema.hosts : schema.admins;
  const replaced = body.avatarKey !== undefined ? await avatarKeyOf(me) : undefined;
  const updated = await db()
    .update(table)
    .set({
      ...(body.name !== undefined ? { name: body.name } : {}),
      ...(body.avatarKey !== undefined ? { avatarKey: body.avatarKey } : {}),
      updatedAt: sql`now()`,
    })
    .where(eq(table.id, me.id))
    .returning({ id: table.id });
  if (updated.length === 0) throw notFound('account');
  // A host's name is on every card of theirs (copied by a trigger): cached pages go.
  if (me.role === 'host' && body.name !== undefined) await invalidateCatalogue();
  // The replaced photo is no longer anyone's: deleted as well as we can, like listing photos.
  if (replaced && replaced !== body.avatarKey) {
    await deleteObject(config.S3_PUBLIC_BUCKET, replaced).catch((error: unknown) => {
      logger.warn('old avatar not deleted', { key: replaced, reason: String(error) });
    });
  }
  return ok(await getProfile(me.role, me.id));
});
