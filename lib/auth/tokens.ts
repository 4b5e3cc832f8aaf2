import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import { type Role, roles } from '#lib/auth/roles';
import { config } from '#lib/platform/config';

export const ACCESS_TOKEN_SECONDS = 15 * 60;
export const REFRESH_TOKEN_DAYS = 30;
const ISSUER = 'marketplace';
const AUDIENCE = 'marketplace-api';

interface SigningKey {
  kid: string;
  secret: Uint8Array;
}

let keys: SigningKey[] | undefined;

function signingKeys(): SigningKey[] {
  if (!config.JWT_SIGNING_KEYS) throw new Error('JWT_SIGNING_KEYS is not set');
  keys ??= config.JWT_SIGNING_KEYS.split(',').map((pair) => {
    const at = pair.indexOf(':');
    return { kid: pair.slice(0, at), secret: new TextEncoder().encode(pair.slice(at + 1)) };
  });
  return keys;
}

export interface AccessClaims {
  sub: string;
  role: Role;
  /** The sign-in (refresh token family) this token belongs to; logout revokes it. */
  sid: string;
}

/** A 15-minute HS256 JWT with `sub`, `role`, `sid`, `iat`, `exp`, `jti`, signed by the first key. */
export async function signAccessToken(claims: AccessClaims): Promise<string> {
  const [key] = signingKeys();
  if (!key) throw new Error('JWT_SIGNING_KEYS is empty');
  return new SignJWT({ role: claims.role, sid: claims.sid })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: key.kid })
    .setSubject(claims.sub)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${ACCESS_TOKEN_SECONDS}s`)
    .setJti(randomUUID())
    .sign(key.secret);
}

const ROLES = new Set<string>(roles);

/**
 * Verifies an access token: HS256 only (so `alg: none` or a swapped algorithm fails), the
 * key named by `kid`, issuer, audience and expiry. Returns undefined for any bad token.
 */
export async function verifyAccessToken(token: string): Promise<AccessClaims | undefined> {
  try {
    const { payload } = await jwtVerify(
      token,
      async (header) => {
        const key = signingKeys().find((k) => k.kid === header.kid);
        if (!key) throw new errors.JWSInvalid('unknown kid');
        return key.secret;
      },
      {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: AUDIENCE,
        requiredClaims: ['sub', 'exp', 'iat', 'jti'],
      },
    );
    const { sub, role, sid } = payload as { sub?: string; role?: string; sid?: string };
    if (!sub || !role || !ROLES.has(role) || typeof sid !== 'string') return undefined;
    return { sub, role: role as Role, sid };
  } catch {
    return undefined;
  }
}

/** An opaque refresh token and the hash it is stored as (high entropy: plain SHA-256 is enough). */
export function newRefreshToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashRefreshToken(token) };
}

export const hashRefreshToken = (token: string) =>
  createHash('sha256').update(token).digest('base64url');
