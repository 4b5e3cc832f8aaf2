import { App } from 'aws-cdk-lib';
import { ApiStack } from '#infra/api-stack';
import { parseOrigins } from '#lib/http/cors';
import { configNames, localOnlyNames, type Stage, stages } from '#lib/platform/config';

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
  // Set only for the functions that post to WebSocket connections (route-function.ts).
  'WS_CALLBACK_URL',
  'AWS_REGION',
]);

// The variables the configuration schema reads, as far as they are present in the deploy
// environment; nothing secret is read from the repository.
const environment: Record<string, string> = {};
for (const name of configNames) {
  const value = process.env[name];
  if (value && !setByStack.has(name) && !localOnlyNames.includes(name)) environment[name] = value;
}

new ApiStack(app, `Marketplace-${stage}`, {
  stage,
  environment,
  corsOrigins: parseOrigins(process.env.CORS_ORIGINS ?? '*'),
  env: {
    account: process.env.CDK_DEFAULT_ACCOUNT,
    region: process.env.CDK_DEFAULT_REGION ?? 'eu-west-1',
  },
});
