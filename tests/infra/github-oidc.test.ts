import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import {
  GithubOidcStack,
  type GithubOidcStackProps,
  parseRepository,
} from '#infra/github-oidc/stack';

const account = '123456789012';
const region = 'eu-west-1';
const outdirs: string[] = [];
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

function synthesize(props: Partial<GithubOidcStackProps> = {}): Template {
  const outdir = mkdtempSync(path.join(tmpdir(), 'cdk-oidc-'));
  outdirs.push(outdir);
  const stack = new GithubOidcStack(new App({ outdir }), 'Oidc', {
    repository: 'acme/marketplace',
    env: { account, region },
    ...props,
  });
  return Template.fromStack(stack);
}

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource?: unknown;
  Principal?: { Federated?: unknown };
  Condition?: Record<string, Record<string, string | string[]>>;
}

const list = <T>(v: T | T[] | undefined): T[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];

/** An ARN as a string: the stack builds them with the partition, which stays a token. */
function render(value: unknown): string {
  if (typeof value === 'string') return value;
  const { Ref, 'Fn::Join': join } = value as { Ref?: string; 'Fn::Join'?: [string, unknown[]] };
  if (Ref === 'AWS::Partition') return 'aws';
  if (join) return join[1].map(render).join(join[0]);
  throw new Error(`cannot render ${JSON.stringify(value)}`);
}

/** The role whose RoleName is `name`, with its logical id. */
function roleNamed(template: Template, name: string) {
  const found = Object.entries(template.findResources('AWS::IAM::Role')).find(
    ([, r]) => r.Properties.RoleName === name,
  );
  if (!found) throw new Error(`no role ${name}`);
  const [id, role] = found;
  return { id, properties: role.Properties };
}

/** Every statement the role's identity policies allow, with its actions and resources flat. */
function permissionsOf(template: Template, roleId: string): string[][] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[])
    .flatMap((st) => {
      expect(st.Effect).toBe('Allow');
      return list(st.Action).flatMap((a) => list(st.Resource).map((r) => [a, render(r)]));
    })
    .sort();
}

const trustOf = (properties: { AssumeRolePolicyDocument: { Statement: Statement[] } }) =>
  properties.AssumeRolePolicyDocument.Statement;

const cdkRole = (kind: string, inRegion = region) =>
  `arn:aws:iam::${account}:role/cdk-hnb659fds-${kind}-role-${account}-${inRegion}`;

describe('the GitHub OIDC bootstrap stack', () => {
  it("creates GitHub's OIDC provider for the audience sts.amazonaws.com", () => {
    synthesize().hasResourceProperties('AWS::IAM::OIDCProvider', {
      Url: 'https://token.actions.githubusercontent.com',
      ClientIdList: ['sts.amazonaws.com'],
    });
  });

  it('lets only pull requests of this repository assume the diff role', () => {
    const template = synthesize();
    const provider = Object.keys(template.findResources('AWS::IAM::OIDCProvider'))[0];
    const { properties } = roleNamed(template, 'marketplace-github-diff');
    expect(trustOf(properties)).toEqual([
      {
        Effect: 'Allow',
        Action: 'sts:AssumeRoleWithWebIdentity',
        Principal: { Federated: { Ref: provider } },
        Condition: {
          StringEquals: {
            'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
            'token.actions.githubusercontent.com:sub': ['repo:acme/marketplace:pull_request'],
          },
        },
      },
    ]);
  });

  it('lets only the staging and production environments of this repository assume the deploy role', () => {
    const template = synthesize();
    const provider = Object.keys(template.findResources('AWS::IAM::OIDCProvider'))[0];
    const { properties } = roleNamed(template, 'marketplace-github-deploy');
    expect(trustOf(properties)).toEqual([
      {
        Effect: 'Allow',
        Action: 'sts:AssumeRoleWithWebIdentity',
        Principal: { Federated: { Ref: provider } },
        Condition: {
          StringEquals: {
            'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
            'token.actions.githubusercontent.com:sub': [
              'repo:acme/marketplace:environment:staging',
              'repo:acme/marketplace:environment:production',
            ],
          },
        },
      },
    ]);
  });

  it("gives the diff role nothing but CDK's lookup role", () => {
    const template = synthesize();
    const { id, properties } = roleNamed(template, 'marketplace-github-diff');
    expect(properties.ManagedPolicyArns).toBeUndefined();
    expect(properties.Policies).toBeUndefined();
    // In the main stacks' region and in us-east-1, where the health stacks are.
    expect(permissionsOf(template, id)).toEqual(
      [
        ['sts:AssumeRole', cdkRole('lookup')],
        ['sts:AssumeRole', cdkRole('lookup', 'us-east-1')],
      ].sort(),
    );
  });

  it("gives the deploy role CDK's deploy and publishing roles, the workflow's secrets and the stacks' outputs", () => {
    const template = synthesize();
    const { id, properties } = roleNamed(template, 'marketplace-github-deploy');
    expect(properties.ManagedPolicyArns).toBeUndefined();
    expect(properties.Policies).toBeUndefined();
    expect(permissionsOf(template, id)).toEqual(
      [
        [
          'cloudformation:DescribeStacks',
          `arn:aws:cloudformation:${region}:${account}:stack/Marketplace-production/*`,
        ],
        [
          'cloudformation:DescribeStacks',
          `arn:aws:cloudformation:${region}:${account}:stack/Marketplace-staging/*`,
        ],
        ...['staging', 'production'].map((stage) => [
          'cloudformation:DescribeStacks',
          `arn:aws:cloudformation:us-east-1:${account}:stack/Marketplace-${stage}-health/*`,
        ]),
        ...['staging', 'production'].flatMap((stage) =>
          ['DATABASE_URL', 'QSTASH_TOKEN', 'JWT_SIGNING_KEYS'].map((name) => [
            'secretsmanager:GetSecretValue',
            `arn:aws:secretsmanager:${region}:${account}:secret:marketplace/${stage}/${name}-??????`,
          ]),
        ),
        ...[region, 'us-east-1'].flatMap((inRegion) =>
          ['deploy', 'file-publishing', 'image-publishing'].map((kind) => [
            'sts:AssumeRole',
            cdkRole(kind, inRegion),
          ]),
        ),
      ].sort(),
    );
  });

  it('has no other roles or policies', () => {
    const template = synthesize();
    template.resourceCountIs('AWS::IAM::Role', 2);
    template.resourceCountIs('AWS::IAM::Policy', 2);
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
  });

  it('pins sub to the immutable ids when the repository is given with them', () => {
    const template = synthesize({ repository: 'acme@1001/marketplace@2002' });
    const sub = (name: string) =>
      trustOf(roleNamed(template, name).properties)[0]?.Condition?.StringEquals?.[
        'token.actions.githubusercontent.com:sub'
      ];
    expect(sub('marketplace-github-diff')).toEqual([
      'repo:acme@1001/marketplace@2002:pull_request',
    ]);
    expect(sub('marketplace-github-deploy')).toEqual([
      'repo:acme@1001/marketplace@2002:environment:staging',
      'repo:acme@1001/marketplace@2002:environment:production',
    ]);
  });

  it("trusts an account's existing GitHub provider instead of creating a second one", () => {
    const arn = `arn:aws:iam::${account}:oidc-provider/token.actions.githubusercontent.com`;
    const template = synthesize({ existingProviderArn: arn });
    template.resourceCountIs('AWS::IAM::OIDCProvider', 0);
    const { properties } = roleNamed(template, 'marketplace-github-deploy');
    expect(trustOf(properties)[0]?.Principal).toEqual({ Federated: arn });
  });

  it('refuses to build without a repository, or with one that is not owner/repo', () => {
    for (const bad of [
      undefined,
      '',
      'marketplace',
      'acme/*',
      'acme/marketplace:ref:main',
      'a/b/c',
    ]) {
      expect(() => parseRepository(bad), String(bad)).toThrow(/githubRepo is required/);
    }
    expect(() => synthesize({ repository: 'acme/*' })).toThrow(/githubRepo is required/);
    expect(parseRepository('acme-co/market.place_2')).toBe('acme-co/market.place_2');
    expect(parseRepository('acme@1001/marketplace@2002')).toBe('acme@1001/marketplace@2002');
  });
});
