import { createHmac, timingSafeEqual } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { isSessionRevoked } from '#lib/auth/sessions';
import { verifyAccessToken } from '#lib/auth/tokens';
import type { Auth, Principal } from '#lib/http/contract';
import { forbidden, unauthorized } from '#lib/http/errors';
import { config } from '#lib/platform/config';
import { logger } from '#lib/platform/log';

/** Checks a request against one kind of auth; throws a 401 or 403, or returns the caller. */
type Strategy<A extends Auth> = (auth: A, event: APIGatewayProxyEventV2) => Promise<unknown>;

/** The caller of a route for signed-in roles: a valid, unrevoked access token of one of them. */
async function bearer(
  auth: Extract<Auth, { kind: 'roles' }>,
  event: APIGatewayProxyEventV2,
): Promise<Principal> {
  const header = event.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1]) throw unauthorized();
  const claims = await verifyAccessToken(match[1]);
  if (!claims || (await isSessionRevoked(claims.sid))) {
    throw unauthorized('The access token is invalid, expired or revoked.');
  }
  if (!auth.roles.includes(claims.role)) throw forbidden();
  return { id: claims.sub, role: claims.role };
}

/**
 * A QStash delivery is checked by the job route itself (`jobRoute` passes `verifyQStash` to
 * `route`), so that only job functions bundle the QStash receiver. Reaching this is a route
 * built without it: a bug, answered 500, never a request let through.
 */
async function qstashSignature(): Promise<never> {
  throw new Error('a qstash route must be built by jobRoute, which checks the signature');
}

/**
 * A Paystack webhook: `x-paystack-signature` is the hex HMAC-SHA512 of the raw body keyed
 * with the secret key, compared in constant time. Anything else is a 401 with no effect.
 */
async function paystackSignature(_auth: Auth, event: APIGatewayProxyEventV2): Promise<null> {
  const key = config.PAYSTACK_SECRET_KEY;
  if (!key) logger.error('PAYSTACK_SECRET_KEY is not set: every Paystack webhook is refused');
  const signature = event.headers['x-paystack-signature'] ?? '';
  const raw = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
  const valid =
    !!key &&
    /^[0-9a-f]{128}$/i.test(signature) &&
    timingSafeEqual(createHmac('sha512', key).update(raw).digest(), Buffer.from(signature, 'hex'));
  if (!valid) throw unauthorized('The Paystack signature is missing or wrong.');
  return null;
}

const strategies: { [K in Auth['kind']]: Strategy<Extract<Auth, { kind: K }>> } = {
  public: async () => null,
  roles: bearer,
  qstash: qstashSignature,
  paystack: paystackSignature,
};

/** Finds the caller of a request, or throws a 401 or 403. */
export type Authenticate = (event: APIGatewayProxyEventV2) => Promise<unknown>;

/** The caller of a request, by the strategy of the contract's auth kind. */
export function authenticate(auth: Auth, event: APIGatewayProxyEventV2): Promise<unknown> {
  const strategy = strategies[auth.kind] as Strategy<Auth>;
  return strategy(auth, event);
}
