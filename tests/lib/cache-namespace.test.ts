import { describe, expect, it } from 'vitest';
import { cacheNamespace } from '#lib/platform/cache';

const of = (DATABASE_URL: string | undefined, CACHE_NAMESPACE?: string) =>
  cacheNamespace({ DATABASE_URL, CACHE_NAMESPACE });

describe('the cache namespace', () => {
  it('is CACHE_NAMESPACE when set, whatever the database', () => {
    expect(of('postgres://a@db.example.com/one', 'marketplace-staging')).toBe(
      'marketplace-staging',
    );
  });

  it('is 10 hex digits naming the database host, port and name, not its credentials or options', () => {
    const base = of('postgres://app:secret@db.example.com:5432/marketplace');
    expect(base).toMatch(/^[0-9a-f]{10}$/);
    expect(of('postgres://other:pw@db.example.com/marketplace?sslmode=require')).toBe(base);
    expect(of('postgres://app@db.example.com:5433/marketplace')).not.toBe(base);
    expect(of('postgres://app@db2.example.com/marketplace')).not.toBe(base);
    expect(of('postgres://app@db.example.com/marketplace_test')).not.toBe(base);
  });

  it('is one fixed namespace without a database, apart from every database', () => {
    const none = of(undefined);
    expect(none).toMatch(/^[0-9a-f]{10}$/);
    expect(of(undefined)).toBe(none);
    expect(of('postgres://app@localhost/none')).not.toBe(none);
  });
});
