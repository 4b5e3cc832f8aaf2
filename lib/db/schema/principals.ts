import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

/** The three kinds of principal, as the original platform's `entityType`. */
export const principalRole = pgEnum('principal_role', ['user', 'host', 'admin']);

const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
};

/**
 * Guests and hosts have the same shape: they sign in by phone or email (at least one is
 * set until the account is erased) and have a profile. They are separate tables, as in the original platform, so that
 * foreign keys say which one a row points at.
 */
const signUpPrincipal = (name: 'users' | 'hosts') =>
  pgTable(
    name,
    {
      id: uuid('id').primaryKey().defaultRandom(),
      phone: text('phone').unique(),
      email: text('email').unique(),
      name: text('name'),
      avatarKey: text('avatar_key'),
      /** Set by `DELETE /me`: the row stays for the money records that point at it, anonymised. */
      deletedAt: timestamp('deleted_at', { withTimezone: true }),
      ...timestamps,
    },
    (t) => [
      check(
        `${name}_contact`,
        sql`${t.phone} is not null or ${t.email} is not null or ${t.deletedAt} is not null`,
      ),
    ],
  );

export const users = signUpPrincipal('users');
export const hosts = signUpPrincipal('hosts');

/** Admins are created by `npm run admin:create`, never by signing in. */
export const admins = pgTable('admins', {
  id: uuid('id').primaryKey().defaultRandom(),
  email: text('email').notNull().unique(),
  name: text('name'),
  ...timestamps,
});

/** One live code per role and identifier; a new request replaces it. Stored as an HMAC. */
export const otpCodes = pgTable(
  'otp_codes',
  {
    role: principalRole('role').notNull(),
    /** E.164 phone or lower-cased email. */
    identifier: text('identifier').notNull(),
    codeHash: text('code_hash').notNull(),
    attempts: integer('attempts').notNull().default(0),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.role, t.identifier] }),
    index('otp_codes_expires_at_idx').on(t.expiresAt),
    check('otp_codes_attempts', sql`${t.attempts} >= 0`),
  ],
);

/** Opaque refresh tokens, stored hashed; a family is one sign-in and its rotations. */
export const refreshTokens = pgTable(
  'refresh_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tokenHash: text('token_hash').notNull().unique(),
    familyId: uuid('family_id').notNull(),
    role: principalRole('role').notNull(),
    principalId: uuid('principal_id').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    rotatedAt: timestamp('rotated_at', { withTimezone: true }),
    /** Set when a lost-answer retry retired this unused successor: presenting it again is theft. */
    retiredAt: timestamp('retired_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('refresh_tokens_family_idx').on(t.familyId),
    index('refresh_tokens_expires_at_idx').on(t.expiresAt),
  ],
);

export const pushPlatform = pgEnum('push_platform', ['ios', 'android']);

export const pushTokens = pgTable(
  'push_tokens',
  {
    token: text('token').primaryKey(),
    role: principalRole('role').notNull(),
    principalId: uuid('principal_id').notNull(),
    platform: pushPlatform('platform').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('push_tokens_principal_idx').on(t.role, t.principalId)],
);

/**
 * Fixed-window counters for rate limits. Kept in Postgres, not the cache, so the limits
 * hold when Redis is down; one upsert per request counts and checks every window.
 */
export const rateLimits = pgTable(
  'rate_limits',
  {
    key: text('key').primaryKey(),
    hits: integer('hits').notNull(),
    windowEnds: timestamp('window_ends', { withTimezone: true }).notNull(),
  },
  (t) => [index('rate_limits_window_ends_idx').on(t.windowEnds)],
);
