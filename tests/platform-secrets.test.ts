import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '#lib/platform/config';
import { loadSecrets } from '#lib/platform/secrets';

/** A stand-in for the Parameters and Secrets extension's local HTTP endpoint. */
const stored: Record<string, string> = {
  'marketplace/production/DATABASE_URL': 'postgres://app:pw@db.example.com/app',
  'marketplace/production/OTP_SECRET': 'o'.repeat(40),
  'marketplace/production/SENTRY_DSN': ' ',
};
const seen: IncomingMessage[] = [];
const extension = createServer((req, res) => {
  seen.push(req);
  const url = new URL(req.url ?? '/', 'http://localhost');
  const id = url.searchParams.get('secretId') ?? '';
  if (req.headers['x-aws-parameters-secrets-token'] !== 'session-token') {
    res.writeHead(401).end();
  } else if (url.pathname === '/secretsmanager/get' && id in stored) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ Name: id, SecretString: stored[id] }));
  } else {
    res.writeHead(400).end('not found');
  }
});
let port = '';

beforeAll(async () => {
  extension.listen(0, '127.0.0.1');
  await once(extension, 'listening');
  port = String((extension.address() as AddressInfo).port);
});
afterAll(() => extension.close());

const lambdaEnv = (names: string) => ({
  SECRET_NAMES: names,
  SECRETS_PREFIX: 'marketplace/production/',
  AWS_SESSION_TOKEN: 'session-token',
  PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: port,
});

describe('secrets at cold start', () => {
  it('puts the function’s secrets into its environment, asking with the session token', async () => {
    const env: NodeJS.ProcessEnv = lambdaEnv('DATABASE_URL,OTP_SECRET,SENTRY_DSN');
    await loadSecrets(env);
    // A blank one is an optional service left off.
    expect(env).not.toHaveProperty('SENTRY_DSN');
    expect(env.DATABASE_URL).toBe(stored['marketplace/production/DATABASE_URL']);
    expect(env.OTP_SECRET).toBe('o'.repeat(40));
    expect(seen.at(-1)?.headers['x-aws-parameters-secrets-token']).toBe('session-token');
  });

  it('fails the cold start, naming the secret but not its value, when one cannot be read', async () => {
    const env: NodeJS.ProcessEnv = lambdaEnv('DATABASE_URL,PAYSTACK_SECRET_KEY');
    await expect(loadSecrets(env)).rejects.toThrow(
      'secrets: marketplace/production/PAYSTACK_SECRET_KEY answered 400',
    );
  });

  it('does nothing locally, where no secrets are named', async () => {
    const env: NodeJS.ProcessEnv = { DATABASE_URL: 'postgres://local' };
    const before = seen.length;
    await loadSecrets(env);
    expect(env).toEqual({ DATABASE_URL: 'postgres://local' });
    expect(seen.length).toBe(before);
  });

  it('in production, requires only the secrets a function was given', () => {
    const base = {
      APP_ENV: 'production',
      UPSTASH_REDIS_REST_URL: 'https://cache.example.com',
      PAYSTACK_CALLBACK_URL: 'https://app.example.com/paid',
      EMAIL_PROVIDER: 'ses',
      EMAIL_FROM: 'hello@example.com',
      SMS_PROVIDER: 'termii',
      TERMII_SENDER_ID: 'Market',
      PUSH_PROVIDER: 'expo',
    };
    expect(() =>
      parseConfig({ ...base, SECRET_NAMES: 'DATABASE_URL', DATABASE_URL: 'postgres://x/y' }),
    ).not.toThrow();
    const given = () => parseConfig({ ...base, SECRET_NAMES: 'DATABASE_URL,OTP_SECRET' });
    expect(given).toThrow(/DATABASE_URL: required in production/);
    expect(given).toThrow(/OTP_SECRET: required in production/);
    expect(given).not.toThrow(/JWT_SIGNING_KEYS|PAYSTACK_SECRET_KEY|QSTASH_TOKEN/);
    // Not told which (a production-like run elsewhere): every secret is required.
    expect(() => parseConfig({ ...base, DATABASE_URL: 'postgres://x/y' })).toThrow(
      /JWT_SIGNING_KEYS: required in production/,
    );
    expect(() => parseConfig({ ...base, DATABASE_URL: 'postgres://x/y' })).toThrow(
      /TERMII_API_KEY: required when SMS_PROVIDER is termii/,
    );
    // The SMS job, given the Termii key, needs it.
    expect(() =>
      parseConfig({ ...base, SECRET_NAMES: 'TERMII_API_KEY', TERMII_API_KEY: undefined }),
    ).toThrow(/TERMII_API_KEY: required when SMS_PROVIDER is termii/);
  });
});
