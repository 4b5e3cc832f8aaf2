import { and, eq } from 'drizzle-orm';
import { db, schema } from '#lib/db/index';
import { notFound } from '#lib/http/errors';
import { noContent } from '#lib/http/reply';
import { route } from '#lib/http/route';
import { addToWishlist } from '#lib/wishlist/contracts';

/** Saves a published listing; saving it again changes nothing. */
export const handler = route(addToWishlist, async ({ params, principal: user }) => {
  const [listing] = await db()
    .select({ id: schema.listings.id })
    .from(schema.listings)
    .where(and(eq(schema.listings.id, params.listingId), eq(schema.listings.status, 'published')));
  if (!listing) throw notFound('listing');
  await db()
    .insert(schema.wishlistItems)
    .values({ userId: user.id, listingId: listing.id })
    .onConflictDoNothing();
  return noContent();
});
