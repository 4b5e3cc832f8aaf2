import * as z from 'zod/mini';
import type { Role } from '#lib/auth/roles';

/**
 * A route's contract: what it takes, who may call it and what it answers. A module of
 * contracts has no side effects (no config, no client, no top-level await), so the route
 * table, CDK, the local gateway, the docs and the tests can all import it.
 */
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Who may call a route. Each kind has one strategy in `lib/http/auth.ts`, which the stack
 * looks up by kind; a new kind (a webhook signature, a WebSocket `$connect`) is one more
 * entry there and here. `qstash` is checked by `jobRoute` (lib/jobs/route.ts) instead.
 */
export type Auth =
  | { readonly kind: 'public' }
  | { readonly kind: 'roles'; readonly roles: readonly Role[] }
  | { readonly kind: 'qstash' }
  | { readonly kind: 'paystack' };

/** Anyone, signed in or not. */
export const anyone = { kind: 'public' } as const;
/** QStash only: a request signed with the current or next signing key. */
export const qstash = { kind: 'qstash' } as const;
/** Paystack's webhooks: signed with the secret key (`x-paystack-signature`). */
export const paystackWebhook = { kind: 'paystack' } as const;
/** A signed-in caller with a valid, unrevoked access token of one of these roles. */
export const signedIn = <const R extends readonly Role[]>(...roles: R) =>
  ({ kind: 'roles', roles }) as const;

/** The identity of a signed-in caller, of one of the roles a route allows. */
export interface Principal<R extends Role = Role> {
  id: string;
  role: R;
}

/** A verified QStash delivery: the id of its signature, used once (see jobRoute). */
export interface QStashDelivery {
  signatureId: string;
}

/** What a handler knows about its caller, typed by the contract's auth. */
export type CallerOf<A extends Auth> = A extends { kind: 'roles'; roles: readonly (infer R)[] }
  ? Principal<R & Role>
  : A extends { kind: 'qstash' }
    ? QStashDelivery
    : null;

/** AWS resources a function may touch; CDK grants exactly these. */
/** `ws-connections`: posting to and closing WebSocket connections (`execute-api:ManageConnections`). */
export type Use = 'public-bucket' | 'private-bucket' | 'ses' | 'ws-connections';

/** The JSON a status answers with; `null` for a status without a body (204). */
export type Responses = Readonly<Partial<Record<number, z.core.$ZodType | null>>>;

export interface Contract {
  readonly method: Method;
  /** API Gateway syntax: `/listings/{id}`. */
  readonly path: string;
  /** The function file under `functions/`, without extension. */
  readonly fn: string;
  readonly auth: Auth;
  readonly description: string;
  /** Lambda memory in MB (default 512). */
  readonly memory?: number;
  /** Lambda timeout in seconds (default 10; API Gateway stops waiting at 30). */
  readonly timeout?: number;
  readonly uses?: readonly Use[];
  readonly params?: z.core.$ZodType;
  readonly query?: z.core.$ZodType;
  readonly body?: z.core.$ZodType;
  /** Success answers by status; errors are the shared envelope (`errorBody`). */
  readonly responses: Responses;
  /** The route takes (and requires) an `Idempotency-Key` header: a retry is answered once. */
  readonly idempotencyKey?: 'required';
}

/** Declares a contract, keeping its literal types for the handler it types. */
export const contract = <const C extends Contract>(c: C): C => c;

/** The error envelope every route answers with on 4xx and 5xx. */
export const errorBody = z.strictObject({
  error: z.strictObject({
    code: z.string(),
    message: z.string(),
    details: z.optional(z.array(z.strictObject({ path: z.string(), message: z.string() }))),
  }),
});

/** An instant on the wire: an ISO 8601 string in UTC. */
export const instant = z.iso.datetime({ offset: true });

/** The roles a route allows: none unless its auth is `signedIn(...)`. */
export const rolesOf = (auth: Auth): readonly Role[] => (auth.kind === 'roles' ? auth.roles : []);

/** A route's auth in a word, for listings: `public`, `qstash`, or its roles (`user|host`). */
export const describeAuth = (auth: Auth): string =>
  auth.kind === 'roles' ? auth.roles.join('|') : auth.kind;
