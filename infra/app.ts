import { App } from 'aws-cdk-lib';
import { ApiStack } from './api-stack.ts';

const app = new App();
const stage = (app.node.tryGetContext('stage') ?? 'development') as
  | 'production'
  | 'staging'
  | 'development';

// Only what is present in the deploy environment reaches the functions; nothing secret is
// read from the repository.
const passThrough = ['APP_VERSION', 'SENTRY_DSN', 'LOG_LEVEL'] as const;
const environment: Record<string, string> = {};
for (const name of passThrough) {
  const value = process.env[name];
  if (value) environment[name] = value;
}

new ApiStack(app, `Marketplace-${stage}`, {
  stage,
  environment,
  corsOrigins: (process.env.CORS_ORIGINS ?? '*').split(','),
  env: {
    account: process.env.CDK_DEFAULT_ACCOUNT,
    region: process.env.CDK_DEFAULT_REGION ?? 'eu-west-1',
  },
});
