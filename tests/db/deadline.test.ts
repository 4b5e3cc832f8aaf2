import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { publishListings } from '#tests/support/catalogue-data';
import { startLocalStack } from '#tests/support/stack';

// A database that is up but does not answer in time (a lock, a long migration, an
// overloaded compute) must cost a request DB_TIMEOUT_MS, not the Lambda's whole timeout.
// Without a cache, so that nothing but Postgres can answer the feed. A stack of its own,
// because DB_TIMEOUT_MS is read at each function's cold start.
const DB_TIMEOUT_MS = 1000;
// Longer than the deadline by far, shorter than the route's 10 s Lambda timeout, so that a
// query without a deadline gets its answer (a 200) once the lock goes.
const LOCK_HELD_MS = 8000;

const stack = await startLocalStack({ DB_TIMEOUT_MS: String(DB_TIMEOUT_MS) }, { cache: 'none' });
const data = await import('#lib/db/index');
afterAll(() => stack.close());
await publishListings(data, 3);

/** Holds an exclusive lock on `listings` from another session until `release()`. */
async function lockListings() {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  await client.query('begin');
  await client.query('lock table listings in access exclusive mode');
  let held = true;
  const release = async () => {
    if (!held) return;
    held = false;
    clearTimeout(timer);
    await client.query('rollback');
    await client.end();
  };
  const timer = setTimeout(release, LOCK_HELD_MS);
  return { release, held: () => held };
}

describe('a query that Postgres does not answer in time', () => {
  it('answers 503 while the lock still holds, and 200 again once it is gone', async () => {
    const before = await stack.api('GET', '/listings/public');
    expect(before.status).toBe(200);
    expect(before.body.total).toBe(3);

    const lock = await lockListings();
    try {
      const blocked = await stack.api('GET', '/listings/public');
      expect(blocked.status).toBe(503);
      expect(blocked.body.error.code).toBe('service_unavailable');
      // Answered before the lock went away: the deadline, not Postgres, ended the wait.
      expect(lock.held()).toBe(true);
      expect(JSON.stringify(blocked.body)).not.toMatch(/lock|listings|select/i);
    } finally {
      await lock.release();
    }

    const after = await stack.api('GET', '/listings/public');
    expect(after.status).toBe(200);
    expect(after.body.total).toBe(3);
  });
});
