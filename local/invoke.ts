import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { functionName, routes } from '#lib/routes';
import { buildContext } from '#local/apigw-event';
import { createFunctionLoader, root } from '#local/functions';

const usage = 'usage: npm run invoke -- <function, e.g. health/get-health> [event.json]';
const [fnArg, eventArg] = process.argv.slice(2);
if (!fnArg) {
  console.error(usage);
  process.exit(2);
}
const fn = fnArg.replace(/^functions\//, '').replace(/\.ts$/, '');
const route = routes.find((r) => r.fn === fn || functionName(r.fn) === fn);
if (!route) {
  console.error(`No function ${fnArg} in the route table.\n${usage}`);
  process.exit(2);
}
const eventFile = eventArg ?? path.join(root, 'events', `${route.fn}.default.json`);
const event = JSON.parse(await readFile(eventFile, 'utf8'));

const loader = createFunctionLoader();
const handler = await loader.load(route.fn);
const result = await handler(
  event,
  buildContext(functionName(route.fn), route.memory, route.timeout),
);
console.log(JSON.stringify(result, null, 2));
await loader.close();
