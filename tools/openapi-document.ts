import { type Auth, errorBody } from '#lib/http/contract';
import { type Route, routeKey, routes } from '#lib/routes';
import { type Json, jsonSchema } from '#tools/json-schema';
import { errorExamples, routeExamples } from '#tools/openapi-examples';

/**
 * The OpenAPI 3.1 document of the HTTP API, built from the route table: each route's path,
 * query and body schemas and its response schema per status, turned into JSON Schema 2020-12
 * by zod's own `z.toJSONSchema` (OpenAPI 3.1's dialect). No library in between: zod 4 writes
 * the schemas the functions validate with, and the rest is a few lines of mapping. The
 * main routes carry examples (tools/openapi-examples.ts) beside their parameters and bodies.
 */

const security = (auth: Auth): Json[] | undefined => {
  switch (auth.kind) {
    case 'public':
      return [];
    case 'roles':
      return [{ bearer: [] }];
    case 'qstash':
      return [{ qstashSignature: [] }];
    case 'paystack':
      return [{ paystackSignature: [] }];
  }
};

const errorResponse = { $ref: '#/components/responses/Error' };

/** A media type: the schema, and the named examples beside it when there are some. */
const json = (schema: Json, examples: object | undefined): Json => ({
  'application/json': { schema, ...(examples ? { examples } : {}) },
});

/** `example` of a parameter, when the route's examples give one. */
const exampleOf = (value: string | number | undefined): Json =>
  value === undefined ? {} : { example: value };

function operation(route: Route): Json {
  const examples = routeExamples.get(routeKey(route));
  const parameters: Json[] = [];
  for (const name of route.path.match(/\{(\w+)\}/g) ?? []) {
    const key = name.slice(1, -1);
    const shape = route.params ? (jsonSchema(route.params, 'input').properties as Json) : {};
    parameters.push({
      name: key,
      in: 'path',
      required: true,
      schema: shape?.[key] ?? { type: 'string' },
      ...exampleOf(examples?.params?.[key]),
    });
  }
  if (route.query) {
    const query = jsonSchema(route.query, 'input');
    const required = new Set((query.required as string[] | undefined) ?? []);
    for (const [name, schema] of Object.entries((query.properties as Json | undefined) ?? {})) {
      parameters.push({
        name,
        in: 'query',
        required: required.has(name),
        schema,
        ...exampleOf(examples?.query?.[name]),
      });
    }
  }
  if (route.idempotencyKey) {
    parameters.push({ $ref: '#/components/parameters/IdempotencyKey' });
  }
  const responses: Json = {};
  for (const [status, schema] of Object.entries(route.responses)) {
    responses[status] = schema
      ? {
          description: `${status}`,
          content: json(jsonSchema(schema, 'output'), examples?.responses?.[Number(status)]),
        }
      : { description: `${status}, no body` };
  }
  responses['4XX'] = errorResponse;
  responses['5XX'] = errorResponse;
  return {
    operationId: route.fn.replaceAll('/', '.'),
    summary: route.description,
    tags: [route.fn.split('/')[0]],
    security: security(route.auth),
    ...(route.auth.kind === 'roles' ? { 'x-roles': route.auth.roles } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.body
      ? {
          requestBody: {
            required: true,
            content: json(jsonSchema(route.body, 'input'), examples?.body),
          },
        }
      : {}),
    responses,
  };
}

export function openApiDocument(): Json {
  const paths: Record<string, Json> = {};
  const sorted = [...routes].sort(
    (a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method),
  );
  for (const route of sorted) {
    paths[route.path] ??= {};
    (paths[route.path] as Json)[route.method.toLowerCase()] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Marketplace API',
      version: '1',
      description:
        'Money is integer minor units (kobo for NGN) with its currency beside it; dates are YYYY-MM-DD in Africa/Lagos; instants are ISO 8601. Errors are `{"error": {"code", "message", "details"?}}`. A 429 or 503 may carry `Retry-After` (seconds).',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    servers: [{ url: 'http://127.0.0.1:3000', description: 'npm run dev' }],
    paths,
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'An access token from POST /auth/otp/verify (15 minutes)',
        },
        qstashSignature: {
          type: 'apiKey',
          in: 'header',
          name: 'Upstash-Signature',
          description: 'Job routes: a QStash signature (current or next signing key)',
        },
        paystackSignature: {
          type: 'apiKey',
          in: 'header',
          name: 'x-paystack-signature',
          description: "Paystack's webhook: hex HMAC-SHA512 of the raw body with the secret key",
        },
      },
      parameters: {
        IdempotencyKey: {
          name: 'Idempotency-Key',
          in: 'header',
          required: true,
          description:
            'Unique per request and the same on its retries (24 h): a retry gets the first answer; another body with it is a 422.',
          schema: { type: 'string', minLength: 1, maxLength: 255 },
        },
      },
      responses: {
        Error: {
          description: 'The error envelope',
          headers: {
            'Retry-After': {
              description: 'Seconds to wait (429, 503)',
              schema: { type: 'integer' },
            },
          },
          content: json(jsonSchema(errorBody, 'output'), errorExamples),
        },
      },
    },
  };
}
