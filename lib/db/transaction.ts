import { Pool } from '@neondatabase/serverless';
import { drizzle, type NeonDatabase } from 'drizzle-orm/neon-serverless';
import { connectionString, schema } from '#lib/db/index';
import { config } from '#lib/platform/config';

export type Tx = Parameters<Parameters<NeonDatabase<typeof schema>['transaction']>[0]>[0];

/**
 * An interactive transaction over Neon's WebSocket endpoint, for the few writes that must
 * read before they write. The pool lives only for this call, as Neon advises for
 * serverless: a connection must not outlive the invocation.
 */
export async function transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  const pool = new Pool({
    connectionString: connectionString(),
    max: 1,
    connectionTimeoutMillis: config.DB_TIMEOUT_MS,
    query_timeout: config.DB_TIMEOUT_MS,
  });
  pool.on('error', () => {});
  try {
    return await drizzle({ client: pool, schema }).transaction(fn);
  } finally {
    await pool.end();
  }
}
