// npm run schedules:sync — makes QStash's schedules match lib/jobs/schedules.ts.
// Uses QSTASH_URL, QSTASH_TOKEN and PUBLIC_API_URL; `npm run dev` writes local ones to
// .local/dev.env, which this script reads when it exists.

import { qstash } from '#lib/jobs/enqueue';
import { config } from '#lib/platform/config';
import { syncSchedules } from '#tools/schedules';

const result = await syncSchedules(qstash(), config.PUBLIC_API_URL);
console.log(`schedules at ${config.QSTASH_URL}:`, result);
