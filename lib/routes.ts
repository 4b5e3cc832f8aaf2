/**
 * The route table: every HTTP route of the API, once. CDK, the local gateway, the docs
 * and the tests read it; the handler stack reads the auth requirement from it.
 */
export type Role = 'user' | 'host' | 'admin';

/** Who may call a route: anyone, a signed-in principal of one of the roles, or QStash. */
export type Auth = 'public' | 'qstash' | readonly Role[];

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface Route {
  method: Method;
  /** API Gateway syntax: `/listings/{id}`. */
  path: string;
  /** Function file under `functions/`, without extension. */
  fn: string;
  auth: Auth;
  /** Lambda memory in MB. */
  memory: number;
  /** Lambda timeout in seconds (API Gateway stops waiting at 30). */
  timeout: number;
  description: string;
  /** AWS resources the function may touch; CDK grants exactly these. */
  uses?: ReadonlyArray<'public-bucket' | 'private-bucket' | 'ses'>;
}

const defaults = { memory: 512, timeout: 10 } as const;

const table: Array<Omit<Route, 'memory' | 'timeout'> & Partial<Route>> = [
  {
    method: 'GET',
    path: '/health',
    fn: 'health/get-health',
    auth: 'public',
    memory: 256,
    description: 'Liveness and dependency status',
  },

  // The public catalogue, behind the cache.
  {
    method: 'GET',
    path: '/listings/public',
    fn: 'catalogue/list-public-listings',
    auth: 'public',
    description: 'Public feed, paged and filtered',
  },
  {
    method: 'GET',
    path: '/listings/public/{id}',
    fn: 'catalogue/get-public-listing',
    auth: 'public',
    description: 'One published listing',
  },
  {
    method: 'GET',
    path: '/home-feed',
    fn: 'catalogue/get-home-feed',
    auth: 'public',
    description: 'Home screen sections',
  },

  // Auth: public routes, each with its own limits.
  {
    method: 'POST',
    path: '/auth/otp/request',
    fn: 'auth/request-otp',
    auth: 'public',
    description: 'Send a sign-in code by SMS or email',
  },
  {
    method: 'POST',
    path: '/auth/otp/verify',
    fn: 'auth/verify-otp',
    auth: 'public',
    description: 'Trade a code for tokens',
  },
  {
    method: 'POST',
    path: '/auth/refresh',
    fn: 'auth/refresh-token',
    auth: 'public',
    description: 'Rotate a refresh token',
  },
  {
    method: 'POST',
    path: '/auth/logout',
    fn: 'auth/logout',
    auth: 'public',
    description: 'End a sign-in',
  },
  {
    method: 'GET',
    path: '/me',
    fn: 'me/get-me',
    auth: ['user', 'host', 'admin'],
    memory: 256,
    description: "The caller's profile",
  },
  {
    method: 'PATCH',
    path: '/me',
    fn: 'me/update-me',
    uses: ['public-bucket'],
    auth: ['user', 'host', 'admin'],
    memory: 256,
    description: 'Change name or avatar',
  },
  {
    method: 'POST',
    path: '/me/avatar/upload-url',
    fn: 'me/create-avatar-upload',
    uses: ['public-bucket'],
    auth: ['user', 'host'],
    memory: 256,
    description: 'Presigned avatar upload',
  },
  {
    method: 'DELETE',
    path: '/me',
    fn: 'me/delete-me',
    uses: ['public-bucket', 'private-bucket'],
    auth: ['user', 'host'],
    memory: 256,
    description: 'Erase the account',
  },
  {
    method: 'POST',
    path: '/me/push-tokens',
    fn: 'me/register-push-token',
    auth: ['user', 'host', 'admin'],
    memory: 256,
    description: 'Register a device for push',
  },

  // Hosts: their own listings, photos and identity documents.
  {
    method: 'GET',
    path: '/listings',
    fn: 'listings/list-host-listings',
    auth: ['host'],
    description: "The host's own listings",
  },
  {
    method: 'POST',
    path: '/listings',
    fn: 'listings/create-listing',
    auth: ['host'],
    description: 'Create a draft listing',
  },
  {
    method: 'GET',
    path: '/listings/{id}',
    fn: 'listings/get-host-listing',
    auth: ['host'],
    description: "One of the host's listings",
  },
  {
    method: 'PATCH',
    path: '/listings/{id}',
    fn: 'listings/update-listing',
    auth: ['host'],
    description: 'Change a listing',
  },
  {
    method: 'DELETE',
    path: '/listings/{id}',
    fn: 'listings/delete-listing',
    auth: ['host'],
    description: 'Delete a listing',
  },
  {
    method: 'POST',
    path: '/listings/{id}/publish',
    fn: 'listings/publish-listing',
    auth: ['host'],
    description: 'Publish a listing',
  },
  {
    method: 'POST',
    path: '/listings/{id}/draft',
    fn: 'listings/unpublish-listing',
    auth: ['host'],
    description: 'Back to draft',
  },
  {
    method: 'POST',
    path: '/listings/{id}/photos/upload-url',
    fn: 'listings/create-photo-upload',
    uses: ['public-bucket'],
    auth: ['host'],
    description: 'Presigned photo upload',
  },
  {
    method: 'POST',
    path: '/listings/{id}/photos',
    fn: 'listings/add-photo',
    uses: ['public-bucket'],
    auth: ['host'],
    description: 'Attach an uploaded photo',
  },
  {
    method: 'DELETE',
    path: '/listings/{id}/photos/{photoId}',
    fn: 'listings/delete-photo',
    uses: ['public-bucket'],
    auth: ['host'],
    description: 'Remove a photo',
  },
  {
    method: 'POST',
    path: '/host/identity-documents/upload-url',
    fn: 'host/create-document-upload',
    uses: ['private-bucket'],
    auth: ['host'],
    description: 'Presigned private upload',
  },
  {
    method: 'POST',
    path: '/host/identity-documents',
    fn: 'host/submit-document',
    uses: ['private-bucket'],
    auth: ['host'],
    description: 'Submit a document for review',
  },
  {
    method: 'GET',
    path: '/host/identity-documents',
    fn: 'host/list-documents',
    uses: ['private-bucket'],
    auth: ['host'],
    description: "The host's documents",
  },

  // Admins.
  {
    method: 'GET',
    path: '/admin/identity-documents',
    fn: 'admin/list-identity-documents',
    uses: ['private-bucket'],
    auth: ['admin'],
    description: 'Identity documents to review',
  },
  {
    method: 'POST',
    path: '/admin/identity-documents/{id}/approve',
    fn: 'admin/approve-identity-document',
    auth: ['admin'],
    description: 'Approve a document',
  },
  {
    method: 'POST',
    path: '/admin/identity-documents/{id}/reject',
    fn: 'admin/reject-identity-document',
    auth: ['admin'],
    description: 'Reject a document',
  },
  {
    method: 'POST',
    path: '/admin/listings/{id}/suspend',
    fn: 'admin/suspend-listing',
    auth: ['admin'],
    description: 'Suspend a listing',
  },
  {
    method: 'POST',
    path: '/admin/listings/{id}/unsuspend',
    fn: 'admin/unsuspend-listing',
    auth: ['admin'],
    description: 'Lift a suspension',
  },

  // Guests: their wishlist.
  {
    method: 'GET',
    path: '/wishlist',
    fn: 'wishlist/list-wishlist',
    auth: ['user'],
    description: 'Saved listings',
  },
  {
    method: 'PUT',
    path: '/wishlist/{listingId}',
    fn: 'wishlist/add-to-wishlist',
    auth: ['user'],
    description: 'Save a listing',
  },
  {
    method: 'DELETE',
    path: '/wishlist/{listingId}',
    fn: 'wishlist/remove-from-wishlist',
    auth: ['user'],
    description: 'Unsave a listing',
  },

  // Background jobs: called by QStash with a signed request.
  ...(['cleanup', 'send-email', 'send-admin-code', 'send-sms', 'send-push'] as const).map(
    (job) => ({
      method: 'POST' as const,
      path: `/jobs/${job}`,
      fn: `jobs/${job}`,
      ...(job === 'send-email' || job === 'send-admin-code' ? { uses: ['ses'] as const } : {}),
      // The hourly cleanup sweeps uploads that were never attached.
      ...(job === 'cleanup' ? { uses: ['public-bucket', 'private-bucket'] as const } : {}),
      auth: 'qstash' as const,
      memory: 256,
      timeout: 30,
      description: `Background job ${job}, called by QStash`,
    }),
  ),
];

export const routes: readonly Route[] = table.map((r) => ({ ...defaults, ...r }));

export const routeKey = (r: Pick<Route, 'method' | 'path'>) => `${r.method} ${r.path}`;

const byKey = new Map(routes.map((r) => [routeKey(r), r]));

export function findRoute(key: string): Route | undefined {
  return byKey.get(key);
}

/** A stable name for a route's function: `health/get-health` → `health-get-health`. */
export const functionName = (fn: string) => fn.replaceAll('/', '-');
