import { and, eq, inArray, ne, notExists, sql } from 'drizzle-orm';
import { accountTable } from '#lib/auth/principals';
import { endAllSessions } from '#lib/auth/sessions';
import { invalidateCatalogue } from '#lib/catalogue-cache';
import { config } from '#lib/config';
import { schema } from '#lib/db/index';
import { transaction } from '#lib/db/transaction';
import { conflict, forbidden, notFound } from '#lib/http/errors';
import { noContent } from '#lib/http/reply';
import { caller, route } from '#lib/http/route';
import { logger } from '#lib/log';
import { deleteObject } from '#lib/storage';

const {
  bookings,
  hostPayoutAccounts,
  identityDocuments,
  listings,
  otpCodes,
  pushTokens,
  wishlistItems,
} = schema;

interface Objects {
  public: string[];
  private: string[];
}

/**
 * Erases the caller's account (the right to erasure of Nigeria's Data Protection Act 2023,
 * as of GDPR): name, phone, email, avatar, push tokens, sign-ins, wishlist, and a host's
 * identity documents, payout account and unpublished listings. The row itself stays, anonymised, for the
 * bookings and payments that point at it. The same phone or email can sign up again, as a
 * new account. Refused with 409 while something must still happen first.
 */
export const handler = route({}, async ({ principal }) => {
  const me = caller(principal);
  if (me.role === 'admin') throw forbidden('Admins are removed by an operator, not by DELETE /me.');
  const table = accountTable(me.role);

  const objects = await transaction(async (tx): Promise<Objects> => {
    // Locked first: a concurrent publish waits for this, then finds its draft gone.
    const [account] = await tx
      .select({ phone: table.phone, email: table.email, avatarKey: table.avatarKey })
      .from(table)
      .where(and(eq(table.id, me.id), sql`${table.deletedAt} is null`))
      .for('update');
    if (!account) throw notFound('account');
    const found: Objects = { public: account.avatarKey ? [account.avatarKey] : [], private: [] };

    if (me.role === 'host') {
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
            ne(listings.status, 'published'),
            notExists(tx.select().from(bookings).where(eq(bookings.listingId, listings.id))),
          ),
        )
        .returning({ photoKeys: listings.photoKeys });
      found.public.push(...gone.flatMap((l) => l.photoKeys));
      const documents = await tx
        .delete(identityDocuments)
        .where(eq(identityDocuments.hostId, me.id))
        .returning({ key: identityDocuments.s3Key });
      found.private.push(...documents.map((d) => d.key));
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

  await endAllSessions(me.role, me.id);
  // Cards carried this host's name and drafts are gone; a guest's erasure changes no page.
  if (me.role === 'host') await invalidateCatalogue();
  // The rows are gone, so no URL of ours points at these any more: best-effort, like photos.
  const removals = [
    ...objects.public.map((key) => [config.S3_PUBLIC_BUCKET, key] as const),
    ...objects.private.map((key) => [config.S3_PRIVATE_BUCKET, key] as const),
  ];
  await Promise.all(
    removals.map(([bucket, key]) =>
      deleteObject(bucket, key).catch((error: unknown) => {
        logger.warn('object of an erased account not deleted', { key, reason: String(error) });
      }),
    ),
  );
  logger.info('account erased', { role: me.role, id: me.id });
  return noContent();
});
