import { eq, sql } from 'drizzle-orm';
import * as z from 'zod';
import { invalidateCatalogue } from '#lib/catalogue-cache';
import { db, onlyRow, schema } from '#lib/db/index';
import { ok } from '#lib/http/reply';
import { caller, route } from '#lib/http/route';
import {
  hostView,
  limitCatalogueWrites,
  listingFields,
  listingId,
  ownListing,
  showsChange,
} from '#lib/listings';

// Only these fields; status, host or anything else in the body is a 400.
const body = z
  .strictObject(listingFields)
  .partial()
  .refine((b) => Object.keys(b).length > 0, { message: 'nothing to change' });

export const handler = route({ params: listingId, body }, async ({ params, body, principal }) => {
  const listing = await ownListing(caller(principal).id, params.id);
  await limitCatalogueWrites(listing.hostId);
  const updated = onlyRow(
    await db()
      .update(schema.listings)
      .set({ ...body, updatedAt: sql`now()` })
      .where(eq(schema.listings.id, listing.id))
      .returning(),
  );
  if (showsChange(listing, body)) await invalidateCatalogue(listing.id);
  return ok(await hostView(updated));
});
