import { describe, expect, it } from 'vitest';
import { db, schema } from '#lib/db/index';
import { ok } from '#lib/http/reply';
import { route } from '#lib/http/route';
import { testContract } from '#tests/support/contracts';
import { httpEvent, invoke } from '#tests/support/events';

describe('database errors through the stack', () => {
  it('turns a unique violation into 409 without driver text', async () => {
    const insert = route(testContract({}), async () => {
      await db().insert(schema.admins).values({ email: 'root@example.com' });
      return ok({});
    });
    expect((await invoke(insert, httpEvent({ routeKey: 'GET /health' }))).statusCode).toBe(200);
    const again = await invoke(insert, httpEvent({ routeKey: 'GET /health' }));
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('conflict');
    expect(again.body).not.toMatch(/admins_email|duplicate key|23505/);
  });
});
