import { and, eq } from 'drizzle-orm';
import * as z from 'zod';
import { db, schema } from '#lib/db/index';
import { noContent } from '#lib/http/reply';
import { caller, route } from '#lib/http/route';

/** Removes a saved listing; removing one that is not saved is fine too. */
export const handler = route(
  { params: z.object({ listingId: z.uuid() }) },
  async ({ params, principal }) => {
    const user = caller(principal);
    await db()
      .delete(schema.wishlistItems)
      .where(
        and(
          eq(schema.wishlistItems.userId, user.id),
          eq(schema.wishlistItems.listingId, params.listingId),
        ),
      );
    return noContent();
  },
);
