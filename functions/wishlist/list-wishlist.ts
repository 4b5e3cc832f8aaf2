import { and, desc, eq } from 'drizzle-orm';
import { cardColumns, toCard } from '#lib/catalogue/feed';
import { db, schema } from '#lib/db/index';
import { ok } from '#lib/http/reply';
import { route } from '#lib/http/route';
import { listWishlist } from '#lib/wishlist/contracts';

const { listings, wishlistItems } = schema;

/** The caller's saved listings that are still published, as feed cards, last saved first. */
export const handler = route(listWishlist, async ({ principal: user }) => {
  const rows = await db()
    .select(cardColumns)
    .from(wishlistItems)
    .innerJoin(listings, eq(listings.id, wishlistItems.listingId))
    .where(and(eq(wishlistItems.userId, user.id), eq(listings.status, 'published')))
    .orderBy(desc(wishlistItems.createdAt))
    .limit(200);
  return ok({ listings: rows.map(toCard) });
});
