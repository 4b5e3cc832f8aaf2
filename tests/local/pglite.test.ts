// The embedded fallback of `npm run dev` itself, through the real Neon driver and the local
// stand-ins. App tests never run on PGlite; they use the real Postgres.
import { connect } from 'node:net';
import { NeonDbError, neon, Pool } from '@neondatabase/serverless';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useLocalNeon } from '#local/emulators/neon/config';
import { type NeonProxy, startNeonProxy } from '#local/emulators/neon/index';
import { type EmbeddedPostgres, startPglite } from '#local/emulators/pglite/index';

let pglite: EmbeddedPostgres;
let proxy: NeonProxy;
let closed = false;
const pools: Pool[] = [];

function wsPool(): Pool {
  const pool = new Pool({ connectionString: pglite.connectionString, max: 1 });
  pool.on('error', () => {});
  pools.push(pool);
  return pool;
}

async function closeServers(): Promise<void> {
  closed = true;
  await proxy?.close();
  await pglite?.close();
}

beforeAll(async () => {
  pglite = await startPglite({});
  proxy = await startNeonProxy();
  useLocalNeon(proxy);
  const sql = neon(pglite.connectionString);
  await sql`CREATE EXTENSION btree_gist`;
  await sql`
    CREATE TABLE stays (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      listing_id int NOT NULL,
      check_in date NOT NULL,
      check_out date NOT NULL,
      status text NOT NULL DEFAULT 'confirmed',
      CONSTRAINT stays_no_overlap EXCLUDE USING gist
        (listing_id WITH =, daterange(check_in, check_out, '[)') WITH &&)
        WHERE (status IN ('pending', 'confirmed'))
    )`;
});

afterAll(async () => {
  if (!closed) await closeServers();
  await Promise.all(pools.map((pool) => pool.end().catch(() => {})));
});

function stays(listingId: number): Promise<number> {
  const sql = neon(pglite.connectionString);
  return sql`SELECT count(*)::int AS n FROM stays WHERE listing_id = ${listingId}`.then(
    (rows) => rows[0]?.n as number,
  );
}

describe('PGlite behind the Neon stand-ins', () => {
  it('answers HTTP-mode queries and runs a batch as one transaction', async () => {
    const sql = neon(pglite.connectionString);
    expect(await sql`SELECT ${2}::int + ${3}::int AS sum`).toEqual([{ sum: 5 }]);

    const [inserted, counted] = await sql.transaction([
      sql`INSERT INTO stays (listing_id, check_in, check_out)
          VALUES (1, '2030-01-01', '2030-01-05') RETURNING listing_id`,
      sql`SELECT count(*)::int AS n FROM stays WHERE listing_id = 1`,
    ]);
    expect(inserted).toEqual([{ listing_id: 1 }]);
    expect(counted).toEqual([{ n: 1 }]);
  });

  it('refuses an overlapping stay with 23P01, and accepts a back-to-back one', async () => {
    const sql = neon(pglite.connectionString);
    await sql`INSERT INTO stays (listing_id, check_in, check_out)
              VALUES (2, '2030-02-01', '2030-02-05')`;
    const error = await sql`INSERT INTO stays (listing_id, check_in, check_out)
                            VALUES (2, '2030-02-04', '2030-02-08')`.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NeonDbError);
    expect(error).toMatchObject({ code: '23P01', constraint: 'stays_no_overlap' });

    await sql`INSERT INTO stays (listing_id, check_in, check_out)
              VALUES (2, '2030-02-05', '2030-02-08')`;
    expect(await stays(2)).toBe(2);
  });

  it('keeps a WebSocket transaction on its session: COMMIT keeps, ROLLBACK undoes', async () => {
    const client = await wsPool().connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO stays (listing_id, check_in, check_out) VALUES ($1, $2, $3)`,
        [3, '2030-03-01', '2030-03-04'],
      );
      await expect(
        client.query(`INSERT INTO stays (listing_id, check_in, check_out) VALUES ($1, $2, $3)`, [
          3,
          '2030-03-02',
          '2030-03-03',
        ]),
      ).rejects.toMatchObject({ code: '23P01' });
      await client.query('ROLLBACK');

      await client.query('BEGIN');
      await client.query(
        `INSERT INTO stays (listing_id, check_in, check_out) VALUES ($1, $2, $3)`,
        [3, '2030-03-10', '2030-03-12'],
      );
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    expect(await stays(3)).toBe(1);
  });

  it('lets queries that waited behind an open transaction each get their own answer', async () => {
    const holder = await wsPool().connect();
    const other = await wsPool().connect();
    const sql = neon(pglite.connectionString);
    try {
      await holder.query('BEGIN');
      await holder.query(
        `INSERT INTO stays (listing_id, check_in, check_out) VALUES ($1, $2, $3)`,
        [4, '2030-04-01', '2030-04-02'],
      );
      // Two sessions queue up with parameterised queries of different shapes: the stock
      // pglite-socket queue interleaved their messages here and answered one with the other's.
      const viaWs = other.query('SELECT $1::int * 2 AS doubled', [21]);
      // neon() sends a query only once something awaits it.
      const viaHttp = sql`SELECT ${'http'}::text AS who, count(*)::int AS n
                          FROM stays WHERE listing_id = ${4}`.then((rows) => rows);
      await new Promise((resolve) => setTimeout(resolve, 50));
      await holder.query('COMMIT');

      expect(await viaHttp).toEqual([{ who: 'http', n: 1 }]);
      expect((await viaWs).rows).toEqual([{ doubled: 42 }]);
    } finally {
      holder.release();
      other.release();
    }
  });

  it('rolls back the transaction of a connection that goes away, and carries on', async () => {
    const pool = wsPool();
    const client = await pool.connect();
    await client.query('BEGIN');
    await client.query(`INSERT INTO stays (listing_id, check_in, check_out) VALUES ($1, $2, $3)`, [
      5,
      '2030-05-01',
      '2030-05-02',
    ]);
    client.release(true);
    await pool.end();

    expect(await stays(5)).toBe(0);
  });

  it('closes promptly with sessions still open, one of them inside a transaction', async () => {
    await stays(1);
    const idle = await wsPool().connect();
    await idle.query('SELECT 1');
    const busy = await wsPool().connect();
    await busy.query('BEGIN');

    const outcome = await Promise.race([
      closeServers().then(() => 'closed'),
      new Promise((resolve) => setTimeout(() => resolve('still closing'), 3_000).unref()),
    ]);
    expect(outcome).toBe('closed');

    const refused = await new Promise<boolean>((resolve) => {
      const socket = connect(pglite.port, '127.0.0.1');
      socket.on('connect', () => resolve(socket.destroy() && false));
      socket.on('error', () => resolve(true));
    });
    expect(refused).toBe(true);
    idle.release();
    busy.release();
  });
});
