import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEALTH_REGION } from '#infra/health-stack';
import { type SynthesizedStage, synthesizeStage, TEST_REGION } from '#tests/infra/synth';

describe.each(['staging', 'production'] as const)('the %s health stack', (stage) => {
  let synth: SynthesizedStage;
  beforeAll(() => {
    synth = synthesizeStage(stage, { alarmEmail: 'alarms@example.com' });
  });
  afterAll(() => synth?.dispose());

  it('is its own stack in us-east-1, beside the main stack', () => {
    expect(synth.healthStack.stackName).toBe(`Marketplace-${stage}-health`);
    expect(synth.healthStack.region).toBe(HEALTH_REGION);
    expect(TEST_REGION).not.toBe(HEALTH_REGION);
  });

  it('checks GET /health?depth=shallow on the API’s domain over HTTPS every 30 s', () => {
    synth.health.resourceCountIs('AWS::Route53::HealthCheck', 1);
    synth.health.hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: Match.objectLike({
        Type: 'HTTPS',
        ResourcePath: '/health?depth=shallow',
        Port: 443,
        RequestInterval: 30,
        FailureThreshold: 3,
      }),
    });
    // The domain is the main stack's HTTP API in eu-west-1, its id read through a CDK
    // cross-region reference: an SSM parameter in us-east-1 the main stack's export writer keeps.
    const check = Object.values(synth.health.findResources('AWS::Route53::HealthCheck'))[0];
    const domain = JSON.stringify(check?.Properties.HealthCheckConfig.FullyQualifiedDomainName);
    expect(domain).toMatch(
      new RegExp(
        `"Fn::GetAtt":\\["ExportsReader\\w+","/cdk/exports/Marketplace-${stage}-health/\\w*RefHttpApi\\w+"\\]`,
      ),
    );
    expect(domain).toContain(`".execute-api.${TEST_REGION}."`);
    const writers = Object.values(synth.api.findResources('Custom::CrossRegionExportWriter'));
    expect(writers).toHaveLength(1);
    expect(writers[0]?.Properties.WriterProps.region).toBe(HEALTH_REGION);
    expect(Object.values(writers[0]?.Properties.WriterProps.exports)).toEqual([
      { Ref: expect.stringMatching(/^HttpApi/) },
    ]);
  });

  it('alarms on the check to its own topic in us-east-1, with the email subscription', () => {
    const alarms = Object.values(synth.health.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms).toHaveLength(1);
    const [check] = Object.keys(synth.health.findResources('AWS::Route53::HealthCheck'));
    const [topic] = Object.keys(synth.health.findResources('AWS::SNS::Topic'));
    expect(alarms[0]?.Properties).toMatchObject({
      Namespace: 'AWS/Route53',
      MetricName: 'HealthCheckStatus',
      Dimensions: [{ Name: 'HealthCheckId', Value: { 'Fn::GetAtt': [check, 'HealthCheckId'] } }],
      Statistic: 'Minimum',
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      TreatMissingData: 'breaching',
      AlarmActions: [{ Ref: topic }],
    });
    synth.health.resourceCountIs('AWS::SNS::Topic', 1);
    synth.health.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'alarms@example.com',
      TopicArn: { Ref: topic },
    });
  });

  it('leaves the main stack without a health check or its alarm', () => {
    synth.api.resourceCountIs('AWS::Route53::HealthCheck', 0);
    const alarms = Object.values(synth.api.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.filter((a) => a.Properties.Namespace === 'AWS/Route53')).toHaveLength(0);
  });
});

describe('the health stack without -c alarmEmail', () => {
  it('has its topic but no subscription yet', () => {
    const synth = synthesizeStage('staging');
    try {
      synth.health.resourceCountIs('AWS::SNS::Topic', 1);
      synth.health.resourceCountIs('AWS::SNS::Subscription', 0);
    } finally {
      synth.dispose();
    }
  });
});
