import { createHash } from 'node:crypto';
import type { Redis } from '@upstash/redis';
import { type Config, config } from '#lib/platform/config';
import { logger } from '#lib/platform/log';

let redis: Promise<Redis> | undefined;
let namespace: string | undefined;

/**
 * Every key lives under a namespace of its database (`CACHE_NAMESPACE`, else a hash of
 * the database's host, port and name), so two databases behind one Redis (a stage and
 * another, dev and the tests, two clones) never read each other's entries.
 */
export function cacheKey(key: string): string {
  namespace ??= cacheNamespace(config);
  return `${namespace}:${key}`;
}

/** `CACHE_NAMESPACE`, else the first 10 hex digits of a hash of the database's identity. */
export function cacheNamespace(c: Pick<Config, 'CACHE_NAMESPACE' | 'DATABASE_URL'>): string {
  return (
    c.CACHE_NAMESPACE ??
    createHash('sha256').update(databaseIdentity(c.DATABASE_URL)).digest('hex').slice(0, 10)
  );
}

/** Which database a URL names, without its credentials or options. */
function databaseIdentity(url: string | undefined): string {
  if (!url) return 'none';
  const { hostname, port, pathname } = new URL(url);
  return `${hostname}:${port || '5432'}${pathname}`;
}

/**
 * The Upstash Redis client, or undefined when no cache is configured. The cache is an
 * optimisation, never a dependency: no retries (a dead Redis must not hold a request) and
 * a deadline on every call.
 */
export function cache(): Promise<Redis> | undefined {
  const { UPSTASH_REDIS_REST_URL: url, UPSTASH_REDIS_REST_TOKEN: token } = config;
  if (!url || !token) return undefined;
  // Imported on first use: functions that never touch the cache do not load the client.
  redis ??= import('@upstash/redis').then(
    ({ Redis }) =>
      new Redis({
        url,
        token,
        retry: { retries: 0 },
        signal: () => AbortSignal.timeout(config.CACHE_TIMEOUT_MS),
        enableTelemetry: false,
        // Values are JSON strings we parse ourselves; no guessing at what a string means.
        automaticDeserialization: false,
      }),
  );
  return redis;
}

/** Runs a cache call; any failure (down, slow, malformed) is logged and becomes `fallback`. */
export async function safely<T>(
  what: string,
  call: (redis: Redis) => Promise<T>,
  fallback: T,
): Promise<T> {
  const client = cache();
  if (!client) return fallback;
  try {
    return await call(await client);
  } catch (error) {
    logger.warn('cache call failed; carrying on without it', { what, reason: String(error) });
    return fallback;
  }
}
