// npm run openapi: writes docs/openapi.json from the route table, docs/asyncapi.json from the
// WebSocket routes and frames, and the client's types (client/src/openapi.ts) from the first
// (a test fails when any of them is stale).
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { asyncApiDocument } from '#tools/asyncapi-document';
import { clientTypes } from '#tools/client-types';
import { openApiDocument } from '#tools/openapi-document';
import { root } from '#tools/root';

const openapi = openApiDocument();
const files = {
  'docs/openapi.json': `${JSON.stringify(openapi, null, 2)}\n`,
  'docs/asyncapi.json': `${JSON.stringify(asyncApiDocument(), null, 2)}\n`,
  'client/src/openapi.ts': await clientTypes(openapi),
};
for (const [name, text] of Object.entries(files)) {
  await writeFile(path.join(root, name), text);
  console.log(`wrote ${name}`);
}
