import { and, eq, lt, sql } from 'drizzle-orm';
import { db, schema } from '#lib/db/index';
import { jobRoute } from '#lib/jobs/route';

const { otpCodes, processedJobs, rateLimits, refreshTokens, wsConnections } = schema;

/** How long a finished job's key is remembered against redelivery. */
const JOB_MEMORY = sql`now() - interval '7 days'`;

/** Hourly: forgets what has expired, in one round trip. */
export const handler = jobRoute('cleanup', async () => {
  const [otps, tokens, connections, jobs, windows] = await db().batch([
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
  ]);
  return {
    otpCodes: otps.length,
    refreshTokens: tokens.length,
    wsConnections: connections.length,
    processedJobs: jobs.length,
    rateLimitWindows: windows.length,
  };
});
