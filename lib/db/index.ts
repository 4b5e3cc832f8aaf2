import { neon, neonConfig } from '@neondatabase/serverless';
import { drizzle as drizzleHttp, type NeonHttpDatabase } from 'drizzle-orm/neon-http';
import * as schema from '#lib/db/schema/index';
import { serviceUnavailable } from '#lib/http/errors';
import { config } from '#lib/platform/config';

export { schema };

let configured = false;

/** Points Neon's driver at its endpoints, once, before the first query. */
function configureNeon(): void {
  if (configured) return;
  configured = true;
  // The only difference between production and local runs: locally, Neon's two endpoints
  // are the stand-ins in local/, in front of a plain Postgres.
  if (config.NEON_LOCAL_PROXY_URL) {
    const proxy = new URL(config.NEON_LOCAL_PROXY_URL);
    neonConfig.fetchEndpoint = `${proxy.origin}/sql`;
    neonConfig.wsProxy = (host, port) => `${proxy.host}/v2?address=${host}:${port}`;
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineTLS = false;
    neonConfig.pipelineConnect = false;
  }
  // Every HTTP query gets a deadline, so a dead database fails a request fast instead of
  // holding it until the Lambda timeout.
  neonConfig.fetchFunction = (url: string, init: RequestInit) =>
    fetch(url, { ...init, signal: AbortSignal.timeout(config.DB_TIMEOUT_MS) });
}

export function connectionString(): string {
  configureNeon();
  if (!config.DATABASE_URL) throw serviceUnavailable('The database is not configured.');
  return config.DATABASE_URL;
}

export type Db = NeonHttpDatabase<typeof schema>;

let http: Db | undefined;

/** Drizzle over Neon's HTTP endpoint: one round trip per query or `db().batch([...])`. */
export function db(): Db {
  http ??= drizzleHttp({ client: neon(connectionString()), schema });
  return http;
}

/** The one row a write with `returning()` must produce. */
export function onlyRow<T>(rows: T[]): T {
  const [row] = rows;
  if (row === undefined) throw new Error('expected the statement to return a row');
  return row;
}
