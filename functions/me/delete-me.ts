import { and, eq, inArray, isNull, notExists, sql } from 'drizzle-orm';
import { deleteMe } from '#lib/accounts/contracts';
import { accountTable } from '#lib/auth/principals';
import { forgetSessions } from '#lib/auth/sessions';
import { invalidateCatalogue } from '#lib/catalogue/cache';
import { schema } from '#lib/db/index';
import { transaction } from '#lib/db/transaction';
import { conflict, notFound } from '#lib/http/errors';
import { noContent } from '#lib/http/reply';
import { route } from '#lib/http/route';
import { config } from '#lib/platform/config';
import { logger } from '#lib/platform/log';
import { deletePrefix } from '#lib/platform/storage/objects';

const {
  bookings,
  hostPayoutAccounts,
  identityDocuments,
  listingPhotos,
  listings,
  otpCodes,
  pushTokens,
  refreshTokens,
  wishlistItems,
} = schema;

interface Erased {
  /** Prefixes and keys of objects that only this account's rows pointed at. */
  public: string[];
  private: string[];
  /** Sign-ins revoked with the erasure, whose access tokens the cache must forget. */
  sessions: string[];
}

/**
 * Erases the caller's account (the right to erasure of Nigeria's Data Protection Act 2023,
 * as of GDPR): name, phone, email, avatar, push tokens, sign-ins, wishlist, and a host's
 * identity documents, payout account and unpublished listings. The row itself stays, anonymised, for the
 * bookings and payments that point at it. The same phone or email can sign up again, as a
 * new account. Refused with 409 while something must still happen first. Admins are
 * removed by an operator (the route table gives them 403).
 */
export const handler = route(deleteMe, async ({ principal: me }) => {
  const table = accountTable(me.role);

  const erased = await transaction(async (tx): Promise<Erased> => {
    // The account first: a sign-in that races this waits (see startSession).
    const [account] = await tx
      .select({ phone: table.phone, email: table.email })
      .from(table)
      .where(and(eq(table.id, me.id), isNull(table.deletedAt)))
      .for('update');
    if (!account) throw notFound('account');
    // Everything under the account's own prefixes goes, attached or not.
    const found: Erased = { public: [`avatars/${me.id}/`], private: [], sessions: [] };

    if (me.role === 'host') {
      // Photos before listings, in the order a photo delete locks them (photo, then its
      // listing), so the two cannot deadlock.
      await tx
        .select({ id: listingPhotos.id })
        .from(listingPhotos)
        .where(
          inArray(
            listingPhotos.listingId,
            tx.select({ id: listings.id }).from(listings).where(eq(listings.hostId, me.id)),
          ),
        )
        .for('update');
      const owned = await tx
        .select({ id: listings.id, status: listings.status })
        .from(listings)
        .where(eq(listings.hostId, me.id))
        .for('update');
      const published = owned.filter((l) => l.status === 'published').length;
      if (published > 0) {
        throw conflict(
          'listings_published',
          `You have ${published} published listing(s); move them back to draft (POST /listings/{id}/draft) first.`,
        );
      }
      // Unpublished listings go, with their photos, unless a booking still points at one.
      const gone = await tx
        .delete(listings)
        .where(
          and(
            eq(listings.hostId, me.id),
            notExists(tx.select().from(bookings).where(eq(bookings.listingId, listings.id))),
          ),
        )
        .returning({ id: listings.id });
      found.public.push(...gone.map((l) => `listings/${l.id}/`));
      await tx.delete(identityDocuments).where(eq(identityDocuments.hostId, me.id));
      found.private.push(`identity/${me.id}/`);
      await tx.delete(hostPayoutAccounts).where(eq(hostPayoutAccounts.hostId, me.id));
    } else {
      await tx.delete(wishlistItems).where(eq(wishlistItems.userId, me.id));
    }

    await tx
      .delete(pushTokens)
      .where(and(eq(pushTokens.role, me.role), eq(pushTokens.principalId, me.id)));
    const identifiers = [account.phone, account.email].filter((v) => typeof v === 'string');
    if (identifiers.length > 0) {
      await tx
        .delete(otpCodes)
        .where(and(eq(otpCodes.role, me.role), inArray(otpCodes.identifier, identifiers)));
    }
    // Signed out everywhere in the same commit: no refresh token outlives the account.
    const revoked = await tx
      .update(refreshTokens)
      .set({ revokedAt: sql`now()` })
      .where(
        and(
          eq(refreshTokens.role, me.role),
          eq(refreshTokens.principalId, me.id),
          isNull(refreshTokens.revokedAt),
        ),
      )
      .returning({ familyId: refreshTokens.familyId });
    found.sessions = [...new Set(revoked.map((r) => r.familyId))];
    await tx
      .update(table)
      .set({
        phone: null,
        email: null,
        name: null,
        avatarKey: null,
        deletedAt: sql`now()`,
        updatedAt: sql`now()`,
      })
      .where(eq(table.id, me.id));
    return found;
  });

  await forgetSessions(erased.sessions);
  // Cards carried this host's name and drafts are gone; a guest's erasure changes no page.
  if (me.role === 'host') await invalidateCatalogue();
  // No row points at these any more. Best-effort, like photos: a failure is logged with the
  // prefix, and nothing of ours serves those objects meanwhile (no row, no URL).
  const removals = [
    ...erased.public.map((prefix) => [config.S3_PUBLIC_BUCKET, prefix] as const),
    ...erased.private.map((prefix) => [config.S3_PRIVATE_BUCKET, prefix] as const),
  ];
  await Promise.all(
    removals.map(([bucket, prefix]) =>
      deletePrefix(bucket, prefix).catch((error: unknown) => {
        logger.warn('objects of an erased account not deleted', {
          bucket,
          prefix,
          reason: String(error),
        });
      }),
    ),
  );
  logger.info('account erased', { role: me.role, id: me.id });
  return noContent();
});
