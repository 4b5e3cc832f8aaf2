import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { startSentryIngest } from '#local/sentry';
import { httpEvent, invoke } from '../support/events.ts';

const ingest = await startSentryIngest();
let route: typeof import('#lib/http/route').route;

beforeAll(async () => {
  // Sentry is set up at cold start from the environment, as in Lambda.
  process.env.SENTRY_DSN = ingest.dsn;
  ({ route } = await import('#lib/http/route'));
});
afterAll(() => ingest.close());

describe('Sentry', () => {
  it('receives exactly one event, with the request id, for an unexpected error and none for a 400', async () => {
    const crashes = route({}, async () => {
      throw new Error('payout provider exploded');
    });
    const strict = route({ query: z.strictObject({}) }, async () => {
      throw new Error('never reached');
    });

    const refused = await invoke(
      strict,
      httpEvent({ routeKey: 'GET /health', path: '/health?x=1' }),
    );
    expect(refused.statusCode).toBe(400);

    const event = httpEvent({ routeKey: 'GET /health' });
    const crashed = await invoke(crashes, event);
    expect(crashed.statusCode).toBe(500);

    await expect.poll(() => ingest.events().length, { timeout: 5000 }).toBe(1);
    const [sent] = ingest.events();
    expect(JSON.stringify(sent?.payload)).toContain('payout provider exploded');
    expect((sent?.payload.tags as Record<string, string> | undefined)?.request_id).toBe(
      event.requestContext.requestId,
    );
    // Give a stray second event time to arrive before asserting there is none.
    await new Promise((r) => setTimeout(r, 300));
    expect(ingest.events()).toHaveLength(1);
  });
});
