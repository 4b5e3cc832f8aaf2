import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { routes } from '#lib/routes';
import { openApiDocument } from '#tools/openapi-document';
import { root } from '#tools/root';

const document = openApiDocument() as {
  openapi: string;
  paths: Record<string, Record<string, Record<string, unknown>>>;
};

describe('the OpenAPI document', () => {
  it('is committed as npm run openapi writes it (run it after changing a contract)', async () => {
    const committed = JSON.parse(await readFile(path.join(root, 'docs', 'openapi.json'), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(document)));
  });

  it('is valid OpenAPI 3.1, by a maintained validator of the specification schema', async () => {
    const result = await new Validator().validate(JSON.parse(JSON.stringify(document)));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    // And it does refuse a document that is not one: no `info`.
    const { info: _, ...broken } = JSON.parse(JSON.stringify(document));
    expect((await new Validator().validate(broken)).valid).toBe(false);
  });

  it('has every route of the table, with its parameters, body, responses and security', () => {
    expect(document.openapi).toBe('3.1.0');
    for (const r of routes) {
      const op = document.paths[r.path]?.[r.method.toLowerCase()] as
        | {
            parameters?: Array<{ name?: string; in?: string; $ref?: string }>;
            requestBody?: unknown;
            responses: Record<string, unknown>;
            security: unknown[];
          }
        | undefined;
      expect(op, `${r.method} ${r.path}`).toBeDefined();
      if (!op) continue;
      for (const name of (r.path.match(/\{(\w+)\}/g) ?? []).map((p) => p.slice(1, -1))) {
        expect(
          op.parameters?.some((p) => p.in === 'path' && p.name === name),
          `${r.path} {${name}}`,
        ).toBe(true);
      }
      expect(op.requestBody !== undefined, `${r.method} ${r.path} body`).toBe(r.body !== undefined);
      for (const status of Object.keys(r.responses)) {
        expect(op.responses[status], `${r.method} ${r.path} ${status}`).toBeDefined();
      }
      expect(op.responses['4XX']).toBeDefined();
      expect(op.security.length === 0, `${r.method} ${r.path} security`).toBe(
        r.auth.kind === 'public',
      );
    }
    const booking = document.paths['/bookings']?.post as { parameters: Array<{ $ref?: string }> };
    expect(booking.parameters).toContainEqual({ $ref: '#/components/parameters/IdempotencyKey' });
  });
});
