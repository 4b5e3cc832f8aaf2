import { randomBytes } from 'node:crypto';
import { Client, NeonDbError, neon, Pool } from '@neondatabase/serverless';
import { sql as dsql, eq } from 'drizzle-orm';
import { drizzle as drizzleHttp } from 'drizzle-orm/neon-http';
import { drizzle as drizzleWs } from 'drizzle-orm/neon-serverless';
import { integer, pgTable, serial, text } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { useLocalNeon } from '#local/emulators/neon/config';
import { type NeonProxy, startNeonProxy } from '#local/emulators/neon/index';

const ADMIN_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';
const dbName = `neon_proxy_test_${randomBytes(4).toString('hex')}`;
const dbUrl = `postgresql://postgres@127.0.0.1:5432/${dbName}`;

const accounts = pgTable('accounts', {
  id: serial('id').primaryKey(),
  email: text('email').notNull().unique(),
  credits: integer('credits').notNull().default(0),
});

let proxy: NeonProxy;
const pools: Pool[] = [];

function wsPool(): Pool {
  const pool = new Pool({ connectionString: dbUrl, max: 2 });
  pools.push(pool);
  return pool;
}

beforeAll(async () => {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();

  const setup = new pg.Client({ connectionString: dbUrl });
  await setup.connect();
  await setup.query(`
    CREATE TABLE accounts (
      id serial PRIMARY KEY,
      email text NOT NULL CONSTRAINT accounts_email_unique UNIQUE,
      credits integer NOT NULL DEFAULT 0
    );
    CREATE TABLE samples (
      i int, b bigint, n numeric, ok boolean, at timestamptz, day date,
      doc jsonb, tags text[], id uuid, blob bytea, nothing text
    );
  `);
  await setup.end();

  proxy = await startNeonProxy();
  useLocalNeon(proxy);
});

afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
  await proxy?.close();
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
});

/** Runs `text` on a direct connection, around the stand-in, to see what Postgres itself holds. */
async function direct<T extends pg.QueryResultRow>(text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

async function countAccounts(email: string): Promise<number> {
  const rows = await neon(dbUrl)`SELECT count(*)::int AS n FROM accounts WHERE email = ${email}`;
  return rows[0]?.n as number;
}

describe('HTTP mode through neon()', () => {
  it('runs a tagged query with parameters', async () => {
    const sql = neon(dbUrl);
    const rows = await sql`SELECT ${2}::int + ${3}::int AS sum, ${"it's"}::text AS word`;
    expect(rows).toEqual([{ sum: 5, word: "it's" }]);
  });

  it('returns full results with fields and command', async () => {
    const sql = neon(dbUrl, { fullResults: true });
    const result = await sql`SELECT 1 AS one`;
    expect(result.command).toBe('SELECT');
    expect(result.rowCount).toBe(1);
    expect(result.fields[0]).toMatchObject({ name: 'one', dataTypeID: 23 });
    expect(result.rows).toEqual([{ one: 1 }]);
  });

  it('round-trips Postgres types through the driver parsers', async () => {
    const sql = neon(dbUrl);
    const at = new Date('2024-02-29T12:34:56.789Z');
    const doc = { a: 1, nested: { list: [true, null, 'x'] } };
    const tags = ['plain', 'with,comma', 'with "quotes"', 'back\\slash'];
    const id = '6f1c2e1a-5b0e-4c55-9a57-3f0b8d2b7c10';
    const blob = Buffer.from([0, 1, 254, 255]);
    await sql`
      INSERT INTO samples VALUES (
        ${42}, ${'9007199254740993'}, ${'12345.678900'}, ${true}, ${at}, ${'2024-02-29'},
        ${doc}, ${tags}, ${id}, ${blob}, ${null}
      )`;
    const rows = await sql`SELECT * FROM samples`;
    expect(rows).toHaveLength(1);
    const row = rows[0] as Record<string, unknown>;
    expect(row.i).toBe(42);
    expect(row.b).toBe('9007199254740993');
    expect(row.n).toBe('12345.678900');
    expect(row.ok).toBe(true);
    expect(row.at).toEqual(at);
    expect(row.day).toEqual(new Date(2024, 1, 29));
    expect(row.doc).toEqual(doc);
    expect(row.tags).toEqual(tags);
    expect(row.id).toBe(id);
    expect(Buffer.from(row.blob as Uint8Array).equals(blob)).toBe(true);
    expect(row.nothing).toBeNull();
  });

  it('surfaces a unique violation as a NeonDbError with code and constraint', async () => {
    const sql = neon(dbUrl);
    await sql`INSERT INTO accounts (email) VALUES ('dup@example.com')`;
    const error = await sql`INSERT INTO accounts (email) VALUES ('dup@example.com')`.catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(NeonDbError);
    expect(error).toMatchObject({
      code: '23505',
      constraint: 'accounts_email_unique',
      table: 'accounts',
      schema: 'public',
      severity: 'ERROR',
      detail: 'Key (email)=(dup@example.com) already exists.',
    });
  });

  it('refuses several statements in one query, as Neon does', async () => {
    const sql = neon(dbUrl);
    await expect(sql.query('SELECT 1; SELECT 2')).rejects.toMatchObject({ code: '42601' });
  });

  it('runs a transaction atomically: a failing statement undoes the earlier ones', async () => {
    const sql = neon(dbUrl);
    await sql`INSERT INTO accounts (email) VALUES ('taken@example.com')`;
    await expect(
      sql.transaction([
        sql`INSERT INTO accounts (email) VALUES ('first@example.com')`,
        sql`INSERT INTO accounts (email) VALUES ('taken@example.com')`,
      ]),
    ).rejects.toMatchObject({ code: '23505' });
    expect(await countAccounts('first@example.com')).toBe(0);

    const [inserted, counted] = await sql.transaction((tx) => [
      tx`INSERT INTO accounts (email) VALUES ('second@example.com') RETURNING email`,
      tx`SELECT count(*)::int AS n FROM accounts WHERE email = 'second@example.com'`,
    ]);
    expect(inserted).toEqual([{ email: 'second@example.com' }]);
    expect(counted).toEqual([{ n: 1 }]);
  });

  it('applies the transaction isolation level, read-only and deferrable options', async () => {
    const sql = neon(dbUrl);
    const results = await sql.transaction(
      [
        sql`SHOW transaction_isolation`,
        sql`SHOW transaction_read_only`,
        sql`SHOW transaction_deferrable`,
      ],
      { isolationLevel: 'Serializable', readOnly: true, deferrable: true },
    );
    expect(results.map((rows) => Object.values(rows[0] ?? {})[0])).toEqual([
      'serializable',
      'on',
      'on',
    ]);
    await expect(
      sql.transaction([sql`INSERT INTO accounts (email) VALUES ('ro@example.com')`], {
        readOnly: true,
      }),
    ).rejects.toMatchObject({ code: '25006' });
  });

  it('answers objects with JSON values when array mode and raw text are off', async () => {
    const response = await fetch(proxy.fetchEndpoint, {
      method: 'POST',
      headers: { 'Neon-Connection-String': dbUrl },
      body: JSON.stringify({
        query: 'SELECT $1::int AS n, 2::bigint AS big, true AS ok, \'{"a":1}\'::jsonb AS doc',
        params: [7],
      }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { rowAsArray: boolean; rows: unknown[] };
    expect(body.rowAsArray).toBe(false);
    expect(body.rows).toEqual([{ n: 7, big: '2', ok: true, doc: { a: 1 } }]);
  });
});

describe('HTTP mode connections', () => {
  it('drops a connection left inside a transaction instead of reusing it', async () => {
    const sql = neon(dbUrl);
    await sql`CREATE TABLE lone_begin (n int)`;
    // More than the stand-in's pool, so that every pooled connection has seen a BEGIN.
    for (let i = 0; i < 6; i++) await sql`BEGIN`;
    for (let n = 0; n < 6; n++) await sql`INSERT INTO lone_begin VALUES (${n})`;

    expect(await direct('SELECT count(*)::int AS n FROM lone_begin')).toEqual([{ n: 6 }]);
    expect(
      await direct(
        `SELECT pid FROM pg_stat_activity
         WHERE datname = current_database() AND state LIKE 'idle in transaction%'`,
      ),
    ).toEqual([]);
  });

  it('cancels the query of a client that gave up, so the next query gets a connection', async () => {
    const sql = neon(dbUrl);
    // One more than the stand-in's pool holds, each aborted by the driver's fetch signal the
    // way lib/db aborts at DB_TIMEOUT_MS.
    const aborted = await Promise.allSettled(
      Array.from({ length: 6 }, () =>
        sql.query('SELECT pg_sleep(5)', [], {
          fetchOptions: { signal: AbortSignal.timeout(300) },
        }),
      ),
    );
    expect(aborted.map((outcome) => outcome.status)).toEqual(Array(6).fill('rejected'));

    // Well inside the 5 s the sleeps would otherwise hold every pooled connection.
    const rows = await sql.query('SELECT 1 AS one', [], {
      fetchOptions: { signal: AbortSignal.timeout(1_000) },
    });
    expect(rows).toEqual([{ one: 1 }]);
    await vi.waitFor(
      async () => {
        const sleeping = await direct(
          `SELECT pid FROM pg_stat_activity
           WHERE datname = current_database() AND query = 'SELECT pg_sleep(5)'
             AND state = 'active'`,
        );
        expect(sleeping).toEqual([]);
      },
      { timeout: 1_000, interval: 50 },
    );
  });

  it('refuses an answer over 10 MiB with 507, as Neon does, and rolls the batch back', async () => {
    const sql = neon(dbUrl);
    const megabytes = (n: number) =>
      sql.query(`SELECT repeat('x', 1024 * 1024) AS mb FROM generate_series(1, ${n})`);
    await expect(megabytes(9)).resolves.toHaveLength(9);

    const tooLarge =
      /^Server error \(HTTP status 507\): .*response is too large \(max is 10485760 bytes\)/;
    const error = await megabytes(11).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NeonDbError);
    expect((error as Error).message).toMatch(tooLarge);

    await expect(
      sql.transaction([
        sql`INSERT INTO accounts (email) VALUES ('too-large@example.com')`,
        megabytes(11),
      ]),
    ).rejects.toThrow(tooLarge);
    expect(await countAccounts('too-large@example.com')).toBe(0);
  });

  it('reads a batch option header that is not exactly "true" as false, as Neon does', async () => {
    const response = await fetch(proxy.fetchEndpoint, {
      method: 'POST',
      headers: {
        'Neon-Connection-String': dbUrl,
        'Neon-Batch-Read-Only': 'yes',
        'Neon-Batch-Deferrable': 'TRUE',
      },
      body: JSON.stringify({
        queries: [
          { query: "INSERT INTO accounts (email) VALUES ('lenient@example.com')", params: [] },
          { query: 'SHOW transaction_deferrable', params: [] },
        ],
      }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { results: { rows: unknown[] }[] };
    expect(body.results[1]?.rows).toEqual([{ transaction_deferrable: 'off' }]);
    expect(await countAccounts('lenient@example.com')).toBe(1);
  });
});

describe('HTTP mode through drizzle-orm/neon-http', () => {
  it('inserts, selects and runs a batch in one transaction', async () => {
    const db = drizzleHttp(neon(dbUrl));
    const [created] = await db
      .insert(accounts)
      .values({ email: 'drizzle-http@example.com', credits: 3 })
      .returning();
    expect(created).toMatchObject({ email: 'drizzle-http@example.com', credits: 3 });

    const found = await db
      .select()
      .from(accounts)
      .where(eq(accounts.id, created?.id ?? -1));
    expect(found).toEqual([created]);

    const [updated, listed] = await db.batch([
      db
        .update(accounts)
        .set({ credits: dsql`${accounts.credits} + 1` })
        .where(eq(accounts.email, 'drizzle-http@example.com'))
        .returning({ credits: accounts.credits }),
      db
        .select({ credits: accounts.credits })
        .from(accounts)
        .where(eq(accounts.email, 'drizzle-http@example.com')),
    ]);
    expect(updated).toEqual([{ credits: 4 }]);
    expect(listed).toEqual([{ credits: 4 }]);

    await expect(
      db.batch([
        db.insert(accounts).values({ email: 'batch-1@example.com' }),
        db.insert(accounts).values({ email: 'drizzle-http@example.com' }),
      ]),
    ).rejects.toThrow();
    expect(await countAccounts('batch-1@example.com')).toBe(0);
  });
});

describe('WebSocket mode', () => {
  it('keeps an interactive transaction on one session: COMMIT keeps, ROLLBACK undoes', async () => {
    const client = await wsPool().connect();
    try {
      await client.query('BEGIN');
      await client.query('INSERT INTO accounts (email) VALUES ($1)', ['ws-commit@example.com']);
      const inside = await client.query(
        'SELECT count(*)::int AS n FROM accounts WHERE email = $1',
        ['ws-commit@example.com'],
      );
      expect(inside.rows).toEqual([{ n: 1 }]);
      expect(await countAccounts('ws-commit@example.com')).toBe(0);
      await client.query('COMMIT');

      await client.query('BEGIN');
      await client.query('INSERT INTO accounts (email) VALUES ($1)', ['ws-rollback@example.com']);
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
    expect(await countAccounts('ws-commit@example.com')).toBe(1);
    expect(await countAccounts('ws-rollback@example.com')).toBe(0);
  });

  it('reports Postgres errors with their code over the socket', async () => {
    await expect(wsPool().query('SELECT 1/0')).rejects.toMatchObject({ code: '22012' });
  });

  it('runs drizzle-orm/neon-serverless transactions', async () => {
    const db = drizzleWs(wsPool());
    await db.transaction(async (tx) => {
      await tx.insert(accounts).values({ email: 'drizzle-ws@example.com', credits: 1 });
      await tx
        .update(accounts)
        .set({ credits: 2 })
        .where(eq(accounts.email, 'drizzle-ws@example.com'));
    });
    await expect(
      db.transaction(async (tx) => {
        await tx.insert(accounts).values({ email: 'drizzle-ws-undone@example.com' });
        tx.rollback();
      }),
    ).rejects.toThrow();
    const rows = await db
      .select({ email: accounts.email, credits: accounts.credits })
      .from(accounts)
      .where(dsql`${accounts.email} LIKE 'drizzle-ws%'`);
    expect(rows).toEqual([{ email: 'drizzle-ws@example.com', credits: 2 }]);
  });

  it('refuses to tunnel to a host other than this machine', async () => {
    const url = `ws://${proxy.wsProxy('10.1.2.3', 5432)}`;
    const status = await new Promise<number | undefined>((resolve) => {
      const ws = new WebSocket(url);
      ws.on('unexpected-response', (_req, res) => {
        resolve(res.statusCode);
        ws.terminate();
      });
      ws.on('open', () => {
        resolve(101);
        ws.terminate();
      });
      ws.on('error', () => resolve(undefined));
    });
    expect(status).toBe(403);
  });

  it('ends open sessions when the proxy closes', async () => {
    const own = await startNeonProxy();
    await fetch(own.fetchEndpoint, {
      method: 'POST',
      headers: { 'Neon-Connection-String': dbUrl },
      body: JSON.stringify({ query: 'SELECT 1', params: [] }),
    });
    const client = new Client(dbUrl);
    client.neonConfig.wsProxy = own.wsProxy;
    await client.connect();
    expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    const ended = new Promise<void>((resolve) => {
      client.on('error', () => resolve());
      client.on('end', () => resolve());
    });

    await own.close();
    await ended;
    await expect(client.query('SELECT 1')).rejects.toThrow();
  });
});
