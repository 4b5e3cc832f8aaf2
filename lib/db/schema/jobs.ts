import { sql } from 'drizzle-orm';
import { check, index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Job deliveries claimed or done, so that a redelivered job has no second effect. A claim
 * (`running`) lapses at `locked_until`, so a delivery whose Lambda died can run again.
 */
export const processedJobs = pgTable(
  'processed_jobs',
  {
    /** The job's business key, or QStash's Upstash-Message-Id. */
    key: text('key').primaryKey(),
    job: text('job').notNull(),
    state: text('state').notNull().default('running'),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    processedAt: timestamp('processed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('processed_jobs_state', sql`${t.state} in ('running', 'done')`),
    // The hourly clean-up forgets old entries.
    index('processed_jobs_created_at_idx').on(t.createdAt),
  ],
);
