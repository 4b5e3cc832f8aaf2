// npm run enqueue -- <job> '<json payload>' — publishes a job, e.g. to the local QStash of
// `npm run dev` (its settings are in .local/dev.env).
import { type JobName, jobs } from '#lib/jobs/catalog';
import { enqueue } from '#lib/jobs/enqueue';

const [name, payload = '{}'] = process.argv.slice(2);
if (!name || !(name in jobs)) {
  console.error(`usage: npm run enqueue -- <${Object.keys(jobs).join('|')}> '<json>'`);
  process.exit(2);
}
const id = await enqueue(name as JobName, JSON.parse(payload) as never);
console.log(`enqueued ${name}: ${id}`);
