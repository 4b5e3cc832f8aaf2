import { expect } from 'vitest';
import * as z from 'zod';
import type { route as routeFactory } from '#lib/http/route';
import type { startSentryIngest } from '#local/emulators/sentry/index';
import { testContract } from '#tests/support/contracts';
import { httpEvent, invoke } from '#tests/support/events';

/** One thrown error reaches Sentry once, with its request id; a 400 never does. */
export async function expectOneEventForAnError(
  route: typeof routeFactory,
  ingest: Awaited<ReturnType<typeof startSentryIngest>>,
) {
  const crashes = route(testContract({}), async () => {
    throw new Error('payout provider exploded');
  });
  const strict = route(testContract({ query: z.strictObject({}) }), async () => {
    throw new Error('never reached');
  });

  const refused = await invoke(strict, httpEvent({ routeKey: 'GET /health', path: '/health?x=1' }));
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
}
