import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { buildContext, buildHttpEvent } from '#local/runtime/apigw-event';

/** An API Gateway event for a request, built by the same code as the local gateway. */
export function httpEvent(options: {
  routeKey: string;
  path?: string;
  body?: string | Buffer;
  headers?: Record<string, string>;
  pathParameters?: Record<string, string>;
}): APIGatewayProxyEventV2 {
  const [method = 'GET', routePath = '/'] = options.routeKey.split(' ');
  return buildHttpEvent(
    {
      method,
      url: options.path ?? routePath,
      headers: { host: 'localhost', ...options.headers },
      body: Buffer.isBuffer(options.body) ? options.body : Buffer.from(options.body ?? ''),
      sourceIp: '127.0.0.1',
    },
    options.routeKey,
    options.pathParameters,
  );
}

export const lambdaContext = () => buildContext('test', 512, 10);

// biome-ignore lint/suspicious/noExplicitAny: any Lambda handler shape.
type AnyHandler = (event: any, context: any, callback?: any) => unknown;

export interface ParsedResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  isBase64Encoded: boolean;
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON the API sent.
  json: () => any;
}

/** Invokes a handler once and normalises its structured result. */
export async function invoke(handler: AnyHandler, event: unknown): Promise<ParsedResult> {
  const result = (await handler(event, lambdaContext(), () => {})) as {
    statusCode: number;
    headers?: Record<string, string>;
    body?: string;
    isBase64Encoded?: boolean;
  };
  const headers = Object.fromEntries(
    Object.entries(result.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]),
  );
  const body = result.body ?? '';
  return {
    statusCode: result.statusCode,
    headers,
    body,
    isBase64Encoded: result.isBase64Encoded ?? false,
    json: () => JSON.parse(body),
  };
}
