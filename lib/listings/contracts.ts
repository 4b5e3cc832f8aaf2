import * as z from 'zod/mini';
import { cancellationPolicy, listingStatus } from '#lib/db/schema/listings';
import { contract, instant, signedIn } from '#lib/http/contract';
import { pageQuery } from '#lib/http/paging';
import { presignedUpload } from '#lib/platform/storage/contracts';
import { IMAGE_TYPES, MAX_UPLOAD_BYTES } from '#lib/platform/storage/types';

export const listingId = z.object({ id: z.uuid() });

/** The fields a host writes; all of them on create, any of them on update. */
export const listingFields = {
  title: z.string().check(z.trim(), z.minLength(1), z.maxLength(120)),
  description: z.string().check(z.trim(), z.maxLength(5000)),
  city: z.string().check(z.trim(), z.minLength(1), z.maxLength(80)),
  address: z.string().check(z.trim(), z.maxLength(300)),
  /** Minor units of `currency` (kobo for NGN). */
  pricePerNight: z.number().check(z.int(), z.minimum(0), z.maximum(1_000_000_000)),
  currency: z.string().check(z.regex(/^[A-Z]{3}$/, 'an ISO 4217 code like NGN')),
  maxGuests: z.number().check(z.int(), z.minimum(1), z.maximum(100)),
  amenities: z
    .array(z.string().check(z.trim(), z.minLength(1), z.maxLength(40)))
    .check(z.maxLength(50)),
  instantBook: z.boolean(),
  cancellationPolicy: z.enum(cancellationPolicy.enumValues),
  /** Minor units of `currency`, once per stay. */
  cleaningFee: z.number().check(z.int(), z.minimum(0), z.maximum(1_000_000_000)),
  minNights: z.number().check(z.int(), z.minimum(1), z.maximum(365)),
  maxNights: z.number().check(z.int(), z.minimum(1), z.maximum(365)),
};

/** What a guest sees of how a listing books: in the host's view and the public detail. */
export const bookingSettings = {
  instantBook: z.boolean(),
  cancellationPolicy: z.enum(cancellationPolicy.enumValues),
  cleaningFee: z.number().check(z.int()),
  minNights: z.number().check(z.int()),
  maxNights: z.number().check(z.int()),
};

/** minNights above maxNights, as the body and the listing's current values give them. */
export const nightsOutOfOrder = (n: { minNights?: number; maxNights?: number }) =>
  n.minNights !== undefined && n.maxNights !== undefined && n.minNights > n.maxNights;

const status = z.enum(listingStatus.enumValues);

/** What every view of a listing shows: the host's, a card and the public detail. */
export const listingBasics = {
  id: z.uuid(),
  title: z.string(),
  city: z.string(),
  /** Minor units of `currency` (kobo for NGN). */
  pricePerNight: z.number().check(z.int()),
  currency: z.string(),
  maxGuests: z.number().check(z.int()),
};

/** A listing as its host sees it: every field, the address too, and its photos. */
const hostListing = z.strictObject({
  ...listingBasics,
  hostId: z.uuid(),
  status,
  description: z.string(),
  address: z.string(),
  amenities: z.array(z.string()),
  ...bookingSettings,
  publishedAt: z.nullable(instant),
  createdAt: instant,
  updatedAt: instant,
  photos: z.array(
    z.strictObject({ id: z.uuid(), url: z.url(), position: z.number().check(z.int()) }),
  ),
});

const hostListingPage = z.strictObject({
  listings: z.array(
    z.strictObject({
      ...listingBasics,
      status,
      publishedAt: z.nullable(instant),
      createdAt: instant,
    }),
  ),
  total: z.number().check(z.int()),
  limit: z.number().check(z.int()),
  offset: z.number().check(z.int()),
  hasMore: z.boolean(),
});

const host = signedIn('host');

export const listHostListings = contract({
  method: 'GET',
  path: '/listings',
  fn: 'listings/list-host-listings',
  auth: host,
  description: "The host's own listings",
  query: z.strictObject(pageQuery),
  responses: { 200: hostListingPage },
});

export const createListing = contract({
  method: 'POST',
  path: '/listings',
  fn: 'listings/create-listing',
  auth: host,
  description: 'Create a draft listing',
  body: z
    .strictObject({
      ...listingFields,
      description: z._default(listingFields.description, ''),
      address: z._default(listingFields.address, ''),
      currency: z._default(listingFields.currency, 'NGN'),
      amenities: z._default(listingFields.amenities, []),
      instantBook: z._default(listingFields.instantBook, false),
      cancellationPolicy: z._default(listingFields.cancellationPolicy, 'moderate'),
      cleaningFee: z._default(listingFields.cleaningFee, 0),
      minNights: z._default(listingFields.minNights, 1),
      maxNights: z._default(listingFields.maxNights, 30),
    })
    .check(
      z.refine((b) => !nightsOutOfOrder(b), {
        message: 'minNights is above maxNights',
        path: ['minNights'],
      }),
    ),
  responses: { 201: hostListing },
});

export const getHostListing = contract({
  method: 'GET',
  path: '/listings/{id}',
  fn: 'listings/get-host-listing',
  auth: host,
  description: "One of the host's listings",
  params: listingId,
  responses: { 200: hostListing },
});

export const updateListing = contract({
  method: 'PATCH',
  path: '/listings/{id}',
  fn: 'listings/update-listing',
  auth: host,
  description: 'Change a listing',
  params: listingId,
  // Only these fields; status, host or anything else in the body is a 400.
  body: z
    .partial(z.strictObject(listingFields))
    .check(z.refine((b) => Object.keys(b).length > 0, { message: 'nothing to change' })),
  responses: { 200: hostListing },
});

export const deleteListing = contract({
  method: 'DELETE',
  path: '/listings/{id}',
  fn: 'listings/delete-listing',
  auth: host,
  description: 'Delete a listing',
  params: listingId,
  responses: { 204: null },
});

export const publishListing = contract({
  method: 'POST',
  path: '/listings/{id}/publish',
  fn: 'listings/publish-listing',
  auth: host,
  description: 'Publish a listing',
  params: listingId,
  responses: { 200: hostListing },
});

export const draftListing = contract({
  method: 'POST',
  path: '/listings/{id}/draft',
  fn: 'listings/draft-listing',
  auth: host,
  description: 'Back to draft',
  params: listingId,
  responses: { 200: hostListing },
});

export const createPhotoUpload = contract({
  method: 'POST',
  path: '/listings/{id}/photos/upload-url',
  fn: 'listings/create-photo-upload',
  uses: ['public-bucket'],
  auth: host,
  description: 'Presigned photo upload',
  params: listingId,
  body: z.strictObject({
    contentType: z.enum(Object.keys(IMAGE_TYPES) as [keyof typeof IMAGE_TYPES]),
    sizeBytes: z.number().check(z.int(), z.minimum(1), z.maximum(MAX_UPLOAD_BYTES)),
  }),
  responses: { 201: presignedUpload },
});

export const addPhoto = contract({
  method: 'POST',
  path: '/listings/{id}/photos',
  fn: 'listings/add-photo',
  uses: ['public-bucket'],
  auth: host,
  description: 'Attach an uploaded photo',
  params: listingId,
  body: z.strictObject({ key: z.string().check(z.minLength(1), z.maxLength(300)) }),
  responses: { 201: z.strictObject({ id: z.uuid(), url: z.url() }) },
});

export const deletePhoto = contract({
  method: 'DELETE',
  path: '/listings/{id}/photos/{photoId}',
  fn: 'listings/delete-photo',
  uses: ['public-bucket'],
  auth: host,
  description: 'Remove a photo',
  params: z.object({ id: z.uuid(), photoId: z.uuid() }),
  responses: { 204: null },
});

const suspension = z.strictObject({ id: z.uuid(), status });

export const suspendListing = contract({
  method: 'POST',
  path: '/admin/listings/{id}/suspend',
  fn: 'admin/suspend-listing',
  auth: signedIn('admin'),
  description: 'Suspend a listing',
  params: listingId,
  responses: { 200: suspension },
});

export const unsuspendListing = contract({
  method: 'POST',
  path: '/admin/listings/{id}/unsuspend',
  fn: 'admin/unsuspend-listing',
  auth: signedIn('admin'),
  description: 'Lift a suspension',
  params: listingId,
  responses: { 200: suspension },
});
