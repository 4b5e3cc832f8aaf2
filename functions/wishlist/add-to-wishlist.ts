import { and, eq } from 'drizzle-orm';
import * as z from 'zod';
import { db, schema } from '#lib/db/index';
import { notFound } from '#lib/http/errors';
import { noContent } from '#lib/http/reply';
import { caller, route } from '#lib/http/route';

/** Saves a published listing; saving it again changes nothing. */
export const handler = route(
  { params: z.object({ listingId: z.uuid() }) },
  async ({ params, principal }) => {
    const user = caller(principal);
    const [listing] = await db()
      .select({ id: schema.listings.id })
      .from(schema.listings)
      .where(
        and(eq(schema.listings.id, params.listingId), eq(schema.listings.status, 'published')),
      );
    if (!listing) throw notFound('listing');
    await db()
      .insert(schema.wishlistItems)
      .values({ userId: user.id, listingId: listing.id })
      .onConflictDoNothing();
    return noContent();
  },
);
