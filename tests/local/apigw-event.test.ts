import { describe, expect, it } from 'vitest';
import { anyone } from '#lib/http/contract';
import type { Route } from '#lib/routes';
import { buildHttpEvent, toHttpResponse } from '#local/runtime/apigw-event';
import { createMatcher } from '#local/runtime/route-match';

const route = (method: Route['method'], path: string): Route => ({
  method,
  path,
  fn: 'x/y',
  auth: anyone,
  responses: {},
  memory: 128,
  timeout: 3,
  secrets: [],
  description: '',
});

describe('API Gateway payload format 2.0', () => {
  it('builds events as API Gateway does', () => {
    const event = buildHttpEvent(
      {
        method: 'POST',
        url: '/listings/abc?city=Lagos&tag=a&tag=b&q=%C3%A9',
        headers: {
          'Content-Type': 'application/json',
          cookie: 'a=1; b=2',
          'user-agent': 'ua',
          host: 'api.test',
        },
        body: Buffer.from('{"x":1}'),
        sourceIp: '10.0.0.1',
      },
      'POST /listings/{id}',
      { id: 'abc' },
    );
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'POST /listings/{id}',
      rawPath: '/listings/abc',
      rawQueryString: 'city=Lagos&tag=a&tag=b&q=%C3%A9',
      cookies: ['a=1', 'b=2'],
      queryStringParameters: { city: 'Lagos', tag: 'a,b', q: 'é' },
      pathParameters: { id: 'abc' },
      body: '{"x":1}',
      isBase64Encoded: false,
      requestContext: {
        http: { method: 'POST', path: '/listings/abc', sourceIp: '10.0.0.1', userAgent: 'ua' },
        routeKey: 'POST /listings/{id}',
        stage: '$default',
      },
    });
    expect(event.headers['content-type']).toBe('application/json');
    expect(event.headers.cookie).toBeUndefined();
    expect(event.requestContext.time).toMatch(/^\d\d\/\w{3}\/\d{4}:\d\d:\d\d:\d\d \+0000$/);
  });

  it('base64-encodes binary bodies and leaves out absent parts', () => {
    const bin = buildHttpEvent(
      {
        method: 'PUT',
        url: '/f',
        headers: { 'content-type': 'image/jpeg' },
        body: Buffer.from([0xff, 0xd8, 0x00]),
        sourceIp: '::1',
      },
      'PUT /f',
      undefined,
    );
    expect(bin.isBase64Encoded).toBe(true);
    expect(Buffer.from(bin.body ?? '', 'base64')).toEqual(Buffer.from([0xff, 0xd8, 0x00]));
    expect(bin).not.toHaveProperty('queryStringParameters');
    expect(bin).not.toHaveProperty('pathParameters');
    expect(bin).not.toHaveProperty('cookies');
  });

  it('maps results back, including cookies, base64 bodies and bare objects', () => {
    const structured = toHttpResponse({
      statusCode: 201,
      headers: { 'X-A': 'b' },
      cookies: ['s=1; HttpOnly'],
      body: Buffer.from('hi').toString('base64'),
      isBase64Encoded: true,
    });
    expect(structured.statusCode).toBe(201);
    expect(structured.headers).toEqual({ 'x-a': 'b', 'set-cookie': ['s=1; HttpOnly'] });
    expect(structured.body.toString()).toBe('hi');

    const bare = toHttpResponse({ ok: true });
    expect(bare.statusCode).toBe(200);
    expect(bare.body.toString()).toBe('{"ok":true}');
  });

  it('picks the most specific route, literal segments before parameters before greedy ones', () => {
    const match = createMatcher([
      route('GET', '/listings/{id}'),
      route('GET', '/listings/public'),
      route('GET', '/files/{proxy+}'),
      route('POST', '/listings/{id}'),
    ]);
    expect(match('GET', '/listings/public')?.route.path).toBe('/listings/public');
    expect(match('GET', '/listings/l_1')).toMatchObject({
      route: { path: '/listings/{id}' },
      pathParameters: { id: 'l_1' },
    });
    expect(match('POST', '/listings/x%20y')?.pathParameters).toEqual({ id: 'x y' });
    expect(match('GET', '/files/a/b.jpg')?.pathParameters).toEqual({ proxy: 'a/b.jpg' });
    expect(match('DELETE', '/listings/1')).toBeUndefined();
    expect(match('GET', '/listings/1/photos')).toBeUndefined();
  });
});
