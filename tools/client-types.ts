import { compile, type JSONSchema } from 'json-schema-to-typescript';
import * as z from 'zod';
import { serverFrames } from '#lib/chat/ws-messages';
import { wsRoutes } from '#lib/routes';
import { type Json, jsonSchema } from '#tools/json-schema';

/**
 * The client's types (client/src/openapi.ts), written from the OpenAPI document in the shape
 * openapi-fetch reads (`paths[path][method]` with `parameters`, `requestBody`, `responses`).
 *
 * Why not openapi-typescript: 7.13 drives the TypeScript compiler API and does not run under
 * TypeScript 7, our compiler (openapi-ts#2841), and npm refuses a side-installed TypeScript 6
 * beside it (its peer range is ^5). json-schema-to-typescript prints types from JSON Schema
 * without the compiler; this file only arranges them per operation. The document itself comes
 * from the zod schemas the functions validate with, so the client cannot drift from them.
 */

interface Operation {
  operationId: string;
  security?: Json[];
  parameters?: Json[];
  requestBody?: { content: { 'application/json': { schema: Json } } };
  responses: Record<string, { content?: { 'application/json': { schema: Json } }; $ref?: string }>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

const pascal = (id: string) =>
  id
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]?.toUpperCase() + w.slice(1))
    .join('');

/** Apps call these; job routes (QStash) and webhooks (Paystack) are for those services only. */
const forApps = (op: Operation) =>
  (op.security ?? []).every((s) => !('qstashSignature' in s) && !('paystackSignature' in s));

/** One schema as a named type: `export interface Name {...}` or `export type Name = ...`. */
async function declare(name: string, schema: Json): Promise<string> {
  return compile(structuredClone(schema) as JSONSchema, name, {
    bannerComment: '',
    additionalProperties: false,
    declareExternallyReferenced: true,
    format: true,
    style: { singleQuote: true, printWidth: 100 },
    strictIndexSignatures: true,
    unknownAny: true,
  });
}

const quote = (key: string) => JSON.stringify(key);

/** The chat's frames, both ways, from the schemas the WebSocket functions use. */
async function chatFrames(): Promise<string[]> {
  const schema = (frames: z.core.$ZodType[], io: 'input' | 'output') =>
    jsonSchema(z.union(frames), io);
  // By route key: a module's exports come in another order under vitest than under node.
  const actions = [...wsRoutes]
    .sort((a, b) => a.routeKey.localeCompare(b.routeKey))
    .flatMap((r) => (r.body ? [r.body] : []));
  return [
    await declare('ChatClientFrame', schema(actions, 'input')),
    await declare('ChatServerFrame', schema(Object.values(serverFrames), 'output')),
  ];
}

export async function clientTypes(document: Json): Promise<string> {
  const paths = document.paths as Record<string, Record<string, Operation>>;
  const components = document.components as {
    parameters: Record<string, Json>;
    responses: { Error: { content: { 'application/json': { schema: Json } } } };
  };
  const declarations: string[] = [
    await declare('ErrorBody', components.responses.Error.content['application/json'].schema),
  ];
  const pathTypes: string[] = [];
  const idempotent: string[] = [];

  for (const [path, item] of Object.entries(paths)) {
    const members: string[] = [];
    for (const method of METHODS) {
      const op = item[method];
      if (!op || !forApps(op)) continue;
      const name = pascal(op.operationId);
      const groups: Record<'path' | 'query' | 'header', Json[]> = {
        path: [],
        query: [],
        header: [],
      };
      for (const raw of op.parameters ?? []) {
        const ref = raw.$ref as string | undefined;
        const param = ref ? components.parameters[ref.split('/').pop() ?? ''] : raw;
        if (!param) throw new Error(`${op.operationId}: no parameter ${ref}`);
        groups[param.in as 'path' | 'query' | 'header'].push(param);
      }
      const parameters: string[] = [];
      for (const where of ['query', 'header', 'path'] as const) {
        const list = groups[where];
        if (list.length === 0) {
          parameters.push(`${where}?: never;`);
          continue;
        }
        const typeName = `${name}${pascal(where)}`;
        const properties = Object.fromEntries(list.map((p) => [p.name as string, p.schema]));
        // The client adds an Idempotency-Key itself (stable across a call's retries).
        const required =
          where === 'header' ? [] : list.filter((p) => p.required).map((p) => p.name as string);
        if (where === 'header') idempotent.push(`${method.toUpperCase()} ${path}`);
        declarations.push(
          await declare(typeName, {
            type: 'object',
            properties,
            required,
            additionalProperties: false,
          }),
        );
        const optional = required.length === 0 ? '?' : '';
        parameters.push(`${where}${optional}: ${typeName};`);
      }
      parameters.push('cookie?: never;');

      let requestBody = 'requestBody?: never;';
      const body = op.requestBody?.content['application/json'].schema;
      if (body) {
        declarations.push(await declare(`${name}Body`, body));
        requestBody = `requestBody: { content: { 'application/json': ${name}Body } };`;
      }

      const responses: string[] = [];
      for (const [status, response] of Object.entries(op.responses)) {
        const schema = response.content?.['application/json'].schema;
        let content = 'content?: never;';
        if (response.$ref) {
          content = `content: { 'application/json': ErrorBody };`;
        } else if (schema) {
          declarations.push(await declare(`${name}${status}`, schema));
          content = `content: { 'application/json': ${name}${status} };`;
        }
        responses.push(
          `${/^\d+$/.test(status) ? status : quote(status)}: { headers: { [name: string]: unknown }; ${content} };`,
        );
      }

      members.push(
        `${method}: {\n  parameters: { ${parameters.join(' ')} };\n  ${requestBody}\n  responses: {\n    ${responses.join('\n    ')}\n  };\n};`,
      );
    }
    if (members.length === 0) continue;
    pathTypes.push(
      `${quote(path)}: {\n  parameters: { query?: never; header?: never; path?: never; cookie?: never };\n  ${members.join('\n  ')}\n};`,
    );
  }

  return [
    '// Written by `npm run openapi` from the OpenAPI document (tools/client-types.ts): do not edit.',
    '/* eslint-disable */',
    '',
    ...declarations,
    ...(await chatFrames()),
    'export interface paths {',
    ...pathTypes,
    '}',
    '',
    '/** The operations that take an `Idempotency-Key`: the client adds one, the same on every retry. */',
    `export const idempotentOperations: readonly string[] = ${JSON.stringify(idempotent)};`,
    '',
  ].join('\n');
}
