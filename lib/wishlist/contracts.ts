import * as z from 'zod/mini';
import { card } from '#lib/catalogue/contracts';
import { contract, signedIn } from '#lib/http/contract';

const listingId = z.object({ listingId: z.uuid() });

export const listWishlist = contract({
  method: 'GET',
  path: '/wishlist',
  fn: 'wishlist/list-wishlist',
  auth: signedIn('user'),
  description: 'Saved listings',
  responses: { 200: z.strictObject({ listings: z.array(card) }) },
});

export const addToWishlist = contract({
  method: 'PUT',
  path: '/wishlist/{listingId}',
  fn: 'wishlist/add-to-wishlist',
  auth: signedIn('user'),
  description: 'Save a listing',
  params: listingId,
  responses: { 204: null },
});

export const removeFromWishlist = contract({
  method: 'DELETE',
  path: '/wishlist/{listingId}',
  fn: 'wishlist/remove-from-wishlist',
  auth: signedIn('user'),
  description: 'Unsave a listing',
  params: listingId,
  responses: { 204: null },
});
