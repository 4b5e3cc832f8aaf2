// npm run openapi: writes docs/openapi.json from the route table (a test fails when it is stale).
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { openApiDocument } from '#tools/openapi-document';
import { root } from '#tools/root';

const file = path.join(root, 'docs', 'openapi.json');
await writeFile(file, `${JSON.stringify(openApiDocument(), null, 2)}\n`);
console.log(`wrote ${path.relative(root, file)}`);
