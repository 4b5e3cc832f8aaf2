import * as z from 'zod';
import { cancellationPolicy, listingStatus } from '#lib/db/schema/listings';
import { contract, instant, signedIn } from '#lib/http/contract';
import { pageQuery } from '#lib/http/paging';
import { presignedUpload } from '#lib/platform/storage/contracts';
import { IMAGE_TYPES, MAX_UPLOAD_BYTES } from '#lib/platform/storage/types';

export const listingId = z.object({ id: z.uuid() });

/** The fields a host writes; all of them on create, any of them on update. */
export const listingFields = {
  title: z.string().trim().min(1).max(120),
  description: z.string().trim().max(5000),
  city: z.string().trim().min(1).max(80),
  address: z.string().trim().max(300),
  /** Minor units of `currency` (kobo for NGN). */
  pricePerNight: z.number().int().min(0).max(1_000_000_000),
  currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code like NGN'),
  maxGuests: z.number().int().min(1).max(100),
  amenities: z.array(z.string().trim().min(1).max(40)).max(50),
  instantBook: z.boolean(),
  cancellationPolicy: z.enum(cancellationPolicy.enumValues),
  /** Minor units of `currency`, once per stay. */
  cleaningFee: z.number().int().min(0).max(1_000_000_000),
  minNights: z.number().int().min(1).max(365),
  maxNights: z.number().int().min(1).max(365),
};

/** What a guest sees of how a listing books: in the host's view and the public detail. */
export const bookingSettings = {
  instantBook: z.boolean(),
  cancellationPolicy: z.enum(cancellationPolicy.enumValues),
  cleaningFee: z.number().int(),
  minNights: z.number().int(),
  maxNights: z.number().int(),
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
  pricePerNight: z.number().int(),
  currency: z.string(),
  maxGuests: z.number().int(),
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
  photos: z.array(z.strictObject({ id: z.uuid(), url: z.url(), position: z.number().int() })),
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
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
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
      description: listingFields.description.default(''),
      address: listingFields.address.default(''),
      currency: listingFields.currency.default('NGN'),
      amenities: listingFields.amenities.default([]),
      instantBook: listingFields.instantBook.default(false),
      cancellationPolicy: listingFields.cancellationPolicy.default('moderate'),
      cleaningFee: listingFields.cleaningFee.default(0),
      minNights: listingFields.minNights.default(1),
      maxNights: listingFields.maxNights.default(30),
    })
    .refine((b) => !nightsOutOfOrder(b), {
      message: 'minNights is above maxNights',
      path: ['minNights'],
    }),
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
    .strictObject(listingFields)
    .partial()
    .refine((b) => Object.keys(b).length > 0, { message: 'nothing to change' }),
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
    sizeBytes: z.number().int().min(1).max(MAX_UPLOAD_BYTES),
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
  body: z.strictObject({ key: z.string().min(1).max(300) }),
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
