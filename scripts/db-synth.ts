// npm run db:synth -- --listings 20000 --conversations 2000 --messages 100000
import { parseArgs } from 'node:util';
import { ensureDatabase, migrateDatabase } from '#local/db';
import { synthesize } from '#local/synth';

const { values } = parseArgs({
  options: {
    listings: { type: 'string', default: '20000' },
    conversations: { type: 'string', default: '2000' },
    messages: { type: 'string', default: '100000' },
  },
});
const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/marketplace_dev';
await ensureDatabase(url);
await migrateDatabase(url);
const started = performance.now();
const counts = await synthesize(url, {
  listings: Number(values.listings),
  conversations: Number(values.conversations),
  messages: Number(values.messages),
});
console.log(`synthesized in ${((performance.now() - started) / 1000).toFixed(1)} s:`, counts);
