import { eq, sql } from 'drizzle-orm';
import { invalidateCatalogue } from '#lib/catalogue/cache';
import { db, onlyRow, schema } from '#lib/db/index';
import { validationFailed } from '#lib/http/errors';
import { ok } from '#lib/http/reply';
import { route } from '#lib/http/route';
import { nightsOutOfOrder, updateListing } from '#lib/listings/contracts';
import { hostView, limitCatalogueWrites, ownListing, showsChange } from '#lib/listings/listings';

export const handler = route(updateListing, async ({ params, body, principal }) => {
  const listing = await ownListing(principal.id, params.id);
  // Against the listing's other bound when the body changes one; the database's check
  // decides between two changes that race.
  const nights = {
    minNights: body.minNights ?? listing.minNights,
    maxNights: body.maxNights ?? listing.maxNights,
  };
  if (nightsOutOfOrder(nights)) {
    const field = body.minNights !== undefined ? 'minNights' : 'maxNights';
    throw validationFailed([
      {
        path: `body.${field}`,
        message: `minNights (${nights.minNights}) is above maxNights (${nights.maxNights})`,
      },
    ]);
  }
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
