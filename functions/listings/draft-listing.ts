import { and, eq, sql } from 'drizzle-orm';
import { invalidateCatalogue } from '#lib/catalogue/cache';
import { db, schema } from '#lib/db/index';
import { ok } from '#lib/http/reply';
import { route } from '#lib/http/route';
import { draftListing } from '#lib/listings/contracts';
import {
  hostView,
  limitCatalogueWrites,
  listingSuspended,
  ownListing,
} from '#lib/listings/listings';

/** Takes a listing out of the public feed, back to draft. */
export const handler = route(draftListing, async ({ params, principal }) => {
  const listing = await ownListing(principal.id, params.id);
  await limitCatalogueWrites(listing.hostId);
  const [draft] = await db()
    .update(schema.listings)
    .set({ status: 'draft', publishedAt: null, updatedAt: sql`now()` })
    .where(and(eq(schema.listings.id, listing.id), sql`${schema.listings.status} <> 'suspended'`))
    .returning();
  if (!draft) throw listingSuspended();
  if (listing.status === 'published') await invalidateCatalogue(listing.id);
  return ok(await hostView(draft));
});
