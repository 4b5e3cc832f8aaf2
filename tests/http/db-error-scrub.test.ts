import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { startSentryIngest } from '#local/emulators/sentry/index';
import { testContract } from '#tests/support/contracts';
import { httpEvent, invoke } from '#tests/support/events';

// Sentry is set up from the environment at cold start, as in Lambda, so the environment
// is set before the stack is imported.
const ingest = await startSentryIngest();
process.env.SENTRY_DSN = ingest.dsn;
const { route } = await import('#lib/http/route');
const { db } = await import('#lib/db/index');
afterAll(() => ingest.close());

const PHONE = '+2348031234567';
const HASH = 'c2VjcmV0LWhhc2gtb2YtYS1yZWZyZXNoLXRva2Vu';

/** The lines the logger writes (to stdout and stderr, as in Lambda) while `run` runs. */
async function logLines(run: () => Promise<unknown>): Promise<string[]> {
  const lines: string[] = [];
  const capture = (chunk: unknown) => {
    lines.push(String(chunk));
    return true;
  };
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  try {
    await run();
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return lines;
}

describe('a failed statement, in the logs and in Sentry', () => {
  it('keeps its SQL, SQLSTATE and column but none of the values it ran with', async () => {
    // A not-null violation is an unexpected 500, and Postgres' detail quotes the whole row.
    const fails = route(testContract({}), async () => {
      await db().execute(
        sql`insert into users (phone, email, created_at) values (${PHONE}, ${`${HASH}@example.com`}, null)`,
      );
      throw new Error('not reached');
    });
    const event = httpEvent({ routeKey: 'GET /health' });
    let status = 0;
    const lines = await logLines(async () => {
      const res = await invoke(fails, event);
      status = res.statusCode;
      expect(res.body).not.toContain(PHONE);
    });
    expect(status).toBe(500);

    const logged = lines.find((l) => l.includes('"unexpected error"'));
    expect(logged, lines.join('\n')).toBeDefined();
    expect(logged).toContain('Failed query: insert into users (phone, email, created_at)');
    expect(logged).toContain('"code":"23502"');
    expect(logged).toContain('"column":"created_at"');
    expect(logged).not.toContain(PHONE);
    expect(logged).not.toContain(HASH);
    expect(logged).not.toMatch(/params|Failing row/);

    await expect.poll(() => ingest.events().length, { timeout: 5000 }).toBe(1);
    const [sent] = ingest.events();
    const payload = JSON.stringify(sent?.payload);
    expect(payload).toContain('Failed query: insert into users (phone, email, created_at)');
    expect(payload).toContain('violates not-null constraint');
    expect(sent?.payload.tags).toMatchObject({
      request_id: event.requestContext.requestId,
      sqlstate: '23502',
    });
    expect(payload).not.toContain(PHONE);
    expect(payload).not.toContain(HASH);
    expect(payload).not.toMatch(/params:|Failing row/);
  });
});
