import { App } from 'aws-cdk-lib';
import { stageStacks } from '#infra/stage-stacks';
import { parseOrigins } from '#lib/http/cors';
import { configNames, localOnlyNames, type Stage, secretNames, stages } from '#lib/platform/config';

const app = new App();
const stage = (app.node.tryGetContext('stage') ?? 'development') as Stage;
if (!stages.includes(stage)) throw new Error(`stage must be one of ${stages.join(', ')}`);

/**
 * What the stack sets itself for every function, from its own resources and stage; Lambda
 * reserves AWS_REGION.
 */
const setByStack = new Set<string>([
  'APP_ENV',
  'CACHE_NAMESPACE',
  'S3_PUBLIC_BUCKET',
  'S3_PRIVATE_BUCKET',
  'CDN_BASE_URL',
  'CORS_ORIGINS',
  'PUBLIC_API_URL',
  // Set per function from the route table (route-function.ts): which secrets, and where.
  'SECRET_NAMES',
  'SECRETS_PREFIX',
  // Set only for the functions that post to WebSocket connections (route-function.ts).
  'WS_CALLBACK_URL',
  'AWS_REGION',
]);

/** Secrets never enter the template: functions read them from Secrets Manager. */
const secret = new Set<string>(secretNames);

// The non-secret variables the configuration schema reads, as far as they are present in
// the deploy environment; nothing secret is read from the repository or the environment.
const environment: Record<string, string> = {};
for (const name of configNames) {
  const value = process.env[name];
  if (value && !setByStack.has(name) && !localOnlyNames.includes(name) && !secret.has(name)) {
    environment[name] = value;
  }
}
// A custom domain's URL replaces the API's own for QStash's callbacks.
if (process.env.PUBLIC_API_URL) environment.PUBLIC_API_URL = process.env.PUBLIC_API_URL;

const alarmEmail = app.node.tryGetContext('alarmEmail') as string | undefined;

// The main stack, and `Marketplace-<stage>-health` in us-east-1 with the outside /health
// check and its alarm (Route 53's metrics are only there); `cdk deploy --all` deploys both.
stageStacks(app, `Marketplace-${stage}`, {
  stage,
  environment,
  corsOrigins: parseOrigins(process.env.CORS_ORIGINS ?? '*'),
  ...(alarmEmail ? { alarmEmail } : {}),
  env: {
    account: process.env.CDK_DEFAULT_ACCOUNT,
    region: process.env.CDK_DEFAULT_REGION ?? 'eu-west-1',
  },
});
