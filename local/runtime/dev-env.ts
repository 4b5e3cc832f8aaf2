// `.local/dev.env`: what `npm run dev` gives its functions, for the commands that run
// beside it (`npm run invoke`, `npm run enqueue`, `npm run schedules:sync`). It exists
// only while dev runs; dev removes it when it stops.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { root } from '#tools/root';

/** Tests point it elsewhere, so they never touch a running dev's file. */
export const devEnvFile = () => process.env.DEV_ENV_FILE ?? path.join(root, '.local', 'dev.env');

/** The variables dev sets for its functions: its database, stand-ins and local secrets. */
export const DEV_ENV_NAMES = [
  'DATABASE_URL',
  'NEON_LOCAL_PROXY_URL',
  'UPSTASH_REDIS_REST_URL',
  'UPSTASH_REDIS_REST_TOKEN',
  'S3_ENDPOINT',
  'S3_PUBLIC_BUCKET',
  'S3_PRIVATE_BUCKET',
  'CDN_BASE_URL',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_REGION',
  'QSTASH_URL',
  'QSTASH_TOKEN',
  'QSTASH_CURRENT_SIGNING_KEY',
  'QSTASH_NEXT_SIGNING_KEY',
  'PUBLIC_API_URL',
  'WS_CALLBACK_URL',
  'JWT_SIGNING_KEYS',
  'OTP_SECRET',
  'OUTBOX_FILE',
  'RATE_LIMIT_LOOPBACK_EXEMPT',
  'LOG_OPTIONAL_SERVICES',
] as const;

/** Those of DEV_ENV_NAMES that are set in `env`. */
export function devEnvFrom(env: NodeJS.ProcessEnv): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of DEV_ENV_NAMES) {
    const value = env[name];
    if (value) picked[name] = value;
  }
  return picked;
}

/** A value as `node --env-file` reads it back: quoted when it holds a space, `#` or a quote. */
function quote(value: string): string {
  if (/^[^\s#'"`\\]*$/.test(value)) return value;
  if (!value.includes("'")) return `'${value}'`;
  if (!value.includes('"')) return `"${value}"`;
  return `\`${value}\``;
}

export async function writeDevEnv(env: Record<string, string>, file = devEnvFile()): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const lines = Object.entries(env).map(([k, v]) => `${k}=${quote(v)}`);
  await writeFile(file, `${lines.join('\n')}\n`, { mode: 0o600 });
}

export async function removeDevEnv(): Promise<void> {
  await rm(devEnvFile(), { force: true });
}

/** The variables of a running dev, or undefined when the file is not there. */
export async function readDevEnv(file = devEnvFile()): Promise<Record<string, string> | undefined> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  return text === undefined ? undefined : (parseEnv(text) as Record<string, string>);
}
