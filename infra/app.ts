import { App } from 'aws-cdk-lib';
import { ApiStack } from './api-stack.ts';

const app = new App();
const stage = (app.node.tryGetContext('stage') ?? 'development') as
  | 'production'
  | 'staging'
  | 'development';

// Only what is present in the deploy environment reaches the functions; nothing secret is
// read from the repository.
const passThrough = [
  'APP_VERSION',
  'LOG_LEVEL',
  'SENTRY_DSN',
  'DATABASE_URL',
  'JWT_SIGNING_KEYS',
  'OTP_SECRET',
  'PUBLIC_API_URL',
  'QSTASH_TOKEN',
  'QSTASH_CURRENT_SIGNING_KEY',
  'QSTASH_NEXT_SIGNING_KEY',
  'UPSTASH_REDIS_REST_URL',
  'UPSTASH_REDIS_REST_TOKEN',
  'EMAIL_PROVIDER',
  'EMAIL_FROM',
  'SMS_PROVIDER',
  'TERMII_API_KEY',
  'TERMII_SENDER_ID',
  'PUSH_PROVIDER',
  'EXPO_ACCESS_TOKEN',
] as const;
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
