import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiStack } from '#infra/api-stack';
import { cors } from '#lib/http/cors';
import { routeKey, routes } from '#lib/routes';

let outdir: string;
let template: Template;

beforeAll(() => {
  outdir = mkdtempSync(path.join(tmpdir(), 'cdk-test-'));
  // Bundling is skipped here to keep the test fast; CI runs a real `cdk synth` as well.
  const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new ApiStack(app, 'Test', {
    stage: 'production',
    environment: { APP_VERSION: 'test' },
    corsOrigins: ['https://app.example.com'],
  });
  template = Template.fromStack(stack);
});
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('the synthesized template', () => {
  it('has one Lambda function per route, on Node 24 and arm64, with source maps on', () => {
    template.resourceCountIs('AWS::Lambda::Function', routes.length);
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
    template.resourceCountIs('AWS::ApiGatewayV2::Route', routes.length);
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
    const policies = Object.values(template.findResources('AWS::IAM::Policy'));
    const functions = template.findResources('AWS::Lambda::Function');
    const roleOf = (key: string) =>
      Object.values(functions).find(
        (f) => f.Properties.Environment.Variables.FUNCTION_ROUTE === key,
      )?.Properties.Role['Fn::GetAtt'][0];
    const s3Actions = (key: string) =>
      policies
        .filter((p) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === roleOf(key)))
        .flatMap((p) =>
          p.Properties.PolicyDocument.Statement.flatMap(
            (st: { Action: string | string[] }) => st.Action,
          ),
        )
        .filter((a: string) => a.startsWith('s3:'));
    expect(s3Actions('POST /listings/{id}/photos')).toEqual(
      expect.arrayContaining(['s3:GetObject*', 's3:PutObject']),
    );
    expect(s3Actions('GET /health')).toEqual([]);
    expect(s3Actions('GET /listings/public')).toEqual([]);
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
    template.resourceCountIs('AWS::Logs::LogGroup', routes.length);
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      CorsConfiguration: Match.objectLike({ AllowOrigins: ['https://app.example.com'] }),
    });
  });

  it("gives every function the origins API Gateway's CORS allows, so both answer alike", () => {
    const [api] = Object.values(template.findResources('AWS::ApiGatewayV2::Api'));
    const allowed = api?.Properties.CorsConfiguration.AllowOrigins as string[];
    expect(allowed).toEqual(['https://app.example.com']);
    const functions = Object.values(template.findResources('AWS::Lambda::Function'));
    expect(functions).toHaveLength(routes.length);
    for (const fn of functions) {
      expect(fn.Properties.Environment.Variables.CORS_ORIGINS).toBe(allowed.join(','));
    }
    expect(api?.Properties.CorsConfiguration.AllowHeaders).toEqual([...cors.allowHeaders]);
  });
});
