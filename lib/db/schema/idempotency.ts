import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { principalRole } from '#lib/db/schema/principals';

/**
 * `Idempotency-Key`s of writes a client may retry (`POST /bookings`), scoped to the caller.
 * The first request claims the key (`running`); its answer is kept (`done`) for 24 hours so
 * a retry gets it again. A claim lapses at `locked_until`, so a request whose Lambda died
 * does not hold the key forever.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    role: principalRole('role').notNull(),
    principalId: uuid('principal_id').notNull(),
    key: text('key').notNull(),
    /** SHA-256 of the method, path and body: the same key with another request is refused. */
    requestHash: text('request_hash').notNull(),
    state: text('state').notNull().default('running'),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    responseStatus: integer('response_status'),
    responseBody: jsonb('response_body'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.role, t.principalId, t.key] }),
    check('idempotency_keys_state', sql`${t.state} in ('running', 'done')`),
    // The hourly cleanup forgets keys older than a day.
    index('idempotency_keys_created_at_idx').on(t.createdAt),
  ],
);
