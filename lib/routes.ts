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
    auth: ['user', 'host', 'admin'],
    memory: 256,
    description: 'Change name or avatar',
  },
  {
    method: 'POST',
    path: '/me/push-tokens',
    fn: 'me/register-push-token',
    auth: ['user', 'host', 'admin'],
    memory: 256,
    description: 'Register a device for push',
  },

  // Hosts and admins.
  {
    method: 'GET',
    path: '/listings',
    fn: 'listings/list-host-listings',
    auth: ['host'],
    description: "The host's own listings",
  },
  {
    method: 'GET',
    path: '/admin/identity-documents',
    fn: 'admin/list-identity-documents',
    auth: ['admin'],
    description: 'Identity documents to review',
  },

  // Background jobs: called by QStash with a signed request.
  ...(['cleanup', 'send-email', 'send-sms', 'send-push'] as const).map((job) => ({
    method: 'POST' as const,
    path: `/jobs/${job}`,
    fn: `jobs/${job}`,
    auth: 'qstash' as const,
    memory: 256,
    timeout: 30,
    description: `Background job ${job}, called by QStash`,
  })),
];

export const routes: readonly Route[] = table.map((r) => ({ ...defaults, ...r }));

export const routeKey = (r: Pick<Route, 'method' | 'path'>) => `${r.method} ${r.path}`;

const byKey = new Map(routes.map((r) => [routeKey(r), r]));

export function findRoute(key: string): Route | undefined {
  return byKey.get(key);
}

/** A stable name for a route's function: `health/get-health` → `health-get-health`. */
export const functionName = (fn: string) => fn.replaceAll('/', '-');
