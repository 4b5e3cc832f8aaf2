import { db, onlyRow, schema } from '#lib/db/index';
import { created } from '#lib/http/reply';
import { route } from '#lib/http/route';
import { createListing } from '#lib/listings/contracts';
import { hostView } from '#lib/listings/listings';

/** A new listing, as a draft: nobody sees it until it is published. */
export const handler = route(createListing, async ({ body, principal: host }) => {
  const listing = onlyRow(
    await db()
      .insert(schema.listings)
      .values({ ...body, hostId: host.id, status: 'draft' })
      .returning(),
  );
  return created(await hostView(listing));
});
