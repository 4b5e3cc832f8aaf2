import * as z from 'zod/mini';
import { lagosToday } from '#lib/bookings/dates';
import { bookingStatus, cancellationPolicy, cancelledBy, refundStatus } from '#lib/db/schema/index';
import { anyone, contract, instant, paystackWebhook, signedIn } from '#lib/http/contract';

/** `n` calendar months after a day (a 31st past a shorter month runs into the next). */
export function addMonths(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1 + n, d)).toISOString().slice(0, 10);
}

/** A calendar day, `YYYY-MM-DD`, in Africa/Lagos. */
export const day = z.iso.date();

/** A stay's dates: check-out after check-in, check-in today or later in Lagos. */
const stayDates = <S extends z.ZodMiniType<{ checkIn: string; checkOut: string }>>(schema: S) =>
  schema.check(
    z.refine((q) => q.checkOut > q.checkIn, {
      message: 'checkOut must be after checkIn',
      path: ['checkOut'],
    }),
    z.refine((q) => q.checkIn >= lagosToday(), {
      message: 'checkIn is in the past (dates are in Africa/Lagos)',
      path: ['checkIn'],
    }),
  );

export const stayQuery = stayDates(
  z.strictObject({
    checkIn: day,
    checkOut: day,
    guests: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 1),
  }),
);

/** What a stay costs, computed by the server (clients never send prices); minor units. */
export const quote = z.strictObject({
  listingId: z.uuid(),
  checkIn: day,
  checkOut: day,
  nights: z.number().check(z.int()),
  guests: z.number().check(z.int()),
  currency: z.string(),
  nightlyPrice: z.number().check(z.int()),
  subtotal: z.number().check(z.int()),
  cleaningFee: z.number().check(z.int()),
  serviceFee: z.number().check(z.int()),
  total: z.number().check(z.int()),
  hostFee: z.number().check(z.int()),
  hostPayout: z.number().check(z.int()),
  /** Whether no active booking holds any of these nights now; booking decides for sure. */
  available: z.boolean(),
});

export const getListingQuote = contract({
  method: 'GET',
  path: '/listings/public/{id}/quote',
  fn: 'listings/get-listing-quote',
  auth: anyone,
  description: 'The price of a stay, and whether its dates are free',
  params: z.object({ id: z.uuid() }),
  query: stayQuery,
  responses: { 200: quote },
});

/** Statuses that hold the booking's nights (the hold trigger of migration 0016 agrees). */
export const holdingStatuses = ['pending_payment', 'requested', 'confirmed', 'completed'] as const;

const status = z.enum(bookingStatus.enumValues);
const byId = z.object({ id: z.uuid() });

const person = z.strictObject({
  name: z.nullable(z.string()),
  /** Only once the booking is confirmed. */
  phone: z.nullable(z.string()),
  email: z.nullable(z.string()),
});

/** One booking, as its guest or its host sees it; money in minor units of `currency`. */
export const bookingView = z.strictObject({
  id: z.uuid(),
  status: z.enum(bookingStatus.enumValues),
  ...quote.shape,
  /** Whether this booking holds its nights now. */
  available: z.boolean(),
  instantBook: z.boolean(),
  cancellationPolicy: z.enum(cancellationPolicy.enumValues),
  message: z.nullable(z.string()),
  /** When the current state times out: the end of the payment window, or the host's deadline. */
  expiresAt: z.nullable(instant),
  confirmedAt: z.nullable(instant),
  statusReason: z.nullable(z.string()),
  createdAt: instant,
  listing: z.strictObject({
    id: z.uuid(),
    title: z.string(),
    city: z.string(),
    /** Only once the booking is confirmed. */
    address: z.nullable(z.string()),
  }),
  /** The other side: the host for the guest, the guest for the host. */
  host: z.optional(person),
  guest: z.optional(person),
  payment: z.nullable(
    z.strictObject({
      provider: z.literal('paystack'),
      reference: z.string(),
      status: z.string(),
      authorizationUrl: z.nullable(z.url()),
      accessCode: z.nullable(z.string()),
    }),
  ),
  /** Once there is one: what goes back to the guest. `none` when a cancellation owed nothing. */
  refund: z.nullable(
    z.strictObject({
      amount: z.number().check(z.int()),
      status: z.enum([...refundStatus.enumValues, 'none']),
    }),
  ),
  cancelledBy: z.nullable(z.enum(cancelledBy.enumValues)),
  cancelledAt: z.nullable(instant),
});

/** A line of a booking list: what the covering indexes carry, so a page reads only them. */
const bookingLine = z.strictObject({
  id: z.uuid(),
  status,
  listingId: z.uuid(),
  checkIn: day,
  checkOut: day,
  guests: z.number().check(z.int()),
  total: z.number().check(z.int()),
  currency: z.string(),
  createdAt: instant,
});

const bookingPage = z.strictObject({
  bookings: z.array(bookingLine),
  /** Pass as `cursor` for the next page; null on the last. */
  nextCursor: z.nullable(z.string()),
});

/** Keyset paging, newest stay first. */
const pageParams = {
  cursor: z.optional(z.string().check(z.maxLength(200))),
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(50)), 20),
};

export const createBooking = contract({
  method: 'POST',
  path: '/bookings',
  fn: 'bookings/create-booking',
  auth: signedIn('user'),
  idempotencyKey: 'required',
  description:
    'Book a stay: holds the dates while the guest pays at Paystack. Requires an Idempotency-Key header',
  body: stayDates(
    z.strictObject({
      listingId: z.uuid(),
      checkIn: day,
      checkOut: day,
      guests: z._default(z.number().check(z.int(), z.minimum(1), z.maximum(100)), 1),
      /** To the host, with the request. */
      message: z.optional(z.string().check(z.trim(), z.maxLength(1000))),
      /** Where Paystack sends the receipt, when the account has no email. */
      email: z.optional(z.email()),
    }),
  ),
  responses: { 201: bookingView },
});

export const listBookings = contract({
  method: 'GET',
  path: '/bookings',
  fn: 'bookings/list-bookings',
  auth: signedIn('user'),
  description: "The guest's bookings, newest stay first",
  query: z.strictObject({ ...pageParams, status: z.optional(status) }),
  responses: { 200: bookingPage },
});

export const getBooking = contract({
  method: 'GET',
  path: '/bookings/{id}',
  fn: 'bookings/get-booking',
  auth: signedIn('user'),
  description: "One of the guest's bookings",
  params: byId,
  responses: { 200: bookingView },
});

export const verifyBookingPayment = contract({
  method: 'POST',
  path: '/bookings/{id}/payment/verify',
  fn: 'bookings/verify-booking-payment',
  auth: signedIn('user'),
  description: "Back from checkout: asks Paystack about the booking's payment, as the webhook does",
  params: byId,
  responses: { 200: bookingView },
});

export const listHostBookings = contract({
  method: 'GET',
  path: '/host/bookings',
  fn: 'host/list-host-bookings',
  auth: signedIn('host'),
  description: "Bookings of the host's listings, newest stay first",
  query: z.strictObject({
    ...pageParams,
    status: z.optional(status),
    listingId: z.optional(z.uuid()),
  }),
  responses: { 200: bookingPage },
});

export const getHostBooking = contract({
  method: 'GET',
  path: '/host/bookings/{id}',
  fn: 'host/get-host-booking',
  auth: signedIn('host'),
  description: "A booking of one of the host's listings",
  params: byId,
  responses: { 200: bookingView },
});

export const acceptBooking = contract({
  method: 'POST',
  path: '/host/bookings/{id}/accept',
  fn: 'host/accept-booking',
  auth: signedIn('host'),
  description: 'Accept a paid request: the booking is confirmed',
  params: byId,
  responses: { 200: bookingView },
});

export const declineBooking = contract({
  method: 'POST',
  path: '/host/bookings/{id}/decline',
  fn: 'host/decline-booking',
  auth: signedIn('host'),
  description: 'Decline a paid request: the guest is refunded in full',
  params: byId,
  body: z._default(
    z.strictObject({ reason: z.optional(z.string().check(z.trim(), z.maxLength(500))) }),
    {},
  ),
  responses: { 200: bookingView },
});

export const paystackWebhookContract = contract({
  method: 'POST',
  path: '/webhooks/paystack',
  fn: 'webhooks/paystack-webhook',
  auth: paystackWebhook,
  description:
    "Paystack's events: charge.success confirms a paid booking, refund.* move a refund, transfer.* a payout",
  body: z.looseObject({ event: z.string(), data: z.looseObject({}) }),
  responses: { 200: z.strictObject({ received: z.literal(true) }) },
});

/**
 * A span of days for a calendar, `?from&to` (to exclusive), at most 12 months; from today in
 * Lagos and for 12 months when absent.
 */
const dateRange = z
  .pipe(
    z.strictObject({ from: z.optional(day), to: z.optional(day) }),
    z.transform(({ from, to }) => {
      const start = from ?? lagosToday();
      return { from: start, to: to ?? addMonths(start, 12) };
    }),
  )
  .check(
    z.refine((r) => r.to > r.from, { message: 'to must be after from', path: ['to'] }),
    z.refine((r) => r.to <= addMonths(r.from, 12), {
      message: 'at most 12 months after from',
      path: ['to'],
    }),
  );

/** Nights [from, to): `to` is the morning the last night ends, free for the next guest. */
const span = { from: day, to: day };

const block = z.strictObject({
  id: z.uuid(),
  ...span,
  note: z.nullable(z.string()),
  createdAt: instant,
});

const listingParams = z.object({ id: z.uuid() });

export const createBlock = contract({
  method: 'POST',
  path: '/listings/{id}/blocks',
  fn: 'listings/create-block',
  auth: signedIn('host'),
  description: 'Keep nights [from, to) of a listing for the host: no one can book them',
  params: listingParams,
  body: z
    .strictObject({ ...span, note: z.optional(z.string().check(z.trim(), z.maxLength(200))) })
    .check(
      z.refine((b) => b.to > b.from, { message: 'to must be after from', path: ['to'] }),
      z.refine((b) => b.from >= lagosToday(), {
        message: 'from is in the past (dates are in Africa/Lagos)',
        path: ['from'],
      }),
      z.refine((b) => b.to <= addMonths(lagosToday(), 24), {
        message: 'at most 24 months ahead',
        path: ['to'],
      }),
    ),
  responses: { 201: block },
});

export const deleteBlock = contract({
  method: 'DELETE',
  path: '/listings/{id}/blocks/{blockId}',
  fn: 'listings/delete-block',
  auth: signedIn('host'),
  description: 'Give blocked nights back to the calendar',
  params: z.object({ id: z.uuid(), blockId: z.uuid() }),
  responses: { 204: null },
});

export const getCalendar = contract({
  method: 'GET',
  path: '/listings/{id}/calendar',
  fn: 'listings/get-calendar',
  auth: signedIn('host'),
  description: "A listing's bookings and blocks that touch [from, to), for its host",
  params: listingParams,
  query: dateRange,
  responses: {
    200: z.strictObject({
      listingId: z.uuid(),
      ...span,
      bookings: z.array(
        z.strictObject({
          id: z.uuid(),
          status,
          checkIn: day,
          checkOut: day,
          guests: z.number().check(z.int()),
          guestName: z.nullable(z.string()),
        }),
      ),
      blocks: z.array(block),
    }),
  },
});

export const getAvailability = contract({
  method: 'GET',
  path: '/listings/public/{id}/availability',
  fn: 'listings/get-listing-availability',
  auth: anyone,
  description: 'The nights of a published listing that cannot be booked, as merged ranges',
  params: listingParams,
  query: dateRange,
  responses: { 200: z.strictObject({ unavailable: z.array(z.strictObject(span)) }) },
});

export const cancelBooking = contract({
  method: 'POST',
  path: '/bookings/{id}/cancel',
  fn: 'bookings/cancel-booking',
  auth: signedIn('user'),
  description:
    'The guest cancels before check-in; the refund follows the policy kept on the booking',
  params: byId,
  body: z._default(
    z.strictObject({ reason: z.optional(z.string().check(z.trim(), z.maxLength(500))) }),
    {},
  ),
  responses: { 200: bookingView },
});

export const hostCancelBooking = contract({
  method: 'POST',
  path: '/host/bookings/{id}/cancel',
  fn: 'host/cancel-booking',
  auth: signedIn('host'),
  description: 'The host cancels a confirmed stay before check-in: the guest gets everything back',
  params: byId,
  body: z.strictObject({
    reason: z.string().check(z.trim(), z.minLength(1), z.maxLength(500)),
  }),
  responses: { 200: bookingView },
});

export const adminCancelBooking = contract({
  method: 'POST',
  path: '/admin/bookings/{id}/cancel',
  fn: 'admin/cancel-booking',
  auth: signedIn('admin'),
  description: 'Support cancels a stay, before or after check-in, refunding what it decides',
  params: byId,
  body: z.strictObject({
    /** Minor units, at most what the guest paid. */
    refundAmount: z.number().check(z.int(), z.minimum(0), z.maximum(1_000_000_000_000)),
    reason: z.string().check(z.trim(), z.minLength(1), z.maxLength(500)),
  }),
  responses: { 200: bookingView },
});

export const listHostCancellations = contract({
  method: 'GET',
  path: '/admin/host-cancellations',
  fn: 'admin/list-host-cancellations',
  auth: signedIn('admin'),
  description: 'Stays their hosts cancelled, newest first: the record against each host',
  query: z.strictObject({ ...pageParams, hostId: z.optional(z.uuid()) }),
  responses: {
    200: z.strictObject({
      cancellations: z.array(
        z.strictObject({
          bookingId: z.uuid(),
          hostId: z.uuid(),
          listingId: z.uuid(),
          checkIn: day,
          checkOut: day,
          cancelledAt: instant,
          reason: z.nullable(z.string()),
          /** The host's cancellations in all. */
          hostTotal: z.number().check(z.int()),
        }),
      ),
      nextCursor: z.nullable(z.string()),
    }),
  },
});
