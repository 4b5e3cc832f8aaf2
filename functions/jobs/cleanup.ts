import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import { catchUp } from '#lib/bookings/lifecycle';
import { db, schema } from '#lib/db/index';
import { ago } from '#lib/db/interval';
import { jobRoute } from '#lib/jobs/route';
import { config } from '#lib/platform/config';
import { logger } from '#lib/platform/log';
import { deleteKeys, listPages } from '#lib/platform/storage/objects';

const {
  hosts,
  idempotencyKeys,
  identityDocuments,
  listingPhotos,
  otpCodes,
  processedJobs,
  rateLimits,
  refreshTokens,
  users,
  wsConnections,
} = schema;

/** An Idempotency-Key's answer is replayed for a day (lib/http/idempotency.ts), then forgotten. */
const IDEMPOTENCY_MEMORY_SECONDS = 24 * 60 * 60;

/** How long a finished job's key is remembered against redelivery. */
const JOB_MEMORY = ago(7 * 24 * 60 * 60);

/**
 * An upload nobody attached within a day is swept. Upload URLs live ten minutes and the apps
 * attach right after uploading, so a day-old loose object is abandoned, not on its way.
 */
export const UNATTACHED_UPLOAD_MS = 24 * 3600_000;

/**
 * Each hourly run sweeps the owners whose id (a random UUID) starts with one hex digit, so
 * it lists a sixteenth of the buckets (ListObjectsV2, 1000 keys a request, one query for
 * each page) and every owner comes round every 16 hours: a loose upload lives at most 40.
 */
const SHARDS = '0123456789abcdef';

/** Stops starting new pages past this, well inside the job's 30 s timeout. */
const SWEEP_BUDGET_MS = 20_000;

/** Under a prefix of the form `<area>/<owner id>/<file>`: which of these keys a row points at. */
interface UploadArea {
  bucket: () => string;
  prefix: string;
  attached: (keys: string[]) => Promise<Set<string>>;
}

const ownerOf = (key: string) => key.split('/')[1] ?? '';

const UPLOAD_AREAS: UploadArea[] = [
  {
    bucket: () => config.S3_PUBLIC_BUCKET,
    prefix: 'listings/',
    attached: async (keys) => {
      const rows = await db()
        .select({ key: listingPhotos.s3Key })
        .from(listingPhotos)
        .where(inArray(listingPhotos.s3Key, keys));
      return new Set(rows.map((r) => r.key));
    },
  },
  {
    bucket: () => config.S3_PUBLIC_BUCKET,
    prefix: 'avatars/',
    // avatar_key has no index; the owner's id in the key is the primary key.
    attached: async (keys) => {
      const ids = [...new Set(keys.map(ownerOf))].filter((id) => /^[0-9a-f-]{36}$/.test(id));
      if (ids.length === 0) return new Set();
      const [guests, hostRows] = await db().batch([
        db().select({ key: users.avatarKey }).from(users).where(inArray(users.id, ids)),
        db().select({ key: hosts.avatarKey }).from(hosts).where(inArray(hosts.id, ids)),
      ]);
      return new Set([...guests, ...hostRows].flatMap((r) => (r.key ? [r.key] : [])));
    },
  },
  {
    bucket: () => config.S3_PRIVATE_BUCKET,
    prefix: 'identity/',
    attached: async (keys) => {
      const rows = await db()
        .select({ key: identityDocuments.s3Key })
        .from(identityDocuments)
        .where(inArray(identityDocuments.s3Key, keys));
      return new Set(rows.map((r) => r.key));
    },
  },
];

export interface SweepResult {
  listed: number;
  deleted: number;
  /** False when the budget ran out before every page was seen; the next pass goes on. */
  complete: boolean;
}

/**
 * Deletes listing photos, avatars and identity documents that were uploaded before `before`
 * and that no row points at. `shard` (a hex digit) limits it to owners whose id starts with
 * it. Idempotent: deleting a key twice is no error, and an attached key is never a candidate.
 */
export async function sweepUnattachedUploads(options: {
  before: Date;
  shard?: string;
  budgetMs?: number;
}): Promise<SweepResult> {
  const stopAt = Date.now() + (options.budgetMs ?? SWEEP_BUDGET_MS);
  const result: SweepResult = { listed: 0, deleted: 0, complete: true };
  for (const area of UPLOAD_AREAS) {
    const bucket = area.bucket();
    for await (const page of listPages(bucket, `${area.prefix}${options.shard ?? ''}`)) {
      result.listed += page.length;
      const old = page.filter((o) => o.lastModified < options.before).map((o) => o.key);
      if (old.length > 0) {
        const attached = await area.attached(old);
        const loose = old.filter((key) => !attached.has(key));
        await deleteKeys(bucket, loose);
        result.deleted += loose.length;
      }
      if (Date.now() > stopAt) {
        result.complete = false;
        return result;
      }
    }
  }
  return result;
}

/**
 * Hourly: forgets what has expired, in one round trip; catches up on booking jobs whose
 * publish was lost; then sweeps abandoned uploads.
 */
export const handler = jobRoute('cleanup', async () => {
  const [otps, tokens, connections, jobs, windows, keys] = await db().batch([
    db()
      .delete(otpCodes)
      .where(lt(otpCodes.expiresAt, sql`now()`))
      .returning({ k: otpCodes.identifier }),
    db()
      .delete(refreshTokens)
      .where(lt(refreshTokens.expiresAt, sql`now()`))
      .returning({ k: refreshTokens.id }),
    db()
      .delete(wsConnections)
      .where(lt(wsConnections.expiresAt, sql`now()`))
      .returning({ k: wsConnections.connectionId }),
    db()
      .delete(processedJobs)
      .where(and(eq(processedJobs.state, 'done'), lt(processedJobs.createdAt, JOB_MEMORY)))
      .returning({ k: processedJobs.key }),
    db()
      .delete(rateLimits)
      .where(lt(rateLimits.windowEnds, sql`now()`))
      .returning({ k: rateLimits.key }),
    db()
      .delete(idempotencyKeys)
      .where(lt(idempotencyKeys.createdAt, ago(IDEMPOTENCY_MEMORY_SECONDS)))
      .returning({ k: idempotencyKeys.key }),
  ]);
  const bookings = await catchUp();
  const now = Date.now();
  const shard = SHARDS[Math.floor(now / 3600_000) % SHARDS.length];
  const uploads = await sweepUnattachedUploads({
    before: new Date(now - UNATTACHED_UPLOAD_MS),
    ...(shard ? { shard } : {}),
  });
  if (!uploads.complete) {
    logger.warn('upload sweep stopped at its budget: shard the sweep finer', { shard, ...uploads });
  }
  return {
    otpCodes: otps.length,
    refreshTokens: tokens.length,
    wsConnections: connections.length,
    processedJobs: jobs.length,
    rateLimitWindows: windows.length,
    idempotencyKeys: keys.length,
    bookings,
    unattachedUploads: { shard, ...uploads },
  };
});
