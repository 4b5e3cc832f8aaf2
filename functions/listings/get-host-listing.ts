import { ok } from '#lib/http/reply';
import { caller, route } from '#lib/http/route';
import { hostView, listingId, ownListing } from '#lib/listings';

export const handler = route({ params: listingId }, async ({ params, principal }) =>
  ok(await hostView(await ownListing(caller(principal).id, params.id))),
);
