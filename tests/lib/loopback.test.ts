import { describe, expect, it } from 'vitest';
import { isLoopback } from '#lib/auth/rate-limit';

// The one address class `npm run dev` exempts from per-address limits: anything else that
// passed as loopback would be an address a stranger could hide behind.
describe('a loopback address', () => {
  it('is IPv4 127/8, ::1, and 127/8 mapped into IPv6', () => {
    for (const ip of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1']) {
      expect(isLoopback(ip), ip).toBe(true);
    }
  });

  it('is nothing else: private, public, mapped or malformed addresses', () => {
    for (const ip of [
      '10.0.0.1',
      '192.168.1.20',
      '41.58.0.1',
      '::ffff:10.0.0.1',
      '::2',
      'fe80::1',
      '0:0:0:0:0:0:0:2',
      '1127.0.0.1',
      '127.0.0.1.example.com',
      '127.0.0',
      '',
    ]) {
      expect(isLoopback(ip), ip).toBe(false);
    }
  });
});
