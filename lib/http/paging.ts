import * as z from 'zod';

/** `?limit&offset` for lists: limit 1–50 (default 20), offset ≥ 0. */
export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(50).default(20),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
};
