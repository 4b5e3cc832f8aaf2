import * as z from 'zod';
import { lagosToday } from '#lib/bookings/dates';
import { anyone, contract } from '#lib/http/contract';

/** A calendar day, `YYYY-MM-DD`, in Africa/Lagos. */
export const day = z.iso.date();

/** A stay's dates: check-out after check-in, check-in today or later in Lagos. */
export const stayQuery = z
  .strictObject({
    checkIn: day,
    checkOut: day,
    guests: z.coerce.number().int().min(1).max(100).default(1),
  })
  .refine((q) => q.checkOut > q.checkIn, {
    message: 'checkOut must be after checkIn',
    path: ['checkOut'],
  })
  .refine((q) => q.checkIn >= lagosToday(), {
    message: 'checkIn is in the past (dates are in Africa/Lagos)',
    path: ['checkIn'],
  });

/** What a stay costs, computed by the server (clients never send prices); minor units. */
export const quote = z.strictObject({
  listingId: z.uuid(),
  checkIn: day,
  checkOut: day,
  nights: z.number().int(),
  guests: z.number().int(),
  currency: z.string(),
  nightlyPrice: z.number().int(),
  subtotal: z.number().int(),
  cleaningFee: z.number().int(),
  serviceFee: z.number().int(),
  total: z.number().int(),
  hostFee: z.number().int(),
  hostPayout: z.number().int(),
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
