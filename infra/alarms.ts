import { Duration } from 'aws-cdk-lib';
import type { HttpApi, WebSocketApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  type IAlarm,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import {
  type ILambdaApplication,
  LambdaApplication,
  LambdaDeploymentGroup,
} from 'aws-cdk-lib/aws-codedeploy';
import { type IRole, ManagedPolicy, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { Alias } from 'aws-cdk-lib/aws-lambda';
import { FilterPattern, type ILogGroup, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { StageSettings } from '#infra/stage-settings';
import { FAILED_DELIVERY_MESSAGE } from '#lib/jobs/catalog';
import type { Stage } from '#lib/platform/config';
import { DEFAULT_TIMEOUT_SECONDS } from '#lib/routes';

export interface AlarmsProps {
  stage: Stage;
  settings: StageSettings;
  /** Who is told (`-c alarmEmail=...`); without it the topic has no subscription yet. */
  email?: string;
}

/**
 * Every alarm of the stage, to one SNS topic: 5xx rate and p99 latency of the HTTP API,
 * WebSocket integration and execution errors, Lambda throttles, the errors of each function's
 * live alias (which also roll its canary back) and failed QStash deliveries. Per-function
 * alarms are made in the function's own (nested) stack. The outside `/health` check and its
 * alarm are in the stage's us-east-1 stack (infra/health-stack.ts), where Route 53 keeps
 * its metrics.
 */
export class Alarms extends Construct {
  readonly topic: Topic;
  private readonly props: AlarmsProps;
  private readonly namespace: string;
  private deployment?: { application: ILambdaApplication; role: IRole };

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    this.props = props;
    this.namespace = `Marketplace/${props.stage}`;
    this.topic = new Topic(this, 'Topic', { displayName: `marketplace ${props.stage} alarms` });
    if (props.email) this.topic.addSubscription(new EmailSubscription(props.email));
    if (props.settings.deployment) {
      // One application and one service role for every function's deployment group.
      this.deployment = {
        application: new LambdaApplication(this, 'Deployments', {
          applicationName: `marketplace-${props.stage}`,
        }),
        role: new Role(this, 'DeploymentRole', {
          assumedBy: new ServicePrincipal('codedeploy.amazonaws.com'),
          managedPolicies: [
            ManagedPolicy.fromAwsManagedPolicyName(
              'service-role/AWSCodeDeployRoleForLambdaLimited',
            ),
          ],
        }),
      };
    }
  }

  private alarm(scope: Construct, id: string, props: ConstructorParameters<typeof Alarm>[2]) {
    const alarm = new Alarm(scope, id, {
      treatMissingData: TreatMissingData.NOT_BREACHING,
      ...props,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    return alarm;
  }

  /**
   * 5xx share of the HTTP API's requests (a throttled or failing function answers 500 here),
   * and its p99 latency near the functions' default timeout: one alarm each for the whole
   * API, not three per function (bench:cost: 252 alarms were $24 of a $56 month at 100 users).
   */
  watchHttpApi(api: HttpApi): void {
    const { alarms } = this.props.settings;
    const period = Duration.minutes(5);
    this.alarm(this, 'HttpApi5xxRate', {
      alarmDescription: `Over ${alarms.serverErrorRate * 100}% of HTTP API requests answered 5xx`,
      // Each request counts 0 or 1 in 5xx, so the average is the rate.
      metric: api.metricServerError({ statistic: 'Average', period }),
      threshold: alarms.serverErrorRate,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
    });
    const slowMs = Math.round(DEFAULT_TIMEOUT_SECONDS * 1000 * alarms.durationShareOfTimeout);
    this.alarm(this, 'HttpApiSlowP99', {
      alarmDescription: `p99 of HTTP API requests over ${slowMs} ms, ${alarms.durationShareOfTimeout * 100}% of the functions' default ${DEFAULT_TIMEOUT_SECONDS} s timeout`,
      metric: api.metricLatency({ statistic: 'p99', period }),
      threshold: slowMs,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
    });
  }

  /**
   * Lambda's throttles of every function in the account and region (the metric without
   * dimensions): the concurrency quota they share is the account's, not a function's.
   */
  watchThrottles(): void {
    this.alarm(this, 'LambdaThrottles', {
      alarmDescription: 'Lambda throttled invocations in this account and region, in 5 minutes',
      metric: new Metric({
        namespace: 'AWS/Lambda',
        metricName: 'Throttles',
        statistic: 'Sum',
        period: Duration.minutes(5),
      }),
      threshold: this.props.settings.alarms.functionThrottles,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
    });
  }

  /** The WebSocket API's own 5xx: its integrations (our functions) and API Gateway itself. */
  watchWebSocketApi(api: WebSocketApi, stageName: string): void {
    for (const [id, metricName] of [
      ['WebSocketIntegrationErrors', 'IntegrationError'],
      ['WebSocketExecutionErrors', 'ExecutionError'],
    ] as const) {
      this.alarm(this, id, {
        alarmDescription: `WebSocket API ${metricName} in 5 minutes`,
        metric: new Metric({
          namespace: 'AWS/ApiGateway',
          metricName,
          dimensionsMap: { ApiId: api.apiId, Stage: stageName },
          statistic: 'Sum',
          period: Duration.minutes(5),
        }),
        threshold: this.props.settings.alarms.functionErrors,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
      });
    }
  }

  /**
   * Errors of a function's live alias (a throw, a timeout, a failed cold start), made in
   * `scope` (the function's stack). In production it also rolls the function's canary back.
   * Throttles and slowness are watched once for the stage (watchThrottles, watchHttpApi).
   */
  watchFunction(scope: Construct, alias: Alias): IAlarm[] {
    const watched = [
      this.alarm(scope, 'Errors', {
        alarmDescription: 'Function errors in 5 minutes',
        metric: alias.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
        threshold: this.props.settings.alarms.functionErrors,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
      }),
    ];
    if (this.deployment && this.props.settings.deployment) {
      new LambdaDeploymentGroup(scope, 'Deployment', {
        alias,
        application: this.deployment.application,
        role: this.deployment.role,
        deploymentConfig: this.props.settings.deployment,
        alarms: watched,
        autoRollback: { failedDeployment: true, stoppedDeployment: true, deploymentInAlarm: true },
      });
    }
    return watched;
  }

  /**
   * Deliveries QStash gave up on: the failure-callback job logs one line each
   * (functions/jobs/qstash-failed.ts), which a metric filter on its log group counts.
   */
  watchFailedDeliveries(logGroup: ILogGroup): void {
    new MetricFilter(logGroup.stack, 'FailedQStashDeliveriesFilter', {
      logGroup,
      filterPattern: FilterPattern.stringValue('$.message', '=', FAILED_DELIVERY_MESSAGE),
      metricNamespace: this.namespace,
      metricName: 'FailedQStashDeliveries',
      metricValue: '1',
    });
    this.alarm(this, 'FailedQStashDeliveries', {
      alarmDescription: 'A QStash delivery failed after its retries (see the DLQ)',
      metric: new Metric({
        namespace: this.namespace,
        metricName: 'FailedQStashDeliveries',
        statistic: 'Sum',
        period: Duration.minutes(5),
      }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
    });
  }
}
