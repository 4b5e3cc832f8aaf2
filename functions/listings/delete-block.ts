import { and, eq } from 'drizzle-orm';
import { deleteBlock } from '#lib/bookings/contracts';
import { db, schema } from '#lib/db/index';
import { notFound } from '#lib/http/errors';
import { noContent } from '#lib/http/reply';
import { route } from '#lib/http/route';
import { ownListing } from '#lib/listings/listings';

const { listingHolds } = schema;

export const handler = route(deleteBlock, async ({ params, principal }) => {
  const listing = await ownListing(principal.id, params.id);
  const deleted = await db()
    .delete(listingHolds)
    .where(
      and(
        eq(listingHolds.id, params.blockId),
        eq(listingHolds.listingId, listing.id),
        eq(listingHolds.kind, 'block'),
      ),
    )
    .returning({ id: listingHolds.id });
  if (deleted.length === 0) throw notFound('block');
  return noContent();
});
