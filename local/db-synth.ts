// npm run db:synth -- --listings 20000 --conversations 2000 --messages 100000
import { parseArgs } from 'node:util';
import { synthesize } from '#local/seed/synth';
import { databaseUrl } from '#tools/database-url';
import { ensureDatabase, migrateDatabase } from '#tools/db';

const { values } = parseArgs({
  options: {
    listings: { type: 'string', default: '20000' },
    conversations: { type: 'string', default: '2000' },
    messages: { type: 'string', default: '100000' },
  },
});
const url = databaseUrl();
await ensureDatabase(url);
await migrateDatabase(url);
const started = performance.now();
const counts = await synthesize(url, {
  listings: Number(values.listings),
  conversations: Number(values.conversations),
  messages: Number(values.messages),
});
console.log(`synthesized in ${((performance.now() - started) / 1000).toFixed(1)} s:`, counts);
