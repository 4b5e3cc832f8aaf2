import { describe, expect, it } from 'vitest';
import { parseConfig } from '#lib/platform/config';

describe('config', () => {
  it('fills defaults for a bare environment', () => {
    const config = parseConfig({});
    expect(config.APP_ENV).toBe('development');
    expect(config.SENTRY_DSN).toBeUndefined();
  });

  it('fails fast naming each malformed variable', () => {
    expect(() =>
      parseConfig({ APP_ENV: 'prod', MAX_BODY_BYTES: 'lots', SENTRY_DSN: 'not a url' }),
    ).toThrow(/APP_ENV.*MAX_BODY_BYTES.*SENTRY_DSN/);
  });

  it('keeps every rate limit in deployed stages: the loopback exemption is refused there', () => {
    expect(parseConfig({}).RATE_LIMIT_LOOPBACK_EXEMPT).toBe(false);
    expect(parseConfig({ RATE_LIMIT_LOOPBACK_EXEMPT: 'true' }).RATE_LIMIT_LOOPBACK_EXEMPT).toBe(
      true,
    );
    expect(() => parseConfig({ APP_ENV: 'staging', RATE_LIMIT_LOOPBACK_EXEMPT: 'true' })).toThrow(
      /RATE_LIMIT_LOOPBACK_EXEMPT: is for local development/,
    );
  });

  it('refuses to start production without the cache that revocations and the catalogue rely on', () => {
    expect(() => parseConfig({ APP_ENV: 'production' })).toThrow(
      /UPSTASH_REDIS_REST_URL: required in production.*UPSTASH_REDIS_REST_TOKEN: required in production/,
    );
  });
});
