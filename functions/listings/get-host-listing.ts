import { ok } from '#lib/http/reply';
import { route } from '#lib/http/route';
import { getHostListing } from '#lib/listings/contracts';
import { hostView, ownListing } from '#lib/listings/listings';

export const handler = route(getHostListing, async ({ params, principal }) =>
  ok(await hostView(await ownListing(principal.id, params.id))),
);
