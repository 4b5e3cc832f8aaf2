import { createBlock } from '#lib/bookings/contracts';
import { pgCode } from '#lib/db/errors';
import { db, onlyRow, schema } from '#lib/db/index';
import { conflict } from '#lib/http/errors';
import { created } from '#lib/http/reply';
import { route } from '#lib/http/route';
import { ownListing } from '#lib/listings/listings';

const { listingHolds } = schema;

/** A block is a hold like a booking's: the same exclusion constraint keeps them apart. */
export const handler = route(createBlock, async ({ params, body, principal }) => {
  const listing = await ownListing(principal.id, params.id);
  try {
    const row = onlyRow(
      await db()
        .insert(listingHolds)
        .values({
          listingId: listing.id,
          kind: 'block',
          startsOn: body.from,
          endsOn: body.to,
          note: body.note ?? null,
        })
        .returning(),
    );
    return created({
      id: row.id,
      from: row.startsOn,
      to: row.endsOn,
      note: row.note,
      createdAt: row.createdAt,
    });
  } catch (error) {
    if (pgCode(error) === '23P01') {
      throw conflict('dates_unavailable', 'Those nights are already booked or blocked.');
    }
    throw error;
  }
});
