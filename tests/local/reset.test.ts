import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { localDatabaseUrl } from '#tools/database-url';
import { canConnect, dropDatabase, ensureDatabase } from '#tools/db';
import { root } from '#tools/root';

const run = promisify(execFile);
const url = new URL(process.env.DATABASE_URL as string);
url.pathname = `${url.pathname}_reset_${randomBytes(3).toString('hex')}`;
const dir = await mkdtemp(path.join(tmpdir(), 'reset-'));
const redis = new Redis();
afterAll(async () => {
  await dropDatabase(url.toString());
  await rm(dir, { recursive: true, force: true });
  redis.disconnect();
});

/** `npm run reset` as a newcomer runs it, in a checkout whose local state is in `dir`. */
const reset = (...args: string[]) =>
  run(process.execPath, [path.join(root, 'local/reset.ts'), ...args], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: url.toString(), PORT: '1' },
  });

describe('npm run reset', () => {
  it('with --limits ends every rate-limit window and keeps the rest', async () => {
    await ensureDatabase(url.toString(), `marketplace_test_template_${process.env.TEST_RUN_ID}`);
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    await client.query(
      "insert into rate_limits (key, hits, window_ends) values ('otp-request:ip:127.0.0.1', 20, now() + interval '1 hour')",
    );
    await client.query("insert into admins (email) values ('ops@example.com')");
    const { stdout } = await reset('--limits');
    expect(stdout).toMatch(/Rate limits reset \(1 windows ended\)/);
    expect((await client.query('select * from rate_limits')).rows).toEqual([]);
    expect((await client.query('select email from admins')).rows).toEqual([
      { email: 'ops@example.com' },
    ]);
    await client.end();
  });

  it('wipes the database, .local/ and this database’s cache entries, and nothing else', async () => {
    await mkdir(path.join(dir, '.local/s3'), { recursive: true });
    await writeFile(path.join(dir, '.local/outbox.jsonl'), '{}\n');
    const { cacheKey } = await import('#lib/platform/cache');
    // cacheKey's namespace was fixed by this worker's own database: derive the reset one's.
    const { stdout: prefix } = await run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "const { cacheKey } = await import('#lib/platform/cache'); process.stdout.write(cacheKey(''))",
      ],
      {
        cwd: root,
        env: { PATH: process.env.PATH ?? '', DATABASE_URL: url.toString(), LOG_LEVEL: 'SILENT' },
      },
    );
    await redis.set(`${prefix}catalogue:generation`, '7');
    await redis.set(cacheKey('catalogue:generation'), '3');

    const { stdout } = await reset();
    expect(stdout).toMatch(/dropped/);
    expect(stdout).toMatch(/1 entries of this database removed/);
    expect(await canConnect(url.toString())).toBe(true);
    const admin = new pg.Client({
      connectionString: url.toString().replace(/\/[^/]+$/, '/postgres'),
    });
    await admin.connect();
    const { rowCount } = await admin.query('select 1 from pg_database where datname = $1', [
      url.pathname.slice(1),
    ]);
    await admin.end();
    expect(rowCount).toBe(0);
    await expect(stat(path.join(dir, '.local'))).rejects.toThrow();
    expect(await redis.get(`${prefix}catalogue:generation`)).toBeNull();
    expect(await redis.get(cacheKey('catalogue:generation'))).toBe('3');
    await redis.del(cacheKey('catalogue:generation'));
  });

  it('refuses a database that is not on this machine', async () => {
    const refused = await run(process.execPath, [path.join(root, 'local/reset.ts')], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: 'postgres://u:p@ep-cool.neon.tech/main' },
    }).catch((e: { code: number; stderr: string }) => e);
    expect(refused).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/Refusing to reset ep-cool\.neon\.tech/),
    });
    const other = await run(process.execPath, [path.join(root, 'local/reset.ts')], {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? '',
        DATABASE_URL: localDatabaseUrl('postgres'),
      },
    }).catch((e: { code: number; stderr: string }) => e);
    expect(other).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/127\.0\.0\.1\/postgres/),
    });
  });
});
