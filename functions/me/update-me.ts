import { eq, sql } from 'drizzle-orm';
import { updateMe } from '#lib/accounts/contracts';
import { accountTable, getProfile } from '#lib/auth/principals';
import { invalidateCatalogue } from '#lib/catalogue/cache';
import { db, schema } from '#lib/db/index';
import type { Principal } from '#lib/http/contract';
import { badRequest, notFound } from '#lib/http/errors';
import { ok } from '#lib/http/reply';
import { route } from '#lib/http/route';
import { limitCatalogueWrites } from '#lib/listings/listings';
import { config } from '#lib/platform/config';
import { logger } from '#lib/platform/log';
import { IMAGE_TYPES, MAX_AVATAR_BYTES } from '#lib/platform/storage/types';

/**
 * The S3 client, loaded only by a change of avatar: a change of name, the common case, does
 * without its ~35 ms of cold start.
 */
const storage = () => import('#lib/platform/storage/objects');

/** The caller's avatar key, checked: under their own prefix, and uploaded (an image, by its bytes). */
async function checkAvatar(me: Principal, key: string): Promise<void> {
  if (me.role === 'admin') throw badRequest('validation_failed', 'Admins have no avatar.');
  const { requireUpload } = await storage();
  await requireUpload({
    bucket: config.S3_PUBLIC_BUCKET,
    key,
    prefix: `avatars/${me.id}/`,
    types: IMAGE_TYPES,
    maxBytes: MAX_AVATAR_BYTES,
    field: 'body.avatarKey',
    notOwn: 'The avatar must be one you uploaded.',
    mustBe: 'The avatar is not a JPEG, PNG or WebP of at most 5 MB',
    missingHint: 'upload it first: POST /me/avatar/upload-url',
  });
}

/** Sets the name and avatar of a guest or host; returns the avatar key it replaced. */
async function updateAccount(
  me: Principal & { role: 'user' | 'host' },
  changes: { name?: string | undefined; avatarKey?: string | undefined },
): Promise<{ replaced: string | null; oldName: string | null } | undefined> {
  const table = accountTable(me.role);
  // The old key is read in the same statement that replaces it, so two concurrent changes
  // each delete exactly the object they replaced.
  const { rows } = await db().execute<{ replaced: string | null; oldName: string | null }>(sql`
    update ${table} t
    set name = coalesce(${changes.name ?? null}, t.name),
        avatar_key = coalesce(${changes.avatarKey ?? null}, t.avatar_key),
        updated_at = now()
    from (select id, name, avatar_key from ${table} where id = ${me.id} and deleted_at is null for update) old
    where t.id = old.id
    returning old.avatar_key as replaced, old.name as "oldName"`);
  return rows[0];
}

export const handler = route(updateMe, async ({ body, principal: me }) => {
  if (body.avatarKey !== undefined) await checkAvatar(me, body.avatarKey);
  let replaced: string | null = null;
  let renamed = false;
  if (me.role === 'admin') {
    const updated = await db()
      .update(schema.admins)
      .set({ name: body.name, updatedAt: sql`now()` })
      .where(eq(schema.admins.id, me.id))
      .returning({ id: schema.admins.id });
    if (updated.length === 0) throw notFound('account');
  } else {
    if (me.role === 'host') await limitCatalogueWrites(me.id);
    const updated = await updateAccount({ ...me, role: me.role }, body);
    if (!updated) throw notFound('account');
    replaced = updated.replaced;
    renamed = body.name !== undefined && body.name !== updated.oldName;
  }
  // A host's name is on every card of theirs (copied by a trigger): cached pages go, but
  // only when it changed.
  if (me.role === 'host' && renamed) await invalidateCatalogue();
  // The replaced photo is no longer anyone's: deleted as well as we can, like listing photos.
  if (body.avatarKey !== undefined && replaced && replaced !== body.avatarKey) {
    const key = replaced;
    const { deleteObject } = await storage();
    await deleteObject(config.S3_PUBLIC_BUCKET, key).catch((error: unknown) => {
      logger.warn('old avatar not deleted', { key, reason: String(error) });
    });
  }
  const profile = await getProfile(me.role, me.id);
  if (!profile) throw notFound('account');
  return ok(profile);
});
