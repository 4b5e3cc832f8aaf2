import { Match, type Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeLabel } from '#infra/route-function';
import { routes, wsRoutes } from '#lib/routes';
import { ROUTE_SELECTION } from '#lib/ws/contract';
import {
  actionsOf,
  aliasIdOf,
  deployEnvironment,
  functionIdOf,
  functionsOf,
  statementsOf,
  synthesize,
} from '#tests/infra/synth';

let template: Template;
let dispose: () => void;
let wsApiId: string;

beforeAll(() => {
  ({ template, dispose } = synthesize());
  const apis = template.findResources('AWS::ApiGatewayV2::Api', {
    Properties: { ProtocolType: 'WEBSOCKET' },
  });
  [wsApiId = ''] = Object.keys(apis);
});
afterAll(() => dispose?.());

const allRoutes = [...routes, ...wsRoutes];
const posts = (r: (typeof allRoutes)[number]) => (r.uses ?? []).includes('ws-connections');

/** `https://{api}.execute-api.{region}.{suffix}/production`, as the template writes it. */
const callbackUrl = () => ({
  'Fn::Join': [
    '',
    [
      'https://',
      { Ref: wsApiId },
      '.execute-api.',
      { Ref: 'AWS::Region' },
      '.',
      { Ref: 'AWS::URLSuffix' },
      '/production',
    ],
  ],
});

describe('the WebSocket API', () => {
  it('is one API that selects a route by the frame action, deployed to the stack stage', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Api', 2);
    template.resourcePropertiesCountIs(
      'AWS::ApiGatewayV2::Api',
      { ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' },
      1,
    );
    expect(ROUTE_SELECTION).toBe('$request.body.action');
    expect(wsApiId).not.toBe('');
    template.resourceCountIs('AWS::ApiGatewayV2::Stage', 2);
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      ApiId: { Ref: wsApiId },
      StageName: 'production',
      AutoDeploy: true,
    });
  });

  it('has a route per route table entry, each integrated with the function of its file', () => {
    expect(wsRoutes.map((r) => r.routeKey)).toEqual(
      expect.arrayContaining(['$connect', '$disconnect', '$default']),
    );
    const wsApiRoutes = Object.values(
      template.findResources('AWS::ApiGatewayV2::Route', {
        Properties: { ApiId: { Ref: wsApiId } },
      }),
    );
    expect(wsApiRoutes.map((r) => r.Properties.RouteKey).sort()).toEqual(
      wsRoutes.map((r) => r.routeKey).sort(),
    );
    const integrations = template.findResources('AWS::ApiGatewayV2::Integration');
    const functions = functionsOf(template);
    for (const r of wsRoutes) {
      const route = wsApiRoutes.find((x) => x.Properties.RouteKey === r.routeKey);
      const target = route?.Properties.Target;
      expect(target, r.routeKey).toEqual({
        'Fn::Join': ['', ['integrations/', { Ref: expect.any(String) }]],
      });
      const integration = integrations[target['Fn::Join'][1][1].Ref];
      expect(integration?.Properties.ApiId, r.routeKey).toEqual({ Ref: wsApiId });
      expect(integration?.Properties.IntegrationType).toBe('AWS_PROXY');
      const uriParts: unknown[] = integration?.Properties.IntegrationUri['Fn::Join'][1];
      // The function's live alias, which a deployment moves, never its $LATEST.
      const fnId = functionIdOf(template, routeLabel(r));
      const aliasId = aliasIdOf(template, fnId);
      expect(uriParts, r.routeKey).toContainEqual({ Ref: aliasId });
      expect(functions[fnId]?.Properties.MemorySize).toBe(r.memory);
      expect(functions[fnId]?.Properties.Timeout).toBe(r.timeout);
      // API Gateway may invoke it, for this API's routes only.
      template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        Principal: 'apigateway.amazonaws.com',
        FunctionName: { Ref: aliasId },
        SourceArn: { 'Fn::Join': ['', Match.arrayWith([{ Ref: wsApiId }])] },
      });
    }
  });

  it('runs its functions like the HTTP ones, $connect with the deploy environment', () => {
    for (const r of wsRoutes) {
      const fn = functionsOf(template)[functionIdOf(template, routeLabel(r))];
      expect(fn?.Properties.Runtime).toBe('nodejs24.x');
      expect(fn?.Properties.Architectures).toEqual(['arm64']);
      expect(fn?.Properties.Environment.Variables).toMatchObject({
        ...deployEnvironment,
        APP_ENV: 'production',
        NODE_OPTIONS: '--enable-source-maps',
      });
    }
  });

  it('lets exactly the functions whose route uses ws-connections manage its connections', () => {
    const posting = allRoutes.filter(posts).map(routeLabel);
    // Sending a message reaches the other participants; signing out closes that sign-in's sockets.
    expect(posting).toEqual(expect.arrayContaining(['WS sendMessage', 'POST /auth/logout']));
    expect(posting).not.toContain('WS $connect');
    const granted = Object.keys(functionsOf(template))
      .filter((id) => actionsOf(template, id).some((a) => a.startsWith('execute-api:')))
      .sort();
    expect(granted).toEqual(posting.map((label) => functionIdOf(template, label)).sort());
    for (const label of posting) {
      const statements = statementsOf(template, functionIdOf(template, label)).filter((st) =>
        [st.Action].flat().some((a) => a.startsWith('execute-api:')),
      );
      expect(statements, label).toEqual([
        {
          Effect: 'Allow',
          Action: 'execute-api:ManageConnections',
          // This API (never `*`), this stage only: POST, GET and DELETE on @connections.
          Resource: {
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                ':execute-api:',
                { Ref: 'AWS::Region' },
                ':',
                { Ref: 'AWS::AccountId' },
                ':',
                { Ref: wsApiId },
                '/production/*/@connections/*',
              ],
            ],
          },
        },
      ]);
    }
  });

  it('tells exactly those functions where to post: the stage callback URL', () => {
    for (const r of allRoutes) {
      const fn = functionsOf(template)[functionIdOf(template, routeLabel(r))];
      const url = fn?.Properties.Environment.Variables.WS_CALLBACK_URL;
      if (posts(r)) expect(url, routeLabel(r)).toEqual(callbackUrl());
      else expect(url, routeLabel(r)).toBeUndefined();
    }
  });

  it('outputs its wss:// URL beside the HTTP API URL', () => {
    const outputs = template.findOutputs('*');
    expect(outputs.ApiUrl).toBeDefined();
    expect(outputs.WebSocketUrl?.Value).toEqual({
      'Fn::Join': [
        '',
        [
          'wss://',
          { Ref: wsApiId },
          '.execute-api.',
          { Ref: 'AWS::Region' },
          '.',
          { Ref: 'AWS::URLSuffix' },
          '/production',
        ],
      ],
    });
  });
});
