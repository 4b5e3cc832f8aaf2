import { getProfile } from '#lib/auth/principals';
import { notFound } from '#lib/http/errors';
import { ok } from '#lib/http/reply';
import { caller, route } from '#lib/http/route';

export const handler = route({}, async ({ principal }) => {
  const me = caller(principal);
  const profile = await getProfile(me.role, me.id);
  if (!profile) throw notFound('account');
  return ok(profile);
});
