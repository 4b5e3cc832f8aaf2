import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Role } from '#lib/auth/roles';
import {
  ACCESS_TOKEN_SECONDS,
  hashRefreshToken,
  newRefreshToken,
  REFRESH_TOKEN_DAYS,
  signAccessToken,
} from '#lib/auth/tokens';
import { db, schema } from '#lib/db/index';
import { ago, fromNow } from '#lib/db/interval';
import { unauthorized } from '#lib/http/errors';
import { cacheKey, safely } from '#lib/platform/cache';

const { refreshTokens } = schema;
const refreshExpiry = fromNow(REFRESH_TOKEN_DAYS * 24 * 60 * 60);
/** A sign-in's state in the cache: 'revoked', or 'live' as last read from the database. */
const sessionKey = (sid: string) => cacheKey(`session:${sid}`);
/** How long a 'live' answer is trusted before the database is asked again. */
const LIVE_SECONDS = 60;

export interface Tokens {
  accessToken: string;
  refreshToken: string;
  expiresInSeconds: number;
  principal: { id: string; role: Role };
}

async function tokensFor(
  role: Role,
  id: string,
  familyId: string,
  refreshToken: string,
): Promise<Tokens> {
  return {
    accessToken: await signAccessToken({ sub: id, role, sid: familyId }),
    refreshToken,
    expiresInSeconds: ACCESS_TOKEN_SECONDS,
    principal: { id, role },
  };
}

/**
 * A new sign-in: a new refresh token family, for an account that is not erased. The
 * account row is share-locked in the insert, so an erasure running meanwhile either
 * waits for this sign-in (and then revokes it) or has committed (and this one is refused).
 */
export async function startSession(role: Role, principalId: string): Promise<Tokens> {
  const familyId = randomUUID();
  const { token, hash } = newRefreshToken();
  const live =
    role === 'admin'
      ? sql`true`
      : sql`exists (select 1 from ${role === 'user' ? schema.users : schema.hosts} a
          where a.id = ${principalId} and a.deleted_at is null for share)`;
  const inserted = await db().execute(sql`
    insert into ${refreshTokens} (token_hash, family_id, role, principal_id, expires_at)
    select ${hash}, ${familyId}, ${role}, ${principalId}, ${refreshExpiry} where ${live}`);
  if (inserted.rowCount === 0) throw unauthorized('This account was deleted; sign in again.');
  return tokensFor(role, principalId, familyId, token);
}

async function revokeFamily(familyId: string): Promise<void> {
  await db()
    .update(refreshTokens)
    .set({ revokedAt: sql`now()` })
    .where(sql`${refreshTokens.familyId} = ${familyId} and ${refreshTokens.revokedAt} is null`);
  // Access tokens of the family stop working too (until they would expire anyway).
  await safely(
    'revoke session',
    (r) => r.set(sessionKey(familyId), 'revoked', { ex: ACCESS_TOKEN_SECONDS }),
    null,
  );
}

/**
 * Trades a refresh token for a new pair, in one statement: the old token is marked
 * rotated and the new one inserted only if the old one was live. Presenting a token that
 * was already rotated or revoked means it was stolen or replayed: the whole family ends
 * (but for a quick retry of the latest rotation, see retryRotation).
 */
export async function rotateSession(refreshToken: string): Promise<Tokens> {
  const oldHash = hashRefreshToken(refreshToken);
  const { token, hash } = newRefreshToken();
  const rotated = await db().execute<{ family_id: string; role: Role; principal_id: string }>(sql`
    with old as (
      update ${refreshTokens} set rotated_at = now()
      where token_hash = ${oldHash} and rotated_at is null and revoked_at is null and expires_at > now()
        -- A family revoked while this token was in flight stays revoked.
        and not exists (
          select 1 from ${refreshTokens} f where f.family_id = refresh_tokens.family_id and f.revoked_at is not null
        )
      returning family_id, role, principal_id
    )
    insert into ${refreshTokens} (token_hash, family_id, role, principal_id, expires_at)
    select ${hash}, family_id, role, principal_id, ${refreshExpiry} from old
    returning family_id, role, principal_id`);
  const row = rotated.rows[0];
  if (row) return tokensFor(row.role, row.principal_id, row.family_id, token);

  const retried = await retryRotation(oldHash, hash);
  if (retried) return tokensFor(retried.role, retried.principal_id, retried.family_id, token);

  const [known] = await db()
    .select({
      familyId: refreshTokens.familyId,
      expired: sql<boolean>`${refreshTokens.expiresAt} <= now()`,
    })
    .from(refreshTokens)
    .where(eq(refreshTokens.tokenHash, oldHash));
  if (known && !known.expired) {
    await revokeFamily(known.familyId);
    throw unauthorized('This refresh token was already used; sign in again.');
  }
  throw unauthorized('The refresh token is not valid; sign in again.');
}

/** How long after its rotation a refresh token may be presented again as a retry. */
const RETRY_GRACE_SECONDS = 30;

/**
 * A phone on 3G often loses the answer to a refresh and sends the same token again. If
 * that token is the family's latest rotation, made moments ago, and nothing in the family
 * was used since, this is a retry, not theft: the unused successor is retired and a new
 * one issued. A retired token is never retried itself: presented again, it falls through
 * to revocation, as does anything else (so a thief and a victim cannot take turns).
 */
async function retryRotation(oldHash: string, newHash: string) {
  const result = await db().execute<{ family_id: string; role: Role; principal_id: string }>(sql`
    with presented as (
      select family_id, role, principal_id from ${refreshTokens} t
      where t.token_hash = ${oldHash} and t.revoked_at is null and t.retired_at is null
        and t.expires_at > now()
        and t.rotated_at > ${ago(RETRY_GRACE_SECONDS)}
        and not exists (
          select 1 from ${refreshTokens} f
          where f.family_id = t.family_id and (f.revoked_at is not null or f.rotated_at > t.rotated_at)
        )
    ),
    retired as (
      update ${refreshTokens} set rotated_at = now(), retired_at = now()
      where family_id = (select family_id from presented) and rotated_at is null and revoked_at is null
      returning id
    )
    insert into ${refreshTokens} (token_hash, family_id, role, principal_id, expires_at)
    select ${newHash}, family_id, role, principal_id, ${refreshExpiry} from presented
    returning family_id, role, principal_id`);
  return result.rows[0];
}

/** Logout: the token's whole family stops working. Unknown tokens are ignored; returns whose it was. */
export async function endSession(
  refreshToken: string,
): Promise<{ role: Role; principalId: string; sessionId: string } | undefined> {
  const [known] = await db()
    .select({
      familyId: refreshTokens.familyId,
      role: refreshTokens.role,
      principalId: refreshTokens.principalId,
    })
    .from(refreshTokens)
    .where(eq(refreshTokens.tokenHash, hashRefreshToken(refreshToken)));
  if (!known) return undefined;
  await revokeFamily(known.familyId);
  return { role: known.role, principalId: known.principalId, sessionId: known.familyId };
}

/**
 * Access tokens of these sign-ins stop working at once, not only when they expire. Their
 * refresh tokens must already be revoked in the database, which stays the truth when the
 * cache is down (see isSessionRevoked).
 */
export async function forgetSessions(familyIds: string[]): Promise<void> {
  if (familyIds.length === 0) return;
  await safely(
    'revoke sessions',
    (r) => {
      const pipeline = r.pipeline();
      for (const f of familyIds)
        pipeline.set(sessionKey(f), 'revoked', { ex: ACCESS_TOKEN_SECONDS });
      return pipeline.exec();
    },
    null,
  );
}

/**
 * Whether a sign-in was ended (logout, reuse of a refresh token, erasure). The database is
 * the truth (a revoked refresh token of the family); the cache holds its answer, 'revoked'
 * for the access tokens' lifetime and 'live' for a minute. A cache that is down, slow or
 * has evicted the entry is a miss, never a "not revoked": the database answers then.
 */
export async function isSessionRevoked(sid: string): Promise<boolean> {
  const cached = await safely('check session', (r) => r.get<string>(sessionKey(sid)), null);
  if (cached === 'revoked') return true;
  if (cached === 'live') return false;
  const [revoked] = await db()
    .select({ id: refreshTokens.id })
    .from(refreshTokens)
    .where(sql`${refreshTokens.familyId} = ${sid} and ${refreshTokens.revokedAt} is not null`)
    .limit(1);
  const state = revoked ? 'revoked' : 'live';
  await safely(
    'remember session',
    // nx: a revocation written meanwhile is never overwritten by an older 'live'.
    (r) =>
      r.set(sessionKey(sid), state, {
        ex: revoked ? ACCESS_TOKEN_SECONDS : LIVE_SECONDS,
        nx: true,
      }),
    null,
  );
  return state === 'revoked';
}
