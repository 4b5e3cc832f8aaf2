import * as z from 'zod/mini';

/** `?limit&offset` for lists: limit 1–50 (default 20), offset ≥ 0. */
export const pageQuery = {
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(50)), 20),
  offset: z._default(z.coerce.number().check(z.int(), z.minimum(0), z.maximum(100_000)), 0),
};
