import { and, type Column, eq, exists, type SQL, sql } from 'drizzle-orm';
import { nightsBetween } from '#lib/bookings/dates';
import { type Price, priceStay } from '#lib/bookings/pricing';
import { db, schema } from '#lib/db/index';
import { notFound, validationFailed } from '#lib/http/errors';
import { config } from '#lib/platform/config';

const { listingHolds, listings } = schema;

export interface Stay {
  checkIn: string;
  checkOut: string;
  guests: number;
}

/** Whether any hold (an active booking or a block) takes one of these nights of `listingId`. */
export const nightsTaken = (
  listingId: Column | SQL | string,
  checkIn: string,
  checkOut: string,
): SQL =>
  exists(
    db()
      .select({ one: sql`1` })
      .from(listingHolds)
      .where(
        and(
          eq(listingHolds.listingId, listingId),
          sql`daterange(${listingHolds.startsOn}, ${listingHolds.endsOn}, '[)') && daterange(${checkIn}::date, ${checkOut}::date, '[)')`,
        ),
      ),
  );

/** What pricing and booking a stay need of a published listing. */
export const bookableColumns = {
  id: listings.id,
  hostId: listings.hostId,
  pricePerNight: listings.pricePerNight,
  currency: listings.currency,
  cleaningFee: listings.cleaningFee,
  maxGuests: listings.maxGuests,
  minNights: listings.minNights,
  maxNights: listings.maxNights,
  instantBook: listings.instantBook,
  cancellationPolicy: listings.cancellationPolicy,
};

/** A published listing, and whether the nights of `stay` are taken now. */
export const publishedListing = (id: string, stay?: Pick<Stay, 'checkIn' | 'checkOut'>) =>
  db()
    .select({
      ...bookableColumns,
      taken: stay
        ? sql<boolean>`${nightsTaken(listings.id, stay.checkIn, stay.checkOut)}`
        : sql<boolean>`false`,
    })
    .from(listings)
    .where(and(eq(listings.id, id), eq(listings.status, 'published')));

type Bookable = Awaited<ReturnType<typeof publishedListing>>[number];

/**
 * The price of a stay at `listing`, once its nights and guests fit the listing's rules
 * (else a 400 naming the field). `where` is where the stay's fields sit in the request.
 */
export function priceFor(
  listing: Bookable | undefined,
  stay: Stay,
  where: 'query' | 'body',
): Price & { listing: Bookable } {
  if (!listing) throw notFound('listing');
  const nights = nightsBetween(stay.checkIn, stay.checkOut);
  if (nights < listing.minNights || nights > listing.maxNights) {
    throw validationFailed([
      {
        path: `${where}.checkOut`,
        message: `this listing books ${listing.minNights} to ${listing.maxNights} nights; these dates are ${nights}`,
      },
    ]);
  }
  if (stay.guests > listing.maxGuests) {
    throw validationFailed([
      {
        path: `${where}.guests`,
        message: `this listing hosts at most ${listing.maxGuests} guests`,
      },
    ]);
  }
  const price = priceStay({
    nights,
    nightlyPrice: listing.pricePerNight,
    cleaningFee: listing.cleaningFee,
    serviceFeeBps: config.SERVICE_FEE_BPS,
    hostFeeBps: config.HOST_FEE_BPS,
  });
  return { ...price, listing };
}
