import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { publishListings } from '#tests/support/catalogue-data';
import { type LocalStack, startLocalStack } from '#tests/support/stack';
import { dropDatabase, ensureDatabase } from '#tools/db';

// Two databases behind one Redis (the same logical database), as dev and a second clone
// or the tests share the machine's Redis. Each stack's functions read DATABASE_URL when
// first invoked, so the first stack is used before the second starts.
const first = await startLocalStack({}, { cache: 'live' });
const data = await import('#lib/db/index');
const stacks: LocalStack[] = [first];
const other = new URL(process.env.DATABASE_URL as string);
other.pathname = `${other.pathname}_other_${randomBytes(3).toString('hex')}`;
afterAll(async () => {
  for (const s of stacks) await s.close();
  await dropDatabase(other.toString());
});

describe('two databases behind one Redis', () => {
  it('never read each other’s cached pages', async () => {
    const { ids } = await publishListings(data, 2);
    const feed = async (stack: LocalStack) => {
      const res = await stack.api('GET', '/listings/public');
      expect(res.status).toBe(200);
      return {
        ids: res.body.listings.map((l: { id: string }) => l.id),
        cache: res.headers.get('x-cache'),
      };
    };
    expect(await feed(first)).toEqual({ ids: [...ids].reverse(), cache: 'miss' });
    expect((await feed(first)).cache).toBe('hit');

    await ensureDatabase(other.toString(), `marketplace_test_template_${process.env.TEST_RUN_ID}`);
    const second = await startLocalStack({ DATABASE_URL: other.toString() }, { cache: 'live' });
    stacks.push(second);
    expect(await feed(second)).toEqual({ ids: [], cache: 'miss' });
    expect(await feed(second)).toEqual({ ids: [], cache: 'hit' });
    expect((await feed(first)).ids).toEqual([...ids].reverse());
  });
});
