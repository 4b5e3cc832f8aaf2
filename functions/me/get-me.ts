import { getMe } from '#lib/accounts/contracts';
import { getProfile } from '#lib/auth/principals';
import { notFound } from '#lib/http/errors';
import { ok } from '#lib/http/reply';
import { route } from '#lib/http/route';

export const handler = route(getMe, async ({ principal: me }) => {
  const profile = await getProfile(me.role, me.id);
  if (!profile) throw notFound('account');
  return ok(profile);
});
