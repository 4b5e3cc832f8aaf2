import { eq, sql } from 'drizzle-orm';
import { invalidateCatalogue } from '#lib/catalogue/cache';
import { db, schema } from '#lib/db/index';
import { notFound } from '#lib/http/errors';
import { ok } from '#lib/http/reply';
import { route } from '#lib/http/route';
import { suspendListing } from '#lib/listings/contracts';

const { listings } = schema;

/** Suspends a listing, whatever its status: it leaves the public feed at once. */
export const handler = route(suspendListing, async ({ params }) => {
  const [listing] = await db()
    .update(listings)
    .set({ status: 'suspended', updatedAt: sql`now()` })
    .where(eq(listings.id, params.id))
    .returning({ id: listings.id, status: listings.status });
  if (!listing) throw notFound('listing');
  await invalidateCatalogue(listing.id);
  return ok(listing);
});
