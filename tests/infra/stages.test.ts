import type { Template } from 'aws-cdk-lib/assertions';
import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeLabel } from '#infra/route-function';
import { secretsPrefix } from '#infra/secrets';
import { OTP_ROUTE_KEYS, stageSettings } from '#infra/stage-settings';
import { secretNames } from '#lib/platform/config';
import { DEFAULT_TIMEOUT_SECONDS, routes, wsRoutes } from '#lib/routes';
import {
  aliasIdOf,
  functionIdOf,
  functionsOf,
  type Synthesized,
  statementsOf,
  synthesize,
} from '#tests/infra/synth';

const allRoutes = [...routes, ...wsRoutes];

/** Values that look like a credential: a URL with a password, a key, a long random token. */
const secretLooking = [
  /:\/\/[^/\s:@]+:[^/\s@]+@/,
  /\b(sk|pk)_(live|test)_\w+/,
  /^[\w-]+:[^,]{32,}/,
  /eyJ[\w-]{10,}\.[\w-]{10,}/,
  /^(?=.*\d)(?=.*[a-zA-Z])[A-Za-z0-9+/_=-]{32,}$/,
];

describe.each(['staging', 'production'] as const)('the %s stack', (stage) => {
  let synth: Synthesized;
  let template: Template;
  const settings = stageSettings[stage];

  beforeAll(() => {
    synth = synthesize(stage);
    template = synth.template;
  });
  afterAll(() => synth?.dispose());

  it('keeps every template under CloudFormation’s 500 resources', () => {
    // The parent and one nested stack per folder of functions/.
    expect(synth.templates.size).toBeGreaterThan(2);
    for (const [path, t] of synth.templates) {
      expect(Object.keys(t.toJSON().Resources).length, path).toBeLessThan(500);
    }
  });

  it('puts no secret, and nothing that looks like one, in any function environment', () => {
    for (const [id, fn] of Object.entries(functionsOf(template))) {
      const variables: Record<string, unknown> = fn.Properties.Environment.Variables;
      for (const name of secretNames) expect(variables, `${id} ${name}`).not.toHaveProperty(name);
      for (const [name, value] of Object.entries(variables)) {
        if (typeof value !== 'string') continue;
        for (const pattern of secretLooking) expect(value, `${id} ${name}`).not.toMatch(pattern);
      }
    }
    // Nor anywhere else in the templates: no secret value, no generated placeholder.
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
  });

  it('lets each secret be read only by the functions whose route names it', () => {
    const readers = new Map<string, string[]>();
    for (const r of allRoutes) {
      const id = functionIdOf(template, routeLabel(r));
      const variables = functionsOf(template)[id]?.Properties.Environment.Variables;
      expect(variables.SECRET_NAMES?.split(',') ?? [], routeLabel(r)).toEqual([...r.secrets]);
      expect(variables.SECRETS_PREFIX, routeLabel(r)).toBe(`marketplace/${stage}/`);
      const resources = statementsOf(template, id)
        .filter((st) => [st.Action].flat().includes('secretsmanager:GetSecretValue'))
        .flatMap((st) => [st.Resource].flat());
      const names = resources.map((res) => {
        const parts = (res as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
        const tail = parts[parts.length - 1] as string;
        const match = /:secret:(.+)-\?{6}$/.exec(tail);
        expect(match, JSON.stringify(res)).not.toBeNull();
        return (match?.[1] ?? '').replace(secretsPrefix(stage), '');
      });
      expect(names.sort(), routeLabel(r)).toEqual([...r.secrets].sort());
      for (const name of names) readers.set(name, [...(readers.get(name) ?? []), routeLabel(r)]);
    }
    // The secrets a sign-in or a payment needs are read only where they are needed.
    expect(readers.get('OTP_SECRET')?.sort()).toEqual([...OTP_ROUTE_KEYS].sort());
    expect(readers.get('PAYSTACK_SECRET_KEY')).not.toContain('GET /health');
    expect(readers.get('JWT_SIGNING_KEYS')).not.toContain('POST /jobs/cleanup');
    expect(readers.get('TERMII_API_KEY')).toEqual(['POST /jobs/send-sms']);
  });

  it('reads secrets through the Parameters and Secrets extension layer', () => {
    // The layer's ARN by region, from CDK's table, in each template that has functions.
    const layerArns = [...synth.templates.values()].flatMap((t) =>
      Object.values(t.toJSON().Mappings ?? {}).flatMap((byRegion) =>
        Object.values(byRegion as Record<string, Record<string, string>>).flatMap(Object.values),
      ),
    );
    expect(layerArns.length).toBeGreaterThan(0);
    expect(
      layerArns.filter((arn) =>
        arn.includes(':layer:AWS-Parameters-and-Secrets-Lambda-Extension-Arm64:'),
      ).length,
    ).toBeGreaterThan(0);
    for (const r of allRoutes) {
      const fn = functionsOf(template)[functionIdOf(template, routeLabel(r))];
      const layers = fn?.Properties.Layers ?? [];
      if (r.secrets.length > 0) {
        expect(layers, routeLabel(r)).toEqual([{ 'Fn::FindInMap': expect.any(Array) }]);
        expect(JSON.stringify(layers[0]), routeLabel(r)).toContain('arm64');
      } else {
        expect(layers, routeLabel(r)).toEqual([]);
      }
    }
  });

  it('throttles both API stages, and the OTP routes far tighter', () => {
    const stages = template.findResources('AWS::ApiGatewayV2::Stage');
    expect(Object.keys(stages)).toHaveLength(2);
    for (const s of Object.values(stages)) {
      expect(s.Properties.DefaultRouteSettings).toMatchObject({
        ThrottlingRateLimit: settings.throttle.rateLimit,
        ThrottlingBurstLimit: settings.throttle.burstLimit,
      });
    }
    const http = Object.values(stages).find((s) => s.Properties.StageName === '$default');
    for (const key of OTP_ROUTE_KEYS) {
      expect(http?.Properties.RouteSettings[key]).toEqual({
        ThrottlingRateLimit: settings.otpThrottle.rateLimit,
        ThrottlingBurstLimit: settings.otpThrottle.burstLimit,
      });
      expect(settings.otpThrottle.rateLimit).toBeLessThan(settings.throttle.rateLimit / 10);
    }
  });

  it('alarms to one topic: API 5xx and p99, WebSocket errors, throttles, each function, QStash failures', () => {
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'alarms@example.com',
    });
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    for (const a of alarms) expect(a.Properties.AlarmActions).toHaveLength(1);
    const named = (metric: string, namespace: string) =>
      alarms.filter(
        (a) => a.Properties.MetricName === metric && a.Properties.Namespace === namespace,
      );
    expect(named('5xx', 'AWS/ApiGateway')).toHaveLength(1);
    expect(named('5xx', 'AWS/ApiGateway')[0]?.Properties.Statistic).toBe('Average');
    expect(named('IntegrationError', 'AWS/ApiGateway')).toHaveLength(1);
    for (const r of allRoutes) {
      const fnId = functionIdOf(template, routeLabel(r));
      const aliasId = aliasIdOf(template, fnId);
      const onAlias = alarms.filter(
        (a) =>
          (a.Properties.Dimensions ?? []).some(
            (d: { Name: string; Value: unknown }) =>
              d.Name === 'Resource' && JSON.stringify(d.Value).includes(':live'),
          ) &&
          (a.Properties.Dimensions ?? []).some(
            (d: { Name: string; Value: unknown }) =>
              d.Name === 'FunctionName' &&
              JSON.stringify(d.Value) === JSON.stringify({ Ref: fnId }),
          ),
      );
      expect(
        onAlias.map((a) => a.Properties.MetricName),
        routeLabel(r),
      ).toEqual(['Errors']);
      expect(aliasId).toBeDefined();
    }
    // Slowness and throttles once for the stage, not per function: p99 of the whole HTTP API
    // near the default timeout, and Lambda's throttles of the account (no dimensions).
    const slow = named('Latency', 'AWS/ApiGateway');
    expect(slow).toHaveLength(1);
    expect(slow[0]?.Properties.ExtendedStatistic).toBe('p99');
    expect(slow[0]?.Properties.Threshold).toBe(DEFAULT_TIMEOUT_SECONDS * 1000 * 0.8);
    const throttles = named('Throttles', 'AWS/Lambda');
    expect(throttles).toHaveLength(1);
    expect(throttles[0]?.Properties.Dimensions).toBeUndefined();
    // One per function and six for the stage: what bench:cost counts.
    expect(alarms).toHaveLength(allRoutes.length + 6);
    // Failed deliveries: counted from the failure-callback job's log group.
    const callback = functionIdOf(template, 'POST /jobs/qstash-failed');
    const logGroup = functionsOf(template)[callback]?.Properties.LoggingConfig.LogGroup.Ref;
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      LogGroupName: { Ref: logGroup },
      FilterPattern: '{ $.message = "qstash delivery failed" }',
      MetricTransformations: [
        Match.objectLike({ MetricName: 'FailedQStashDeliveries', MetricValue: '1' }),
      ],
    });
    expect(named('FailedQStashDeliveries', `Marketplace/${stage}`)).toHaveLength(1);
    // The outside /health check and its alarm are in the stage's us-east-1 stack
    // (tests/infra/health.test.ts), where Route 53 keeps its metrics.
    template.resourceCountIs('AWS::Route53::HealthCheck', 0);
    expect(named('HealthCheckStatus', 'AWS/Route53')).toHaveLength(0);
  });

  it('gives every function a live alias that API Gateway calls', () => {
    template.resourceCountIs('AWS::Lambda::Alias', allRoutes.length);
    template.allResourcesProperties('AWS::Lambda::Alias', { Name: 'live' });
    const integrations = Object.values(template.findResources('AWS::ApiGatewayV2::Integration'));
    expect(integrations).toHaveLength(allRoutes.length);
    for (const i of integrations) {
      expect(JSON.stringify(i.Properties.IntegrationUri)).toMatch(/"Ref":"\w*Live\w*"/);
    }
  });

  if (stage === 'production') {
    it('shifts production traffic by a 10% canary for 5 minutes, rolled back on alarms', () => {
      const groups = Object.values(template.findResources('AWS::CodeDeploy::DeploymentGroup'));
      expect(groups).toHaveLength(allRoutes.length);
      for (const g of groups) {
        expect(g.Properties.DeploymentConfigName).toEqual(
          expect.stringContaining('LambdaCanary10Percent5Minutes'),
        );
        expect(g.Properties.AlarmConfiguration.Enabled).toBe(true);
        expect(g.Properties.AlarmConfiguration.Alarms).toHaveLength(1);
        expect(g.Properties.AutoRollbackConfiguration.Events).toEqual(
          expect.arrayContaining(['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM']),
        );
      }
      template.resourceCountIs('AWS::CodeDeploy::Application', 1);
      for (const a of Object.values(template.findResources('AWS::Lambda::Alias'))) {
        expect(a.UpdatePolicy?.CodeDeployLambdaAliasUpdate).toBeDefined();
      }
    });
  } else {
    it('deploys staging all at once: no CodeDeploy', () => {
      template.resourceCountIs('AWS::CodeDeploy::DeploymentGroup', 0);
      template.resourceCountIs('AWS::CodeDeploy::Application', 0);
    });
  }

  it('aborts incomplete multipart uploads after a day on both buckets', () => {
    const buckets = Object.values(template.findResources('AWS::S3::Bucket'));
    expect(buckets).toHaveLength(2);
    for (const b of buckets) {
      expect(b.Properties.LifecycleConfiguration.Rules).toContainEqual(
        expect.objectContaining({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }),
      );
      expect(b.DeletionPolicy).toBe(stage === 'production' ? 'Retain' : 'Delete');
    }
    template.allResourcesProperties('AWS::Logs::LogGroup', {
      RetentionInDays: stage === 'production' ? 90 : 14,
    });
  });

  it('outputs the API URL, the WebSocket URL and the CDN domain', () => {
    const outputs = template.findOutputs('*');
    for (const name of ['ApiUrl', 'WebSocketUrl', 'CdnDomain'])
      expect(outputs).toHaveProperty(name);
    expect(outputs.CdnDomain?.Value).toEqual({ 'Fn::GetAtt': [expect.any(String), 'DomainName'] });
  });
});
