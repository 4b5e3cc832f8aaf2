import * as z from 'zod';
import { db, onlyRow, schema } from '#lib/db/index';
import { created } from '#lib/http/reply';
import { caller, route } from '#lib/http/route';
import { hostView, listingFields } from '#lib/listings';

const body = z.strictObject({
  ...listingFields,
  description: listingFields.description.default(''),
  address: listingFields.address.default(''),
  currency: listingFields.currency.default('NGN'),
  amenities: listingFields.amenities.default([]),
});

/** A new listing, as a draft: nobody sees it until it is published. */
export const handler = route({ body }, async ({ body, principal }) => {
  const host = caller(principal);
  const listing = onlyRow(
    await db()
      .insert(schema.listings)
      .values({ ...body, hostId: host.id, status: 'draft' })
      .returning(),
  );
  return created(await hostView(listing));
});
