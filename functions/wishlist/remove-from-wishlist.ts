import { and, eq } from 'drizzle-orm';
import { db, schema } from '#lib/db/index';
import { noContent } from '#lib/http/reply';
import { route } from '#lib/http/route';
import { removeFromWishlist } from '#lib/wishlist/contracts';

/** Removes a saved listing; removing one that is not saved is fine too. */
export const handler = route(removeFromWishlist, async ({ params, principal: user }) => {
  await db()
    .delete(schema.wishlistItems)
    .where(
      and(
        eq(schema.wishlistItems.userId, user.id),
        eq(schema.wishlistItems.listingId, params.listingId),
      ),
    );
  return noContent();
});
