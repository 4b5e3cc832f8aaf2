import { Match, type Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeLabel } from '#infra/route-function';
import { cors } from '#lib/http/cors';
import { type Route, routeKey, routes, type WsRoute, wsRoutes } from '#lib/routes';
import { actionsOf, functionIdOf, functionsOf, synthesize } from '#tests/infra/synth';

let template: Template;
let dispose: () => void;

beforeAll(() => {
  ({ template, dispose } = synthesize());
});
afterAll(() => dispose?.());

/** HTTP and WebSocket routes alike: each has its own function and log group. */
const allRoutes = routes.length + wsRoutes.length;

describe('the synthesized template', () => {
  it('has one Lambda function per route, on Node 24 and arm64, with source maps on', () => {
    template.resourceCountIs('AWS::Lambda::Function', allRoutes);
    const functions = template.findResources('AWS::Lambda::Function');
    for (const fn of Object.values(functions)) {
      expect(fn.Properties.Runtime).toBe('nodejs24.x');
      expect(fn.Properties.Architectures).toEqual(['arm64']);
      expect(fn.Properties.Environment.Variables.NODE_OPTIONS).toBe('--enable-source-maps');
      expect(fn.Properties.Environment.Variables.APP_ENV).toBe('production');
      expect(fn.Properties.Environment.Variables.CACHE_NAMESPACE).toBe('marketplace-production');
    }
  });

  it('gives each route its key, its function and the limits from the route table', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Route', allRoutes);
    const functions = Object.values(template.findResources('AWS::Lambda::Function'));
    for (const r of routes) {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: routeKey(r) });
      const fn = functions.find(
        (f) => f.Properties.Environment.Variables.FUNCTION_ROUTE === routeKey(r),
      );
      expect(fn, routeKey(r)).toBeDefined();
      expect(fn?.Properties.MemorySize).toBe(r.memory);
      expect(fn?.Properties.Timeout).toBe(r.timeout);
    }
  });

  it('grants S3 only to the functions whose route uses a bucket', () => {
    template.resourceCountIs('AWS::S3::Bucket', 2);
    template.resourceCountIs('AWS::CloudFront::Distribution', 1);
    const s3Actions = (key: string) =>
      actionsOf(template, functionIdOf(template, key)).filter((a) => a.startsWith('s3:'));
    expect(s3Actions('POST /listings/{id}/photos')).toEqual(
      expect.arrayContaining(['s3:GetObject*', 's3:PutObject']),
    );
    expect(s3Actions('GET /health')).toEqual([]);
    expect(s3Actions('GET /listings/public')).toEqual([]);
  });

  it('shares a role only between functions whose routes use and read the same things', () => {
    const usesOf = (r: Route | WsRoute) =>
      `${[...new Set(r.uses ?? [])].sort().join('+')} ${[...r.secrets].sort().join('+')}`;
    const roles = new Map<string, Set<string>>();
    for (const r of [...routes, ...wsRoutes]) {
      const fn = functionsOf(template)[functionIdOf(template, routeLabel(r))];
      const role: string = fn?.Properties.Role['Fn::GetAtt'][0];
      roles.set(usesOf(r), (roles.get(usesOf(r)) ?? new Set()).add(role));
    }
    const rolesPerUses = [...roles.values()];
    expect(rolesPerUses.every((set) => set.size === 1)).toBe(true);
    expect(new Set(rolesPerUses.flatMap((set) => [...set])).size).toBe(roles.size);
    // Beside them, in production, the one service role of CodeDeploy.
    template.resourceCountIs('AWS::IAM::Role', roles.size + 1);
    // A route that uses nothing may write its logs and read its secrets, nothing else.
    const health = functionIdOf(template, 'GET /health');
    expect(actionsOf(template, health)).toEqual(['secretsmanager:GetSecretValue']);
    const role =
      template.toJSON().Resources[functionsOf(template)[health]?.Properties.Role['Fn::GetAtt'][0]];
    expect(role.Properties.ManagedPolicyArns).toEqual([
      {
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
          ],
        ],
      },
    ]);
  });

  it('serves public media with X-Content-Type-Options: nosniff from the CDN', () => {
    const policies = template.findResources('AWS::CloudFront::ResponseHeadersPolicy', {
      Properties: {
        ResponseHeadersPolicyConfig: Match.objectLike({
          SecurityHeadersConfig: Match.objectLike({ ContentTypeOptions: { Override: true } }),
        }),
      },
    });
    const [policyId] = Object.keys(policies);
    expect(policyId).toBeDefined();
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultCacheBehavior: Match.objectLike({ ResponseHeadersPolicyId: { Ref: policyId } }),
      }),
    });
  });

  it('keeps logs for a bounded time and serves an HTTP API with CORS', () => {
    template.resourceCountIs('AWS::Logs::LogGroup', allRoutes);
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
    // Nothing logs where CDK would not set a retention (no API access logs, no log-retention
    // custom resource).
    template.resourceCountIs('Custom::LogRetention', 0);
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      CorsConfiguration: Match.objectLike({ AllowOrigins: ['https://app.example.com'] }),
    });
  });

  it("gives every function the origins API Gateway's CORS allows, so both answer alike", () => {
    const [api] = Object.values(
      template.findResources('AWS::ApiGatewayV2::Api', { Properties: { ProtocolType: 'HTTP' } }),
    );
    const allowed = api?.Properties.CorsConfiguration.AllowOrigins as string[];
    expect(allowed).toEqual(['https://app.example.com']);
    const functions = Object.values(template.findResources('AWS::Lambda::Function'));
    expect(functions).toHaveLength(allRoutes);
    for (const fn of functions) {
      expect(fn.Properties.Environment.Variables.CORS_ORIGINS).toBe(allowed.join(','));
    }
    expect(api?.Properties.CorsConfiguration.AllowHeaders).toEqual([...cors.allowHeaders]);
  });
});
