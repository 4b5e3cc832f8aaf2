import type * as z from 'zod';
import { requestOtp, verifyOtp } from '#lib/auth/contracts';
import { createBooking, getListingQuote, verifyBookingPayment } from '#lib/bookings/contracts';
import { getPublicListing, listPublicListings } from '#lib/catalogue/contracts';
import { postMessage } from '#lib/chat/contracts';
import type { Contract, errorBody } from '#lib/http/contract';
import { routeKey } from '#lib/routes';

/**
 * Examples for the OpenAPI document: real-looking requests and answers of the main routes
 * (taken from a local run, ids and all), typed by their contracts' schemas and parsed with
 * them by tests/openapi.test.ts, so they cannot drift. They live here, not in the
 * contracts, so no function bundle carries them. Money is integer kobo with its currency;
 * days are Africa/Lagos dates, in the future of `EXAMPLES_AS_OF`.
 */

/** The instant the examples were taken at: their stays are after it (the test's clock). */
export const EXAMPLES_AS_OF = '2026-12-01T09:30:00.000Z';

/** An OpenAPI Example Object. */
export interface Example<T = unknown> {
  summary: string;
  value: T;
}
type Named<T> = Readonly<Record<string, Example<T>>>;
type WireOf<S> = S extends z.core.$ZodType ? z.input<S> : never;

/** A route's examples: path and query parameters, the body, the answers by status. */
export interface RouteExamples<C extends Contract = Contract> {
  params?: Readonly<Record<string, string>>;
  /** Of the type the parameter's schema gives (a URL carries them as text). */
  query?: Readonly<Record<string, string | number>>;
  body?: Named<WireOf<C['body']>>;
  responses?: { readonly [S in keyof C['responses'] & number]?: Named<WireOf<C['responses'][S]>> };
}

const forRoute = <C extends Contract>(
  contract: C,
  examples: RouteExamples<C>,
): [string, RouteExamples] => [routeKey(contract), examples as RouteExamples];

const guest = { id: 'b442a809-04a3-43b3-8993-fff7230018f1', email: 'amaka@example.com' };
const host = { id: '2d411c18-3ce9-44a7-8f36-a560a559ff5a', name: 'Tunde Bakare' };
const listingId = '8a31bcde-edb9-486e-aede-a21d45a406eb';
const photoUrl = `https://cdn.example.com/listings/${listingId}/ec38e938-aaed-4414-a6a9-6a7ab306b0a0.jpg`;
const bookingId = '0aad3ec0-5a4a-46c7-bd9d-243dcde2e865';
const conversationId = '42857a36-4693-4f58-b4b2-2e4f0048d2aa';
const stay = { checkIn: '2026-12-18', checkOut: '2026-12-21' };

const lekkiFlat = {
  id: listingId,
  title: 'Bright 2-bedroom flat in Lekki Phase 1',
  city: 'Lagos',
  pricePerNight: 4_500_000,
  currency: 'NGN',
  maxGuests: 4,
};
const lekkiCard = {
  ...lekkiFlat,
  publishedAt: '2026-11-20T14:05:31.402Z',
  coverPhotoUrl: photoUrl,
  photoUrls: [photoUrl],
  rating: 4.8,
  reviewCount: 12,
  host,
};

/** ₦45,000 a night for 3 nights, ₦10,000 cleaning; the guest pays 10% on top, the host 3%. */
const lekkiQuote = {
  listingId,
  ...stay,
  nights: 3,
  guests: 2,
  currency: 'NGN',
  nightlyPrice: 4_500_000,
  subtotal: 13_500_000,
  cleaningFee: 1_000_000,
  serviceFee: 1_350_000,
  total: 15_850_000,
  hostFee: 405_000,
  hostPayout: 14_095_000,
  available: true,
};

const accessCode = 'grdw1wa8hbbf8n0';
const newBooking = {
  id: bookingId,
  status: 'pending_payment' as const,
  ...lekkiQuote,
  instantBook: false,
  cancellationPolicy: 'moderate' as const,
  message: 'Arriving around 6pm on Friday.',
  expiresAt: '2026-12-01T09:46:05.219Z',
  confirmedAt: null,
  statusReason: null,
  createdAt: '2026-12-01T09:31:05.219Z',
  listing: { id: listingId, title: lekkiFlat.title, city: 'Lagos', address: null },
  host: { name: host.name, phone: null, email: null },
  payment: {
    provider: 'paystack' as const,
    reference: `bk-${bookingId}`,
    status: 'pending',
    authorizationUrl: `https://checkout.paystack.com/${accessCode}`,
    accessCode,
  },
  refund: null,
  cancelledBy: null,
  cancelledAt: null,
};

export const routeExamples: ReadonlyMap<string, RouteExamples> = new Map([
  forRoute(requestOtp, {
    body: {
      phone: { summary: 'A guest, by SMS', value: { phone: '+2348031234567', role: 'user' } },
      email: { summary: 'A host, by email', value: { email: 'tunde@example.com', role: 'host' } },
    },
    responses: {
      202: { sent: { summary: 'A code is on its way', value: { expiresInSeconds: 300 } } },
    },
  }),
  forRoute(verifyOtp, {
    body: {
      phone: {
        summary: 'The code from the SMS',
        value: { phone: '+2348031234567', role: 'user', code: '482913' },
      },
    },
    responses: {
      200: {
        signedIn: {
          summary: 'Tokens: access for 15 minutes, refresh to rotate',
          value: {
            accessToken:
              'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6IjIwMjYtMTEifQ.eyJyb2xlIjoidXNlciIsInNpZCI6IjViMGU2YTRlLTJmM2MtNGQ4ZS05YTYxLTBjN2QyZTRmOWIxMyIsInN1YiI6ImI0NDJhODA5LTA0YTMtNDNiMy04OTkzLWZmZjcyMzAwMThmMSIsImlzcyI6Im1hcmtldHBsYWNlIiwiYXVkIjoibWFya2V0cGxhY2UtYXBpIiwiaWF0IjoxNzk2MTE3NDEyLCJleHAiOjE3OTYxMTgzMTIsImp0aSI6ImNiYjUzOGFkLTM4ZjItNGRmZC05NjVjLTUwN2E0NjA5ZjMyYSJ9.ANQpiHMqkQUDxm3G4SBulcEjVvP8Mc8lOm5XL6TAuzk',
            refreshToken: 'UCL4RqUm9grWQDWAPsgLtdLGoL9_TGt3vIpJiLs1vPw',
            expiresInSeconds: 900,
            principal: { id: guest.id, role: 'user' },
          },
        },
      },
    },
  }),
  forRoute(listPublicListings, {
    query: { city: 'Lagos', guests: 2, limit: 2 },
    responses: {
      200: {
        page: {
          summary: 'The first page of stays in Lagos for two',
          value: {
            listings: [
              lekkiCard,
              {
                id: 'c5e1f0a2-7b3d-4e8f-a1c6-9d2b4e7f0a35',
                title: 'Quiet studio in Yaba near UNILAG',
                city: 'Lagos',
                pricePerNight: 2_200_000,
                currency: 'NGN',
                maxGuests: 2,
                publishedAt: '2026-11-14T11:42:08.913Z',
                coverPhotoUrl:
                  'https://cdn.example.com/listings/c5e1f0a2-7b3d-4e8f-a1c6-9d2b4e7f0a35/576795c5-0b0f-47e2-b943-22ce7b647856.jpg',
                photoUrls: [
                  'https://cdn.example.com/listings/c5e1f0a2-7b3d-4e8f-a1c6-9d2b4e7f0a35/576795c5-0b0f-47e2-b943-22ce7b647856.jpg',
                  'https://cdn.example.com/listings/c5e1f0a2-7b3d-4e8f-a1c6-9d2b4e7f0a35/9924b115-85d4-4b56-95dd-74d52292f05b.jpg',
                ],
                rating: null,
                reviewCount: 0,
                host: { id: '07eb3d8b-0f41-4b45-a549-2e20e163b3da', name: 'Ngozi Okafor' },
              },
            ],
            total: 37,
            limit: 2,
            offset: 0,
            hasMore: true,
            nextCursor:
              'MjAyNi0xMS0xNFQxMTo0MjowOC45MTNafGM1ZTFmMGEyLTdiM2QtNGU4Zi1hMWM2LTlkMmI0ZTdmMGEzNQ',
          },
        },
      },
    },
  }),
  forRoute(getPublicListing, {
    params: { id: listingId },
    responses: {
      200: {
        listing: {
          summary: 'A published flat, as guests see it (no address before a booking)',
          value: {
            ...lekkiFlat,
            description: 'Ten minutes from the beach, with 24-hour power and a rooftop terrace.',
            amenities: ['wifi', 'air conditioning', 'generator', 'parking'],
            instantBook: false,
            cancellationPolicy: 'moderate',
            cleaningFee: 1_000_000,
            minNights: 1,
            maxNights: 30,
            publishedAt: lekkiCard.publishedAt,
            coverPhotoUrl: photoUrl,
            photos: [{ url: photoUrl }],
            rating: 4.8,
            reviewCount: 12,
            host: { ...host, avatarUrl: null, since: '2026-11-18T08:12:44.120Z' },
          },
        },
      },
    },
  }),
  forRoute(getListingQuote, {
    params: { id: listingId },
    query: { ...stay, guests: 2 },
    responses: {
      200: { quote: { summary: 'Three nights for two, free', value: lekkiQuote } },
    },
  }),
  forRoute(createBooking, {
    body: {
      request: {
        summary: 'Three nights for two, with a note to the host',
        value: { listingId, ...stay, guests: 2, message: newBooking.message },
      },
    },
    responses: {
      201: {
        held: {
          summary: 'Dates held for 15 minutes; pay at Paystack with authorizationUrl',
          value: newBooking,
        },
      },
    },
  }),
  forRoute(verifyBookingPayment, {
    params: { id: bookingId },
    responses: {
      200: {
        paid: {
          summary: 'Paid: the request waits for the host (24 hours)',
          value: {
            ...newBooking,
            status: 'requested',
            expiresAt: '2026-12-02T09:33:41.507Z',
            payment: { ...newBooking.payment, status: 'succeeded' },
          },
        },
      },
    },
  }),
  forRoute(postMessage, {
    params: { id: conversationId },
    body: {
      message: {
        summary: 'A message, with the app’s own id for a safe retry',
        value: {
          body: 'Is there parking for two cars?',
          clientId: '3879cdfe-26c9-4213-895a-9eccd52c1842',
        },
      },
    },
    responses: {
      201: {
        stored: {
          summary: 'Stored, and sent to the other side’s open chats',
          value: {
            message: {
              id: '9d583b51-a4e8-4b72-9db5-2fb802dae8ba',
              conversationId,
              senderRole: 'user',
              senderId: guest.id,
              body: 'Is there parking for two cars?',
              clientId: '3879cdfe-26c9-4213-895a-9eccd52c1842',
              createdAt: '2026-12-01T09:34:12.086Z',
            },
          },
        },
      },
    },
  }),
]);

/** The error envelope, as the API answers 400, 401, 404, 409 and 429. */
export const errorExamples: Named<z.input<typeof errorBody>> = {
  validation: {
    summary: '400: the fields that failed, by where they were (body, query, params)',
    value: {
      error: {
        code: 'validation_failed',
        message: 'The request is not valid.',
        details: [
          { path: 'body.checkOut', message: 'checkOut must be after checkIn' },
          { path: 'body.guests', message: 'Too big: expected number to be <=100' },
        ],
      },
    },
  },
  unauthorized: {
    summary: '401: no token, or an expired one (refresh it)',
    value: {
      error: {
        code: 'unauthorized',
        message: 'The access token is invalid, expired or revoked.',
      },
    },
  },
  notFound: {
    summary: '404',
    value: { error: { code: 'not_found', message: 'The listing does not exist.' } },
  },
  conflict: {
    summary: '409: someone booked those nights first',
    value: {
      error: {
        code: 'dates_unavailable',
        message: 'Those dates are no longer free at this listing.',
      },
    },
  },
  rateLimited: {
    summary: '429, with Retry-After',
    value: { error: { code: 'rate_limited', message: 'Too many requests; try again later.' } },
  },
};
