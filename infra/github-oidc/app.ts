// The one-time CI bootstrap, its own CDK app (docs/DEPLOY.md):
//   npx cdk deploy --app "node infra/github-oidc/app.ts" -c githubRepo=<owner>/<repo>
// Optional: -c oidcProviderArn=<arn> when the account already has GitHub's OIDC provider.
import { App } from 'aws-cdk-lib';
import { GithubOidcStack, parseRepository } from '#infra/github-oidc/stack';

const app = new App();
let repository: string;
try {
  repository = parseRepository(app.node.tryGetContext('githubRepo'));
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
const existingProviderArn: unknown = app.node.tryGetContext('oidcProviderArn');

new GithubOidcStack(app, 'Marketplace-github-oidc', {
  repository,
  existingProviderArn: typeof existingProviderArn === 'string' ? existingProviderArn : undefined,
  env: {
    account: process.env.CDK_DEFAULT_ACCOUNT,
    region: process.env.CDK_DEFAULT_REGION ?? 'eu-west-1',
  },
});
