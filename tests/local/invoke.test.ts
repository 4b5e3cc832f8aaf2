import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEV_ENV_NAMES, devEnvFrom, readDevEnv, writeDevEnv } from '#local/runtime/dev-env';
import { freePort, startLocalStack } from '#tests/support/stack';
import { root } from '#tools/root';

// A running dev, as far as invoke can tell: the gateway, QStash and S3 of a local stack,
// this file's database behind its Neon stand-in, and a dev.env that says where they are.
const stack = await startLocalStack();
const dir = await mkdtemp(path.join(tmpdir(), 'invoke-'));
const devEnv = path.join(dir, 'dev.env');
await writeDevEnv(devEnvFrom(process.env), devEnv);
afterAll(async () => {
  await stack.close();
  await rm(dir, { recursive: true, force: true });
});

// The child gets dev's variables only from the file, as it would from a terminal.
const shellEnv = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !(DEV_ENV_NAMES as readonly string[]).includes(k)),
);

/** `node local/invoke.ts ...` on Node 24, as `npm run invoke` runs it. */
function invoke(args: string[], file = devEnv) {
  const child = spawn(process.execPath, [path.join(root, 'local', 'invoke.ts'), ...args], {
    cwd: root,
    env: { ...shellEnv, DEV_ENV_FILE: file },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
}

/** The printed result: the multi-line JSON after any one-line log records. */
function resultOf(stdout: string) {
  const start = stdout.startsWith('{\n') ? 0 : stdout.indexOf('\n{\n') + 1;
  const result = JSON.parse(stdout.slice(start)) as { statusCode: number; body: string };
  return { statusCode: result.statusCode, body: JSON.parse(result.body) };
}

describe.concurrent('npm run invoke beside a running dev', () => {
  it('calls a role route with a real access token of a dev principal of the --as role', async () => {
    const run = await invoke(['me/get-me', '--as', 'host']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^as host invoke-host@example\.com \([0-9a-f-]{36}\)$/m);
    const { statusCode, body } = resultOf(run.stdout);
    expect(statusCode).toBe(200);
    expect(body).toMatchObject({ role: 'host', email: 'invoke-host@example.com' });
    expect(run.stderr).toContain(body.id);
  });

  it('acts as an admin it creates on first use, as npm run admin:create would', async () => {
    const run = await invoke(['me/get-me', '--as', 'admin']);
    expect(run.stderr).toMatch(/^as admin invoke-admin@example\.com /m);
    expect(resultOf(run.stdout)).toMatchObject({
      statusCode: 200,
      body: { role: 'admin', email: 'invoke-admin@example.com', name: 'Invoke Admin' },
    });
  });

  it('refuses a role the route does not allow and names the ones it does', async () => {
    const run = await invoke(['listings/list-host-listings', '--as', 'user']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim()).toBe(
      'GET /listings (listings/list-host-listings) does not allow user; it allows host.',
    );
  });

  it('signs a job delivery as QStash does, so the job runs and its message reaches the outbox', async () => {
    const text = `Your code is ${randomBytes(3).readUIntBE(0, 3) % 1_000_000}`;
    const event = path.join(dir, 'send-sms.json');
    const sample = (
      await import('../../events/jobs/send-sms.default.json', { with: { type: 'json' } })
    ).default;
    await writeFile(
      event,
      JSON.stringify({ ...sample, body: JSON.stringify({ to: '+2348012345678', text }) }),
    );
    const run = await invoke(['jobs/send-sms', event]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`as QStash: message msg_invoke_`);
    expect(resultOf(run.stdout)).toMatchObject({ statusCode: 200, body: { status: 'done' } });
    expect((await stack.outbox()).filter((l) => l.text === text)).toMatchObject([
      { channel: 'sms', to: '+2348012345678', text },
    ]);
  });
});

describe.concurrent('npm run invoke without a running dev', () => {
  it('says dev.env is missing and to start dev, without a stack trace', async () => {
    const missing = path.join(dir, 'absent.env');
    const run = await invoke(['me/get-me', '--as', 'host'], missing);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim()).toBe(
      `${missing} not found: run \`npm run dev\` first (in another terminal), then invoke again.`,
    );
  });

  it('says dev is not running when the gateway in dev.env does not answer', async () => {
    const stale = path.join(dir, 'stale.env');
    const api = `http://127.0.0.1:${await freePort()}`;
    await writeDevEnv({ ...devEnvFrom(process.env), PUBLIC_API_URL: api }, stale);
    const run = await invoke(['me/get-me'], stale);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim()).toBe(
      `npm run dev is not running: no answer at ${api}; start it in another terminal (${stale} is left from an earlier run).`,
    );
  });
});

describe('dev.env', () => {
  it('gives back values that need quoting, as node --env-file reads them', async () => {
    const file = path.join(dir, 'quoted.env');
    const env = {
      DATABASE_URL: 'postgres://ops:p#ss word@db.example.com/app',
      OTP_SECRET: `it's "quoted"`,
    };
    await writeDevEnv(env, file);
    expect(await readDevEnv(file)).toEqual(env);
  });
});
