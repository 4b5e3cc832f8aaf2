import { getListingQuote } from '#lib/bookings/contracts';
import { priceFor, publishedListing } from '#lib/bookings/stay';
import { ok } from '#lib/http/reply';
import { route } from '#lib/http/route';

/**
 * The price of a stay at a published listing, from its own nightly price and cleaning fee
 * and the marketplace's fees, with whether the nights are free now. Nothing is held: the
 * booking itself is decided by the database's exclusion constraint.
 */
export const handler = route(getListingQuote, async ({ params, query }) => {
  const [listing] = await publishedListing(params.id, query);
  const { listing: priced, ...price } = priceFor(listing, query, 'query');
  return ok({
    listingId: params.id,
    checkIn: query.checkIn,
    checkOut: query.checkOut,
    guests: query.guests,
    currency: priced.currency,
    ...price,
    available: !priced.taken,
  });
});
