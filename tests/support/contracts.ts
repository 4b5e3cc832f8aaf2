import * as z from 'zod';
import { anyone, type Contract } from '#lib/http/contract';

const base = {
  method: 'GET',
  path: '/test',
  fn: 'test/test',
  auth: anyone,
  description: 'A route built by a test',
  responses: { 200: z.unknown() },
} as const;

/**
 * A public contract for handler-stack tests, which build their own handlers: any 200
 * body, unless `extra` replaces the schemas, responses or auth.
 */
export const testContract = <const E extends Partial<Contract>>(extra: E) =>
  ({ ...base, ...extra }) as Omit<typeof base, keyof E> & E;
