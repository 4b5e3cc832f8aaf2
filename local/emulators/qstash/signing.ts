/** The `Upstash-Signature` of a delivery: a JWT the real `Receiver` verifies. */
import { createHash, randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';

const SIGNATURE_LIFETIME_S = 5 * 60;

/** SHA-256 of the body, base64url with padding, as QStash puts it in the `body` claim. */
function bodyHash(body: Uint8Array): string {
  return createHash('sha256')
    .update(body)
    .digest('base64')
    .replaceAll('+', '-')
    .replaceAll('/', '_');
}

export function randomId(prefix: string): string {
  return `${prefix}_${randomBytes(18).toString('base64url')}`;
}

export async function signDelivery(key: string, url: string, body: Uint8Array, atMs: number) {
  const now = Math.floor(atMs / 1000);
  return new SignJWT({ body: bodyHash(body) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer('Upstash')
    .setSubject(url)
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + SIGNATURE_LIFETIME_S)
    .setJti(randomId('jwt'))
    .sign(new TextEncoder().encode(key));
}
