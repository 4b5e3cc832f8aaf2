import { index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Job deliveries already handled, so that a redelivery has no second effect. */
export const processedJobs = pgTable(
  'processed_jobs',
  {
    /** The job's business key, or QStash's Upstash-Message-Id. */
    key: text('key').primaryKey(),
    job: text('job').notNull(),
    processedAt: timestamp('processed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('processed_jobs_processed_at_idx').on(t.processedAt)],
);
