/**
 * The route table: every HTTP route of the API, once, assembled from the domains'
 * contracts. CDK, the local gateway, the docs and the tests read it. Importing it has no
 * side effects: no config parse, no client, no top-level await.
 */
import * as accounts from '#lib/accounts/contracts';
import * as auth from '#lib/auth/contracts';
import * as authSessions from '#lib/auth/session-contracts';
import * as bookings from '#lib/bookings/contracts';
import * as catalogue from '#lib/catalogue/contracts';
import * as chat from '#lib/chat/contracts';
import * as chatSockets from '#lib/chat/ws-contracts';
import * as health from '#lib/health/contracts';
import type { Auth, Contract } from '#lib/http/contract';
import * as identity from '#lib/identity/contracts';
import { jobContracts } from '#lib/jobs/contracts';
import * as listings from '#lib/listings/contracts';
import * as payouts from '#lib/payouts/contracts';
import type { SecretName } from '#lib/platform/config';
import * as reviews from '#lib/reviews/contracts';
import { routeSecrets } from '#lib/route-secrets';
import * as wishlist from '#lib/wishlist/contracts';
import type { WsContract } from '#lib/ws/contract';

export type { Auth, Method, Use } from '#lib/http/contract';

/** What a route's function is given at deploy: its limits and the secrets it may read. */
interface Deployed {
  readonly memory: number;
  readonly timeout: number;
  /** The only secrets CDK lets its function read (lib/route-secrets.ts). */
  readonly secrets: readonly SecretName[];
}

/** A contract with its deployment defaults filled in. */
export type Route = Contract & Deployed;

/** What a route's auth strategy reads: the verifying keys of its kind. */
export function authSecrets(auth: Auth): SecretName[] {
  switch (auth.kind) {
    case 'public':
      return [];
    // The bearer strategy checks revocations through the cache.
    case 'roles':
      return ['JWT_SIGNING_KEYS', 'UPSTASH_REDIS_REST_TOKEN'];
    case 'qstash':
      return ['QSTASH_CURRENT_SIGNING_KEY', 'QSTASH_NEXT_SIGNING_KEY'];
    case 'paystack':
      return ['PAYSTACK_SECRET_KEY'];
    default:
      throw new Error(`no secrets for auth ${auth satisfies never}`);
  }
}

const secretsOf = (fn: string): readonly SecretName[] => {
  const secrets = routeSecrets[fn];
  if (!secrets) throw new Error(`lib/route-secrets.ts names no secrets for ${fn}`);
  return secrets;
};

/** A function's timeout unless its contract sets one (API Gateway's HTTP API waits 30 s). */
export const DEFAULT_TIMEOUT_SECONDS = 10;
const defaults = { memory: 512, timeout: DEFAULT_TIMEOUT_SECONDS } as const;

/** The contracts a domain's contracts module exports (beside the schemas it shares). */
const contractsIn = (module: Record<string, unknown>): Contract[] =>
  Object.values(module).filter(
    (value): value is Contract =>
      typeof value === 'object' && value !== null && 'fn' in value && 'responses' in value,
  );

const contracts: Contract[] = [
  health.getHealth,
  // The public catalogue, behind the cache.
  catalogue.listPublicListings,
  catalogue.getPublicListing,
  catalogue.getHomeFeed,
  // Bookings: quotes, booking, payment, the host's answer, cancellation; payouts; reviews.
  ...contractsIn(bookings),
  ...contractsIn(payouts),
  ...contractsIn(reviews),
  // Auth: public routes, each with its own limits.
  ...contractsIn(auth),
  ...contractsIn(authSessions),
  ...contractsIn(accounts),
  // Hosts: their own listings and photos; admins: suspensions.
  ...contractsIn(listings),
  // Identity documents: hosts submit, admins review.
  ...contractsIn(identity),
  // Guests: their wishlist.
  ...contractsIn(wishlist),
  ...contractsIn(chat),
  // Background jobs: called by QStash with a signed request.
  ...jobContracts,
];

export const routes: readonly Route[] = contracts.map((c) => ({
  ...defaults,
  ...c,
  secrets: secretsOf(c.fn),
}));

export const routeKey = (r: Pick<Route, 'method' | 'path'>) => `${r.method} ${r.path}`;

/** A stable name for a route's function: `health/get-health` → `health-get-health`. */
export const functionName = (fn: string) => fn.replaceAll('/', '-');

/** A WebSocket route with its deployment defaults filled in. */
export type WsRoute = WsContract & Deployed;

/** The WebSocket API's routes (the chat), read by CDK and the local WebSocket gateway. */
export const wsRoutes: readonly WsRoute[] = (Object.values(chatSockets) as unknown[])
  .filter(
    (value): value is WsContract =>
      typeof value === 'object' && value !== null && 'routeKey' in value && 'fn' in value,
  )
  .map((c) => ({ ...defaults, ...c, secrets: secretsOf(c.fn) }));
