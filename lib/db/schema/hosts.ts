import { desc, sql } from 'drizzle-orm';
import { index, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { admins, hosts } from '#lib/db/schema/principals';

export const identityDocumentKind = pgEnum('identity_document_kind', [
  'passport',
  'national_id',
  'drivers_license',
  'voters_card',
]);
export const identityDocumentStatus = pgEnum('identity_document_status', [
  'pending',
  'approved',
  'rejected',
]);

/** Private: the object lives in the private bucket, reachable only by presigned URL. */
export const identityDocuments = pgTable(
  'identity_documents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    hostId: uuid('host_id')
      .notNull()
      .references(() => hosts.id, { onDelete: 'cascade' }),
    kind: identityDocumentKind('kind').notNull(),
    s3Key: text('s3_key').notNull().unique(),
    status: identityDocumentStatus('status').notNull().default('pending'),
    reason: text('reason'),
    reviewedBy: uuid('reviewed_by').references(() => admins.id, { onDelete: 'set null' }),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('identity_documents_host_idx').on(t.hostId, desc(t.createdAt)),
    // The admin review queue: oldest pending first.
    index('identity_documents_pending_idx').on(t.createdAt).where(sql`${t.status} = 'pending'`),
  ],
);
