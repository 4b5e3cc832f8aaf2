import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import type { Route } from '#lib/routes';
import { type Gateway, startGateway } from '#local/runtime/gateway';
import { call } from '#tests/support/api';
import { testContract } from '#tests/support/contracts';
import { settleResponseChecks } from '#tests/support/response-checks';
import { root } from '#tools/root';

// One fixture function that answers whatever the request asks (tests/fixtures/http/answer.ts),
// behind a contract that declares a 200 with an id and a 204 without a body.
const routes: Route[] = [
  {
    ...testContract({
      method: 'POST',
      path: '/answer',
      fn: 'answer',
      responses: { 200: z.strictObject({ id: z.uuid() }), 204: null },
    }),
    memory: 128,
    timeout: 5,
    secrets: [],
  },
];
const functionsDir = path.join(root, 'tests', 'fixtures', 'http');
const envelope = (code: string, message: string) => ({ error: { code, message } });

const ask = (gateway: Gateway, wanted: Record<string, unknown>) =>
  call(gateway.url, 'POST', '/answer', {
    body: wanted,
    headers: { 'accept-encoding': 'br, gzip' },
  });

describe("the gateway's response check", () => {
  let gateway: Gateway;
  beforeAll(async () => {
    gateway = await startGateway({ routes, functionsDir });
  });
  afterAll(() => gateway.close());

  it('passes what the contract declares, compressed or not, and errors in the envelope', async () => {
    const id = randomUUID();
    const kept = [
      { status: 200, json: { id } },
      { status: 200, json: { id }, encoding: 'gzip' },
      { status: 200, json: { id }, encoding: 'br' },
      { status: 204 },
      { status: 404, json: envelope('not_found', 'The listing does not exist.') },
      {
        status: 400,
        json: {
          error: {
            code: 'validation_failed',
            message: 'The request is not valid.',
            details: [{ path: 'body.nights', message: 'Too small' }],
          },
        },
      },
      {
        status: 401,
        json: envelope('unauthorized', 'Authentication is required.'),
        headers: { 'WWW-Authenticate': 'Bearer' },
      },
      {
        status: 429,
        json: envelope('rate_limited', 'Too many requests; try again later.'),
        headers: { 'Retry-After': '30' },
      },
    ];
    for (const wanted of kept) {
      const res = await ask(gateway, wanted);
      expect(res.status).toBe(wanted.status);
      if (wanted.json) expect(res.body).toEqual(wanted.json);
    }
    // And the gateway's own refusal of a path no route serves.
    expect((await call(gateway.url, 'GET', '/nowhere')).body.error.code).toBe('not_found');
    expect(gateway.responses).toEqual({ checked: kept.length + 1, violations: [] });
    await expect(settleResponseChecks(gateway)).resolves.toBeUndefined();
  });
});

describe('what it reports', () => {
  const lines: string[] = [];
  let gateway: Gateway;
  beforeAll(async () => {
    // As `npm run dev` starts it: violations go to the log.
    gateway = await startGateway({ routes, functionsDir, log: (line) => lines.push(line) });
  });
  afterAll(() => gateway.close());

  const broken: Array<[string, Record<string, unknown>, RegExp]> = [
    [
      'a body its schema refuses',
      { status: 200, json: { id: '42' } },
      /^POST \/answer 200 \(answer\): the body does not match its schema \(id: Invalid UUID\)/,
    ],
    [
      'a refused body, brotli-compressed (it is decoded first)',
      { status: 200, json: { id: 42 }, encoding: 'br' },
      /200 \(answer\): the body does not match its schema \(id: .*expected string/,
    ],
    [
      'a status the contract does not declare',
      { status: 201, json: { id: randomUUID() } },
      /201 \(answer\): status 201 is not one its contract declares \(200, 204, or an error\)$/,
    ],
    [
      'a body where the contract declares none',
      { status: 204, json: {} },
      /204 \(answer\): a 2-byte body; its contract declares none$/,
    ],
    [
      'an error outside the envelope',
      { status: 422, json: { message: 'No.' } },
      /422 \(answer\): the body is not the error envelope \(error: .*; \(body\): Unrecognized key: "message"\)/,
    ],
    [
      'a 429 that does not say when to come back',
      { status: 429, json: envelope('rate_limited', 'Too many requests; try again later.') },
      /429 \(answer\): a 429 without Retry-After$/,
    ],
    [
      'a 401 that does not say how to authenticate',
      { status: 401, json: envelope('unauthorized', 'Authentication is required.') },
      /401 \(answer\): a 401 without WWW-Authenticate$/,
    ],
    [
      "a crash, answered by API Gateway's own body",
      { status: 200, crash: true },
      /500 \(answer\): the body is not the error envelope .*"Internal Server Error"/,
    ],
  ];

  it.each(broken)('reports %s, and still sends the response as it was', async (_, wanted, why) => {
    const before = { ...gateway.responses, violations: [...gateway.responses.violations] };
    const res = await ask(gateway, wanted);
    expect(res.status).toBe(wanted.crash ? 500 : wanted.status);
    expect(gateway.responses.checked).toBe(before.checked + 1);
    expect(gateway.responses.violations).toHaveLength(before.violations.length + 1);
    const violation = gateway.responses.violations.at(-1) ?? '';
    expect(violation).toMatch(why);
    expect(lines).toContain(`!! breaks its contract: ${violation}`);
  });

  it('fails the test file whose gateway sent them, listing each', async () => {
    const settled = settleResponseChecks(gateway);
    await expect(settled).rejects.toThrow(`${broken.length} response(s) broke their contract:`);
    await expect(settled).rejects.toThrow(gateway.responses.violations[2] ?? 'a violation');
  });
});
