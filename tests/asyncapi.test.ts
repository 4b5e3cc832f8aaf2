import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DiagnosticSeverity, type Input, Parser } from '@asyncapi/parser';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { serverFrames } from '#lib/chat/ws-messages';
import { wsRoutes } from '#lib/routes';
import { asyncApiDocument, frameMessageKey } from '#tools/asyncapi-document';
import { root } from '#tools/root';

interface Message {
  name: string;
  payload: { properties: Record<string, { const?: string }> };
  examples?: Array<{ payload: unknown }>;
}
interface Operation {
  action: 'send' | 'receive';
  messages: Array<{ $ref: string }>;
}

const document = JSON.parse(JSON.stringify(asyncApiDocument())) as {
  asyncapi: string;
  info: { description: string };
  channels: { chat: { bindings: { ws: { query: unknown } } } };
  operations: Record<string, Operation>;
  components: { messages: Record<string, Message> };
};

const errorsOf = async (doc: object) =>
  (await new Parser().validate(doc as Input)).filter(
    (d) => d.severity === DiagnosticSeverity.Error,
  );

/** The messages of the operations with this action, by the key each one's $ref names. */
const messagesOf = (action: Operation['action']) =>
  Object.values(document.operations)
    .filter((op) => op.action === action)
    .flatMap((op) => op.messages.map((m) => m.$ref.split('/').at(-1) ?? ''));

describe('the AsyncAPI document', () => {
  it('is committed as npm run openapi writes it (run it after changing a WebSocket contract or frame)', async () => {
    const committed = JSON.parse(await readFile(path.join(root, 'docs', 'asyncapi.json'), 'utf8'));
    expect(committed, 'docs/asyncapi.json is stale: run npm run openapi').toEqual(document);
  });

  it('is valid AsyncAPI 3.0 by the AsyncAPI parser, which refuses a broken copy', async () => {
    expect(await errorsOf(document)).toEqual([]);
    const { document: parsed } = await new Parser().parse(document as Input);
    expect(parsed?.version()).toBe('3.0.0');
    expect(parsed?.operations().length).toBe(Object.keys(document.operations).length);
    // An operation whose channel does not exist is not AsyncAPI.
    const broken = JSON.parse(JSON.stringify(document));
    broken.operations.sendMessage.channel = { $ref: '#/channels/nowhere' };
    expect((await errorsOf(broken)).length).toBeGreaterThan(0);
  });

  it('has every WebSocket route: each action as a send with its body, $connect with its token', () => {
    const sent = messagesOf('send');
    for (const route of wsRoutes) {
      if (route.body) {
        expect(sent, route.routeKey).toContain(route.routeKey);
        const message = document.components.messages[route.routeKey];
        expect(message?.payload.properties.action?.const, route.routeKey).toBe(route.routeKey);
      } else {
        expect(document.info.description, route.routeKey).toContain(
          `\`${route.routeKey}\`: ${route.description}`,
        );
      }
    }
    expect(document.channels.chat.bindings.ws.query).toMatchObject({ required: ['token'] });
  });

  it('has every frame the server sends as a receive, with its type', () => {
    const received = messagesOf('receive');
    for (const type of Object.keys(serverFrames)) {
      expect(received, type).toContain(frameMessageKey(type));
      const message = document.components.messages[frameMessageKey(type)];
      expect(message?.payload.properties.type?.const, type).toBe(type);
    }
  });

  it("gives examples the server's own schemas accept", () => {
    const schemas = new Map<string, z.core.$ZodType>([
      ...wsRoutes.flatMap((r) => (r.body ? [[r.routeKey, r.body] as const] : [])),
      ...Object.entries(serverFrames).map(([type, s]) => [frameMessageKey(type), s] as const),
    ]);
    let checked = 0;
    for (const [key, message] of Object.entries(document.components.messages)) {
      for (const example of message.examples ?? []) {
        const schema = schemas.get(key);
        expect(schema && z.safeParse(schema, example.payload).success, key).toBe(true);
        checked++;
      }
    }
    expect(checked).toBe(schemas.size);
  });
});
