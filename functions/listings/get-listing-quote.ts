import { and, eq, inArray, sql } from 'drizzle-orm';
import { getListingQuote } from '#lib/bookings/contracts';
import { nightsBetween } from '#lib/bookings/dates';
import { priceStay } from '#lib/bookings/pricing';
import { db, schema } from '#lib/db/index';
import { notFound, validationFailed } from '#lib/http/errors';
import { ok } from '#lib/http/reply';
import { route } from '#lib/http/route';
import { config } from '#lib/platform/config';

const { bookings, listings } = schema;

/**
 * The price of a stay at a published listing, from its own nightly price and cleaning fee
 * and the marketplace's fees, with whether the nights are free now. Nothing is held: the
 * booking itself is decided by the database's exclusion constraint.
 */
export const handler = route(getListingQuote, async ({ params, query }) => {
  const [[listing], overlapping] = await db().batch([
    db()
      .select({
        pricePerNight: listings.pricePerNight,
        currency: listings.currency,
        cleaningFee: listings.cleaningFee,
        maxGuests: listings.maxGuests,
        minNights: listings.minNights,
        maxNights: listings.maxNights,
      })
      .from(listings)
      .where(and(eq(listings.id, params.id), eq(listings.status, 'published'))),
    db()
      .select({ id: bookings.id })
      .from(bookings)
      .where(
        and(
          eq(bookings.listingId, params.id),
          inArray(bookings.status, ['pending', 'confirmed']),
          sql`daterange(${bookings.checkIn}, ${bookings.checkOut}, '[)') && daterange(${query.checkIn}::date, ${query.checkOut}::date, '[)')`,
        ),
      )
      .limit(1),
  ]);
  if (!listing) throw notFound('listing');
  const nights = nightsBetween(query.checkIn, query.checkOut);
  if (nights < listing.minNights || nights > listing.maxNights) {
    throw validationFailed([
      {
        path: 'query.checkOut',
        message: `this listing books ${listing.minNights} to ${listing.maxNights} nights; these dates are ${nights}`,
      },
    ]);
  }
  if (query.guests > listing.maxGuests) {
    throw validationFailed([
      { path: 'query.guests', message: `this listing hosts at most ${listing.maxGuests} guests` },
    ]);
  }
  const price = priceStay({
    nights,
    nightlyPrice: listing.pricePerNight,
    cleaningFee: listing.cleaningFee,
    serviceFeeBps: config.SERVICE_FEE_BPS,
    hostFeeBps: config.HOST_FEE_BPS,
  });
  return ok({
    listingId: params.id,
    checkIn: query.checkIn,
    checkOut: query.checkOut,
    guests: query.guests,
    currency: listing.currency,
    ...price,
    available: overlapping.length === 0,
  });
});
