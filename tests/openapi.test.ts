import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod/mini';
import { priceStay } from '#lib/bookings/pricing';
import { errorBody } from '#lib/http/contract';
import { type Route, routes } from '#lib/routes';
import { openApiDocument } from '#tools/openapi-document';
import { EXAMPLES_AS_OF } from '#tools/openapi-examples';
import { root } from '#tools/root';

const document = openApiDocument() as {
  openapi: string;
  paths: Record<string, Record<string, Record<string, unknown>>>;
};

type Node = Record<string, unknown>;

/** Every object of the document holding an `example` or `examples`, with where it is. */
function* holders(node: unknown, at: string[] = []): Generator<{ at: string[]; node: Node }> {
  if (typeof node !== 'object' || node === null) return;
  if (!Array.isArray(node) && ('example' in node || 'examples' in node)) {
    yield { at, node: node as Node };
  }
  for (const [key, value] of Object.entries(node)) {
    if (key !== 'example' && key !== 'examples') yield* holders(value, [...at, key]);
  }
}

const issuesOf = (schema: z.core.$ZodType, value: unknown): string[] => {
  const result = z.safeParse(schema, value);
  return result.success
    ? []
    : result.error.issues.map((i) => `${i.path.join('.') || '(value)'}: ${i.message}`);
};

/**
 * Why the document's examples do not parse with the zod schemas they sit beside (a body's,
 * an answer's, the error envelope's; a route's parameters as one object), and where an
 * example sits that no schema checks; [] when every example parses.
 */
function exampleProblems(doc: unknown): string[] {
  const problems: string[] = [];
  const named = (where: string, schema: z.core.$ZodType | null | undefined, node: Node) => {
    const examples = {
      ...(node.examples as Record<string, { value: unknown }> | undefined),
      ...('example' in node ? { example: { value: node.example } } : {}),
    };
    if (!schema) problems.push(`${where}: examples beside no schema`);
    else
      for (const [name, { value }] of Object.entries(examples))
        for (const issue of issuesOf(schema, value)) problems.push(`${where} (${name}) ${issue}`);
  };
  const parameters = new Map<Route, { path: Node; query: Node }>();
  for (const { at, node } of holders(doc)) {
    const where = at.join(' ');
    const [top, path, method, part, status] = at;
    const route = routes.find((r) => r.path === path && r.method.toLowerCase() === method);
    const inside = (n: number) => at.slice(n).join(' ') === 'content application/json';
    if (where === 'components responses Error content application/json') {
      named(where, errorBody, node);
    } else if (top === 'paths' && route && part === 'requestBody' && inside(4)) {
      named(where, route.body, node);
    } else if (top === 'paths' && route && part === 'responses' && inside(5)) {
      named(where, route.responses[Number(status)], node);
    } else if (top === 'paths' && route && part === 'parameters' && at.length === 5) {
      const given = parameters.get(route) ?? { path: {}, query: {} };
      parameters.set(route, given);
      // Of its schema's type in the document; as text, the way a URL carries it, to the API.
      const type = (node.schema as Node | undefined)?.type;
      const typed =
        type === 'integer' ? Number.isInteger(node.example) : typeof node.example === type;
      if (!typed) problems.push(`${where}: ${JSON.stringify(node.example)} is not of type ${type}`);
      if (node.in === 'path') given.path[String(node.name)] = String(node.example);
      else if (node.in === 'query') given.query[String(node.name)] = String(node.example);
      else problems.push(`${where}: an example of a ${String(node.in)} parameter`);
    } else {
      problems.push(`${where}: an example that no schema checks`);
    }
  }
  for (const [route, given] of parameters) {
    const where = `${route.method} ${route.path}`;
    for (const [kind, schema, values] of [
      ['path', route.params, given.path],
      ['query', route.query, given.query],
    ] as const) {
      if (Object.keys(values).length === 0) continue;
      if (!schema) problems.push(`${where}: ${kind} examples beside no schema`);
      else for (const issue of issuesOf(schema, values)) problems.push(`${where} ${kind} ${issue}`);
    }
  }
  return problems;
}

/** The problems, read on the day the examples were taken: their stays are in its future. */
function exampleProblemsAsOfThen(doc: unknown): string[] {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date(EXAMPLES_AS_OF));
  try {
    return exampleProblems(doc);
  } finally {
    vi.useRealTimers();
  }
}

const media = (op: unknown, ...keys: string[]): Node | undefined =>
  keys.reduce<unknown>((n, k) => (n as Node | undefined)?.[k], op) as Node | undefined;

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

  it('has examples beside the main requests and answers, each parsing with its schema', () => {
    expect(exampleProblemsAsOfThen(document)).toEqual([]);
    const json = ['content', 'application/json', 'examples'];
    const op = (path: string, method: string) => document.paths[path]?.[method];
    for (const [path, method, ...where] of [
      ['/auth/otp/request', 'post', 'requestBody'],
      ['/auth/otp/request', 'post', 'responses', '202'],
      ['/auth/otp/verify', 'post', 'requestBody'],
      ['/auth/otp/verify', 'post', 'responses', '200'],
      ['/listings/public', 'get', 'responses', '200'],
      ['/listings/public/{id}', 'get', 'responses', '200'],
      ['/listings/public/{id}/quote', 'get', 'responses', '200'],
      ['/bookings', 'post', 'requestBody'],
      ['/bookings', 'post', 'responses', '201'],
      ['/bookings/{id}/payment/verify', 'post', 'responses', '200'],
      ['/conversations/{id}/messages', 'post', 'requestBody'],
      ['/conversations/{id}/messages', 'post', 'responses', '201'],
    ] as const) {
      expect(
        Object.keys(media(op(path, method), ...where, ...json) ?? {}).length,
        `${method} ${path} ${where.join(' ')}`,
      ).toBeGreaterThan(0);
    }
    const quoteQuery = (op('/listings/public/{id}/quote', 'get')?.parameters ?? []) as Node[];
    expect(quoteQuery.filter((p) => p.example !== undefined).map((p) => p.name)).toEqual([
      'id',
      'checkIn',
      'checkOut',
      'guests',
    ]);
    const errors = media(document, 'components', 'responses', 'Error', ...json) ?? {};
    expect(errors.validation).toMatchObject({
      value: { error: { code: 'validation_failed', details: expect.any(Array) } },
    });
  });

  it('prices the quote example as the API does, to the kobo (10% from the guest, 3% from the host)', () => {
    const quote = media(
      document.paths['/listings/public/{id}/quote']?.get,
      'responses',
      '200',
      'content',
      'application/json',
      'examples',
      'quote',
      'value',
    ) as unknown as Parameters<typeof priceStay>[0] & Record<string, number>;
    expect(quote).toMatchObject({
      ...priceStay({ ...quote, serviceFeeBps: 1000, hostFeeBps: 300 }),
      currency: 'NGN',
    });
  });

  it('names an example that drifts from its schema, or sits where no schema checks it', () => {
    const drifted = JSON.parse(JSON.stringify(document));
    const quote = drifted.paths['/listings/public/{id}/quote'].get;
    quote.responses['200'].content['application/json'].examples.quote.value.total = '158500.00';
    // The day before they were taken: a stay that starts in the past is refused, as the API does.
    quote.parameters.find((p: Node) => p.name === 'checkIn').example = '2026-11-30';
    quote.parameters.find((p: Node) => p.name === 'guests').example = '2';
    drifted.paths['/health'].get.responses['200'].content['application/json'].schema.examples = [
      {},
    ];
    drifted.components.responses.Error.content['application/json'].examples.notFound.value = {
      message: 'Not Found',
    };
    expect(exampleProblemsAsOfThen(drifted)).toEqual([
      expect.stringMatching(
        /^paths \/health get responses 200 .*schema: an example that no schema/,
      ),
      'paths /listings/public/{id}/quote get parameters 3: "2" is not of type integer',
      expect.stringMatching(
        /^paths \/listings\/public\/\{id\}\/quote get responses 200 .*\(quote\) total: /,
      ),
      expect.stringMatching(/^components responses Error .*\(notFound\) error: /),
      expect.stringMatching(
        /^components responses Error .*\(notFound\) \(value\): Unrecognized key: "message"/,
      ),
      'GET /listings/public/{id}/quote query checkIn: checkIn is in the past (dates are in Africa/Lagos)',
    ]);
  });
});
