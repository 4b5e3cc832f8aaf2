import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import {
  type IOidcProvider,
  OidcProviderNative,
  OpenIdConnectPrincipal,
  PolicyStatement,
  Role,
} from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { HEALTH_REGION, healthStackNameOf } from '#infra/health-stack';
import { secretsPrefix } from '#infra/secrets';
import type { SecretName } from '#lib/platform/config';

/** GitHub Actions' token issuer, as IAM names it in condition keys. */
export const GITHUB_ISSUER = 'token.actions.githubusercontent.com';
/** The audience aws-actions/configure-aws-credentials asks GitHub for. */
export const AUDIENCE = 'sts.amazonaws.com';
/** CDK's default bootstrap qualifier (`cdk bootstrap` without `--qualifier`). */
export const CDK_QUALIFIER = 'hnb659fds';

/** The stages CI deploys: each a GitHub environment, a stack and a secret of the same name. */
export const deployedStages = ['staging', 'production'] as const;
export type DeployedStage = (typeof deployedStages)[number];

/** The main app's stack of a stage (infra/app.ts). */
export const stackNameOf = (stage: DeployedStage) => `Marketplace-${stage}`;
/**
 * The stage secrets (`marketplace/<stage>/<NAME>`, infra/secrets.ts) the deploy workflow reads:
 * the database for migrations, QStash for the schedules, the JWT keys for the smoke test's
 * WebSocket token. The deploy role can read these and no other.
 */
export const secretsReadByCi = [
  'DATABASE_URL',
  'QSTASH_TOKEN',
  'JWT_SIGNING_KEYS',
] as const satisfies readonly SecretName[];

/**
 * `owner/repo`, or the immutable form `owner@<id>/repo@<id>` that GitHub puts in `sub` for
 * repositories created (or renamed) since mid-2026.
 */
const REPOSITORY = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}(@\d+)?\/[A-Za-z0-9._-]{1,100}(@\d+)?$/;

/** The `githubRepo` context value, checked; throws a message that says what to pass. */
export function parseRepository(value: unknown): string {
  if (typeof value === 'string' && REPOSITORY.test(value)) return value;
  const got = value === undefined ? 'nothing' : JSON.stringify(value);
  throw new Error(
    `githubRepo is required: pass -c githubRepo=<owner>/<repo> exactly as the repository ` +
      `appears in GitHub's OIDC sub claim (owner@<id>/repo@<id> for repositories with ` +
      `immutable ids; docs/DEPLOY.md shows how to read it). Got ${got}.`,
  );
}

export interface GithubOidcStackProps extends StackProps {
  /** As in the `sub` claim: `owner/repo` or `owner@<id>/repo@<id>`. */
  repository: string;
  /**
   * An account has one provider per issuer URL: pass its ARN when the account already has
   * GitHub's (another project made it), and this stack uses it instead of creating one.
   */
  existingProviderArn?: string;
}

/**
 * The one-time bootstrap for CI (`infra/github-oidc/app.ts`): GitHub's OIDC provider and two
 * roles that only GitHub Actions runs of this repository can assume, and that can do nothing
 * themselves except assume CDK's bootstrap roles (and, for deploys, read the three stage
 * secrets the workflow uses and the stacks' outputs). No long-lived AWS keys anywhere.
 */
export class GithubOidcStack extends Stack {
  readonly provider: IOidcProvider;
  readonly diffRole: Role;
  readonly deployRole: Role;

  constructor(scope: Construct, id: string, props: GithubOidcStackProps) {
    super(scope, id, props);
    const repository = parseRepository(props.repository);
    this.provider = props.existingProviderArn
      ? OidcProviderNative.fromOidcProviderArn(this, 'GithubProvider', props.existingProviderArn)
      : new OidcProviderNative(this, 'GithubProvider', {
          url: `https://${GITHUB_ISSUER}`,
          clientIds: [AUDIENCE],
        });

    // Only tokens minted for this repository, for sts.amazonaws.com, in the given contexts.
    // StringEquals, never StringLike: no wildcard can widen a subject.
    const trusted = (contexts: string[]) =>
      new OpenIdConnectPrincipal(this.provider, {
        StringEquals: {
          [`${GITHUB_ISSUER}:aud`]: AUDIENCE,
          [`${GITHUB_ISSUER}:sub`]: contexts.map((c) => `repo:${repository}:${c}`),
        },
      });
    // The stages' main stacks are in this stack's region, their health stacks
    // (infra/health-stack.ts) in us-east-1: CDK is bootstrapped in both, and CI uses both.
    const regions = [...new Set([this.region, HEALTH_REGION])];
    const cdkRoles = (kind: string) =>
      regions.map(
        (region) =>
          `arn:${this.partition}:iam::${this.account}:role/cdk-${CDK_QUALIFIER}-${kind}-role-${this.account}-${region}`,
      );

    // `cdk diff --method template` reads the deployed template through CDK's lookup role,
    // which is read-only. Pull requests run code nobody has reviewed yet: nothing more.
    this.diffRole = new Role(this, 'DiffRole', {
      roleName: 'marketplace-github-diff',
      description: `cdk diff from pull requests of ${repository} (CDK lookup role only)`,
      assumedBy: trusted(['pull_request']),
      maxSessionDuration: Duration.hours(1),
    });
    this.diffRole.addToPolicy(
      new PolicyStatement({ actions: ['sts:AssumeRole'], resources: cdkRoles('lookup') }),
    );

    // Every deploy job runs in a GitHub environment, so its token's sub is the environment
    // form (`repo:<repo>:environment:<name>`); the environments only accept main. The
    // `ref:refs/heads/main` form is left out on purpose: it would let a job without an
    // environment, and so without production's reviewers, deploy.
    this.deployRole = new Role(this, 'DeployRole', {
      roleName: 'marketplace-github-deploy',
      description: `deploys of ${repository} from its staging and production environments`,
      assumedBy: trusted(deployedStages.map((stage) => `environment:${stage}`)),
      maxSessionDuration: Duration.hours(1),
    });
    this.deployRole.addToPolicy(
      new PolicyStatement({
        actions: ['sts:AssumeRole'],
        resources: ['deploy', 'file-publishing', 'image-publishing'].flatMap(cdkRoles),
      }),
    );
    // Secrets Manager appends six random characters to a secret's name in its ARN.
    this.deployRole.addToPolicy(
      new PolicyStatement({
        actions: ['secretsmanager:GetSecretValue'],
        resources: deployedStages.flatMap((stage) =>
          secretsReadByCi.map(
            (name) =>
              `arn:${this.partition}:secretsmanager:${this.region}:${this.account}:secret:${secretsPrefix(stage)}${name}-??????`,
          ),
        ),
      }),
    );
    // The API and WebSocket URLs the schedules and the smoke test need are stack outputs;
    // the health stacks' state, for a failed deploy's log.
    this.deployRole.addToPolicy(
      new PolicyStatement({
        actions: ['cloudformation:DescribeStacks'],
        resources: deployedStages.flatMap((stage) => [
          `arn:${this.partition}:cloudformation:${this.region}:${this.account}:stack/${stackNameOf(stage)}/*`,
          `arn:${this.partition}:cloudformation:${HEALTH_REGION}:${this.account}:stack/${healthStackNameOf(stage)}/*`,
        ]),
      }),
    );

    new CfnOutput(this, 'DiffRoleArn', {
      value: this.diffRole.roleArn,
      description: 'GitHub variable AWS_DIFF_ROLE_ARN',
    });
    new CfnOutput(this, 'DeployRoleArn', {
      value: this.deployRole.roleArn,
      description: 'GitHub variable AWS_DEPLOY_ROLE_ARN',
    });
  }
}
