import { aliasedTable, and, eq, type SQL } from 'drizzle-orm';
import type * as z from 'zod/mini';
import { type bookingView, holdingStatuses } from '#lib/bookings/contracts';
import { nightsBetween } from '#lib/bookings/dates';
import { db, schema } from '#lib/db/index';
import type { Wire } from '#lib/http/route';

const { bookings, hosts, listings, payments, refunds, users } = schema;

/** Once the stay is agreed, each side may see the other's contact and the street address. */
const agreed = (status: string) => status === 'confirmed' || status === 'completed';

export type BookingView = Wire<z.input<typeof bookingView>>;

const guestUser = aliasedTable(users, 'guest');

const detailColumns = {
  booking: bookings,
  listing: {
    id: listings.id,
    title: listings.title,
    city: listings.city,
    address: listings.address,
  },
  host: { name: hosts.name, phone: hosts.phone, email: hosts.email },
  guest: { name: guestUser.name, phone: guestUser.phone, email: guestUser.email },
  payment: {
    reference: payments.providerReference,
    status: payments.status,
    authorizationUrl: payments.authorizationUrl,
    accessCode: payments.accessCode,
  },
  refund: { amount: refunds.amount, status: refunds.status },
};

function detailQuery(where: SQL | undefined) {
  return db()
    .select(detailColumns)
    .from(bookings)
    .innerJoin(listings, eq(listings.id, bookings.listingId))
    .innerJoin(hosts, eq(hosts.id, bookings.hostId))
    .innerJoin(guestUser, eq(guestUser.id, bookings.guestId))
    .leftJoin(payments, eq(payments.bookingId, bookings.id))
    .leftJoin(refunds, eq(refunds.bookingId, bookings.id))
    .where(where)
    .limit(1);
}

type Detail = Awaited<ReturnType<typeof detailQuery>>[number];

function toView(row: Detail, side: 'guest' | 'host' | 'admin'): BookingView {
  const b = row.booking;
  const open = agreed(b.status);
  // Support sees both sides' contact whatever the state.
  const contact = (p: { name: string | null; phone: string | null; email: string | null }) => ({
    name: p.name,
    phone: open || side === 'admin' ? p.phone : null,
    email: open || side === 'admin' ? p.email : null,
  });
  return {
    id: b.id,
    status: b.status,
    listingId: b.listingId,
    checkIn: b.checkIn,
    checkOut: b.checkOut,
    nights: nightsBetween(b.checkIn, b.checkOut),
    guests: b.guests,
    currency: b.currency,
    nightlyPrice: b.nightlyPrice,
    subtotal: b.subtotal,
    cleaningFee: b.cleaningFee,
    serviceFee: b.serviceFee,
    total: b.totalAmount,
    hostFee: b.hostFee,
    hostPayout: b.hostPayout,
    available: (holdingStatuses as readonly string[]).includes(b.status),
    instantBook: b.instantBook,
    cancellationPolicy: b.cancellationPolicy,
    message: b.message,
    expiresAt: b.expiresAt,
    confirmedAt: b.confirmedAt,
    statusReason: b.statusReason,
    createdAt: b.createdAt,
    listing: { ...row.listing, address: open || side === 'admin' ? row.listing.address : null },
    ...(side !== 'host' ? { host: contact(row.host) } : {}),
    ...(side !== 'guest' ? { guest: contact(row.guest) } : {}),
    payment: row.payment ? { provider: 'paystack', ...row.payment } : null,
    refund: row.refund ?? (b.status === 'cancelled' ? { amount: 0, status: 'none' } : null),
    cancelledBy: b.cancelledBy,
    cancelledAt: b.cancelledAt,
  };
}

/** The guest's own booking, or undefined (someone else's is as absent as a missing one). */
export async function guestBooking(guestId: string, id: string): Promise<BookingView | undefined> {
  const [row] = await detailQuery(and(eq(bookings.id, id), eq(bookings.guestId, guestId)));
  return row && toView(row, 'guest');
}

/** A booking of one of the host's listings, or undefined. */
export async function hostBooking(hostId: string, id: string): Promise<BookingView | undefined> {
  const [row] = await detailQuery(and(eq(bookings.id, id), eq(bookings.hostId, hostId)));
  return row && toView(row, 'host');
}

/** Any booking, as support sees it: both sides and the address. */
export async function adminBooking(id: string): Promise<BookingView | undefined> {
  const [row] = await detailQuery(eq(bookings.id, id));
  return row && toView(row, 'admin');
}
