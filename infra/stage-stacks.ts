import type { Environment } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ApiStack, type ApiStackProps } from '#infra/api-stack';
import { HEALTH_REGION, HealthStack } from '#infra/health-stack';

export interface StageStacksProps extends Omit<ApiStackProps, 'env' | 'crossRegionReferences'> {
  /** The main stack's account and region; the health stack takes the account, in us-east-1. */
  env: Environment & { region: string };
}

/**
 * A stage's stacks: the main one, `<id>`, and `<id>-health` in us-east-1 with the outside
 * `/health` check and its alarm, which reads the API's domain from the main stack through a
 * CDK cross-region reference (an SSM parameter in us-east-1 that the main stack writes).
 */
export function stageStacks(scope: Construct, id: string, props: StageStacksProps) {
  const api = new ApiStack(scope, id, { ...props, crossRegionReferences: true });
  const health = new HealthStack(scope, `${id}-health`, {
    stage: props.stage,
    apiDomain: api.healthCheckDomain,
    ...(props.alarmEmail ? { alarmEmail: props.alarmEmail } : {}),
    env: { ...(props.env.account ? { account: props.env.account } : {}), region: HEALTH_REGION },
    crossRegionReferences: true,
    description: `marketplace ${props.stage}: GET /health from outside and its alarm`,
  });
  return { api, health };
}
