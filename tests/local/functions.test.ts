import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFunctionLoader } from '#local/runtime/functions';
import { root } from '#tools/root';

// Under the project root, so the bundle resolves packages from its node_modules.
const dir = await mkdtemp(path.join(root, '.local', 'loader-test-'));
const loader = createFunctionLoader({ functionsDir: dir });
afterAll(async () => {
  await loader.close();
  await rm(dir, { recursive: true, force: true });
});

const source = (answer: string) => `
import { greeting } from './shared.ts';
let calls = 0;
export const handler = async () => ({ answer: '${answer}', greeting, calls: ++calls });
`;

describe('the local function loader', () => {
  it('keeps module state between invocations, as a warm Lambda does', async () => {
    await writeFile(path.join(dir, 'shared.ts'), "export const greeting = 'hello';\n");
    await writeFile(path.join(dir, 'fn.ts'), source('first'));
    const first = await loader.load('fn');
    expect(await first({}, {})).toEqual({ answer: 'first', greeting: 'hello', calls: 1 });
    expect(await (await loader.load('fn'))({}, {})).toMatchObject({ calls: 2 });
  });

  it('picks up an edit to the function, or to a module it imports, on the next invocation', async () => {
    await writeFile(path.join(dir, 'fn.ts'), source('second'));
    expect(await (await loader.load('fn'))({}, {})).toMatchObject({ answer: 'second', calls: 1 });
    await writeFile(path.join(dir, 'shared.ts'), "export const greeting = 'bawo';\n");
    expect(await (await loader.load('fn'))({}, {})).toMatchObject({ greeting: 'bawo' });
  });
});
