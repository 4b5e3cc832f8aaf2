import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { CfnHealthCheck } from 'aws-cdk-lib/aws-route53';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { SHALLOW_HEALTH_PATH } from '#lib/health/contracts';
import type { Stage } from '#lib/platform/config';

/** Route 53 publishes health-check metrics only here, and an alarm acts only in its region. */
export const HEALTH_REGION = 'us-east-1';
/** Route 53 checks from outside every 30 s (its intervals are 10 or 30 s). */
export const HEALTH_CHECK_INTERVAL_SECONDS = 30;
/** Checks in a row that fail before Route 53 calls the endpoint unhealthy. */
export const HEALTH_CHECK_FAILURE_THRESHOLD = 3;

/** The stage's health stack (infra/app.ts), beside its main stack `Marketplace-<stage>`. */
export const healthStackNameOf = (stage: Stage) => `Marketplace-${stage}-health`;

export interface HealthStackProps extends StackProps {
  stage: Stage;
  /** The API's domain: a cross-region reference to the main stack's HTTP API. */
  apiDomain: string;
  /** Who is told (`-c alarmEmail=...`), as for the main stack's topic. */
  alarmEmail?: string;
}

/**
 * `GET /health?depth=shallow` from outside, in us-east-1: a Route 53 HTTPS health check on the
 * API's domain (shallow: its checkers call about every 2 s, and a `select 1` each would keep
 * Neon from ever suspending; the database's failures show in the API's 5xx alarm), the alarm on its `HealthCheckStatus` (a metric Route 53 keeps only in us-east-1)
 * and that alarm's own SNS topic, since an alarm's actions must be in its region.
 */
export class HealthStack extends Stack {
  readonly topic: Topic;
  readonly healthCheck: CfnHealthCheck;
  readonly alarm: Alarm;

  constructor(scope: Construct, id: string, props: HealthStackProps) {
    super(scope, id, props);
    if (this.region !== HEALTH_REGION) {
      throw new Error(`the health stack must be in ${HEALTH_REGION}, not ${this.region}`);
    }
    this.topic = new Topic(this, 'Topic', {
      displayName: `marketplace ${props.stage} health alarm`,
    });
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
    this.healthCheck = new CfnHealthCheck(this, 'HealthCheck', {
      healthCheckConfig: {
        type: 'HTTPS',
        fullyQualifiedDomainName: props.apiDomain,
        port: 443,
        resourcePath: SHALLOW_HEALTH_PATH,
        requestInterval: HEALTH_CHECK_INTERVAL_SECONDS,
        failureThreshold: HEALTH_CHECK_FAILURE_THRESHOLD,
      },
      healthCheckTags: [{ key: 'Name', value: `marketplace-${props.stage}-health` }],
    });
    // HealthCheckStatus is 1 while healthy, 0 once the check has failed its threshold.
    this.alarm = new Alarm(this, 'HealthCheckFailing', {
      alarmDescription: `GET /health from outside failed for ${HEALTH_CHECK_FAILURE_THRESHOLD} checks in a row, for 2 minutes`,
      metric: new Metric({
        namespace: 'AWS/Route53',
        metricName: 'HealthCheckStatus',
        dimensionsMap: { HealthCheckId: this.healthCheck.attrHealthCheckId },
        statistic: 'Minimum',
        period: Duration.minutes(1),
      }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 2,
      // No data from Route 53 is no proof of health.
      treatMissingData: TreatMissingData.BREACHING,
    });
    this.alarm.addAlarmAction(new SnsAction(this.topic));
  }
}
