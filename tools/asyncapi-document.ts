import type * as z from 'zod';
import { serverFrames } from '#lib/chat/ws-messages';
import { stages } from '#lib/platform/config';
import { type WsRoute, wsRoutes } from '#lib/routes';
import { ROUTE_SELECTION } from '#lib/ws/contract';
import { type Json, jsonSchema } from '#tools/json-schema';

/**
 * The AsyncAPI 3.0 document of the WebSocket API (the chat), built like the OpenAPI one: the
 * WebSocket route table gives the frames a client sends (one `send` operation per action,
 * its payload the route's body schema), lib/chat/ws-messages.ts the frames the server sends
 * (one `receive` operation per `type`). The schemas are zod's `z.toJSONSchema`, as draft-07:
 * AsyncAPI's default schema format is a superset of that draft, not of 2020-12.
 */

const CHANNEL = '#/channels/chat';
const conversationId = '0f8b6c1e-4a3b-4c2d-9e8f-1a2b3c4d5e6f';
const storedMessage = {
  id: 'b3e1f7a2-5c4d-4e6f-8a9b-0c1d2e3f4a5b',
  conversationId,
  senderRole: 'user',
  senderId: '6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d',
  body: 'Can we check in early?',
  clientId: 'c-1718011800000',
  createdAt: '2025-06-10T09:30:00.000Z',
};

/** One example frame per action and per server frame; tests/asyncapi.test.ts parses each. */
const actionExamples: Record<string, Json> = {
  sendMessage: {
    action: 'sendMessage',
    conversationId,
    body: storedMessage.body,
    clientId: storedMessage.clientId,
  },
  typing: { action: 'typing', conversationId },
  markRead: { action: 'markRead', conversationId },
};
const frameExamples: Record<keyof typeof serverFrames, Json> = {
  message: { type: 'message', message: storedMessage },
  ack: { type: 'ack', clientId: storedMessage.clientId, message: storedMessage },
  typing: { type: 'typing', conversationId, role: 'host' },
  read: { type: 'read', conversationId, role: 'host', lastReadAt: '2025-06-10T09:31:12.000Z' },
  error: {
    type: 'error',
    code: 'validation_failed',
    message: 'body: Too small: expected string to have >=1 characters',
  },
};

/** The key of a server frame's message, apart from the actions' (`typing` is both). */
export const frameMessageKey = (type: string) => `${type}Frame`;

const examples = (name: string, payload: Json | undefined) =>
  payload ? { examples: [{ name, payload }] } : {};

function actionMessage(route: WsRoute & { body: z.core.$ZodType }): Json {
  return {
    name: route.routeKey,
    title: route.routeKey,
    summary: route.description,
    contentType: 'application/json',
    payload: jsonSchema(route.body, 'input', 'draft-07'),
    ...examples(route.routeKey, actionExamples[route.routeKey]),
  };
}

function frameMessage(type: keyof typeof serverFrames): Json {
  const payload = jsonSchema(serverFrames[type], 'output', 'draft-07');
  return {
    name: type,
    title: `{"type": "${type}"}`,
    summary: payload.description,
    contentType: 'application/json',
    payload,
    ...examples(type, frameExamples[type]),
  };
}

const capitalized = (s: string) => `${s[0]?.toUpperCase()}${s.slice(1)}`;
const ref = (key: string) => ({ $ref: `${CHANNEL}/messages/${key}` });

export function asyncApiDocument(): Json {
  const actions = wsRoutes.filter(
    (r): r is WsRoute & { body: z.core.$ZodType } => r.body !== undefined,
  );
  const lifecycle = wsRoutes.filter((r) => r.body === undefined);
  const types = Object.keys(serverFrames) as Array<keyof typeof serverFrames>;

  const messages: Record<string, Json> = {};
  for (const route of actions) messages[route.routeKey] = actionMessage(route);
  for (const type of types) messages[frameMessageKey(type)] = frameMessage(type);

  const operations: Record<string, Json> = {};
  for (const route of actions) {
    operations[route.routeKey] = {
      action: 'send',
      channel: { $ref: CHANNEL },
      title: route.routeKey,
      summary: route.description,
      messages: [ref(route.routeKey)],
      // The one action the server always answers on the sending connection.
      ...(route.routeKey === 'sendMessage'
        ? {
            reply: {
              channel: { $ref: CHANNEL },
              messages: [ref(frameMessageKey('ack')), ref(frameMessageKey('error'))],
            },
          }
        : {}),
    };
  }
  for (const type of types) {
    operations[`receive${capitalized(type)}`] = {
      action: 'receive',
      channel: { $ref: CHANNEL },
      title: `receive ${type}`,
      summary: messages[frameMessageKey(type)]?.summary,
      messages: [ref(frameMessageKey(type))],
    };
  }

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Marketplace WebSocket API (chat)',
      version: '1',
      description: [
        `Every frame is JSON. A client's frame names its route in \`action\` (API Gateway's route selection \`${ROUTE_SELECTION}\`); the server's frames carry a \`type\`. Messages are stored before they are sent; the same conversations are read and written over HTTP (docs/openapi.json).`,
        'API Gateway closes a connection after 10 minutes without a frame and after 2 hours in any case; connect again with a fresh access token. Routes without a frame of their own:',
        lifecycle.map((r) => `- \`${r.routeKey}\`: ${r.description}`).join('\n'),
      ].join('\n\n'),
    },
    defaultContentType: 'application/json',
    servers: {
      local: {
        host: '127.0.0.1:3001',
        protocol: 'ws',
        title: 'npm run dev',
        description: 'The local WebSocket gateway (WS_PORT); it answers on `/` too.',
        security: [{ $ref: '#/components/securitySchemes/accessToken' }],
      },
      deployed: {
        host: '{apiId}.execute-api.{region}.amazonaws.com',
        protocol: 'wss',
        title: 'A deployed stage',
        description: "API Gateway's WebSocket API: the stack output `WebSocketUrl`.",
        variables: {
          apiId: { description: 'The WebSocket API id (the `WebSocketUrl` output)' },
          region: { default: 'eu-west-1', description: "The stack's region" },
        },
        security: [{ $ref: '#/components/securitySchemes/accessToken' }],
      },
    },
    channels: {
      chat: {
        address: '/{stage}',
        title: 'The chat connection',
        description:
          'One connection per device, opened with an access token (`$connect`, `?token=`); every frame after it acts for whoever opened it.',
        parameters: {
          stage: {
            enum: ['local', ...stages],
            default: 'local',
            description: '`local` on npm run dev; the stage deployed otherwise',
          },
        },
        servers: [{ $ref: '#/servers/local' }, { $ref: '#/servers/deployed' }],
        messages: Object.fromEntries(
          Object.keys(messages).map((key) => [key, { $ref: `#/components/messages/${key}` }]),
        ),
        bindings: {
          ws: {
            method: 'GET',
            query: {
              type: 'object',
              properties: {
                token: {
                  type: 'string',
                  description: 'An access token from POST /auth/otp/verify (15 minutes)',
                },
              },
              required: ['token'],
            },
            bindingVersion: '0.1.0',
          },
        },
      },
    },
    operations,
    components: {
      messages,
      securitySchemes: {
        accessToken: {
          type: 'httpApiKey',
          in: 'query',
          name: 'token',
          description:
            '`$connect` only (browsers cannot set headers on a WebSocket): without a valid, unrevoked token the upgrade is refused with 401',
        },
      },
    },
  };
}
