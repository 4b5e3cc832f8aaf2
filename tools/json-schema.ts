import * as z from 'zod';

export type Json = Record<string, unknown>;

/**
 * A zod schema as JSON Schema for the documents and the client's types, without `$schema`:
 * draft 2020-12 for OpenAPI 3.1, draft-07 for AsyncAPI (its default format is a superset of
 * that draft, not of 2020-12). Transforms and refinements are checked by the function; the
 * document gives the shape.
 */
export const jsonSchema = (
  schema: z.core.$ZodType,
  io: 'input' | 'output',
  target: 'draft-2020-12' | 'draft-07' = 'draft-2020-12',
): Json => {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, {
    target,
    io,
    unrepresentable: 'any',
  }) as Json;
  return rest;
};
