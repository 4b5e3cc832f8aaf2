import { afterAll, describe, it } from 'vitest';
import { startSentryIngest } from '#local/emulators/sentry/index';
import { expectOneEventForAnError } from '#tests/support/sentry-case';

// Sentry is set up from the environment at cold start, as in Lambda, so the environment
// is set before the stack is imported.
const ingest = await startSentryIngest();
process.env.SENTRY_DSN = ingest.dsn;
const { route } = await import('#lib/http/route');
afterAll(() => ingest.close());

describe('Sentry, loaded on the first error (the default)', () => {
  it('receives exactly one event, with the request id, for an unexpected error and none for a 400', async () => {
    await expectOneEventForAnError(route, ingest);
  });
});
