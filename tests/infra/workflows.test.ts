import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { deployedStages, secretsReadByCi, stackNameOf } from '#infra/github-oidc/stack';
import { secretsPrefix } from '#infra/secrets';
import { secretNames } from '#lib/platform/config';
import { root } from '#tools/root';

// `yaml` is no dependency of ours; aws-cdk-lib ships its own copy inside its package
// (bundledDependencies), so it is there whenever aws-cdk-lib is.
const fromCdkLib = createRequire(
  createRequire(import.meta.url).resolve('aws-cdk-lib/package.json'),
);
const YAML = fromCdkLib('yaml') as { parse(source: string): unknown };

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  with?: Record<string, string | number | boolean>;
  env?: Record<string, string>;
}
interface Job {
  needs?: string | string[];
  if?: string;
  'runs-on'?: string;
  environment?: string | { name: string; url?: string };
  permissions?: Record<string, string>;
  env?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  concurrency?: { group: string; 'cancel-in-progress': boolean };
  jobs: Record<string, Job>;
}

/** A GitHub expression as it is written in a workflow, `${{ ... }}`. */
const expression = (body: string) => `\${{ ${body} }}`;

const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const files = ['.github/workflows/ci.yml', '.github/workflows/deploy.yml'] as const;
const source = Object.fromEntries(files.map((f) => [f, read(f)])) as Record<string, string>;
const parsed = (file: string) => YAML.parse(source[file] ?? '') as Workflow;
const ci = parsed('.github/workflows/ci.yml');
const deploy = parsed('.github/workflows/deploy.yml');
const jobsOf = (w: Workflow) => Object.entries(w.jobs);
const allJobs = [...jobsOf(ci), ...jobsOf(deploy)];

const docs = `${read('README.md')}\n${read('docs/DEPLOY.md')}`;
const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;

const assumesAws = (job: Job) =>
  job.steps.some((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'));
const environmentOf = (job: Job) =>
  typeof job.environment === 'string' ? job.environment : job.environment?.name;
const needsOf = (job: Job) => (job.needs === undefined ? [] : [job.needs].flat());

/** The index of the one step whose script runs `command`; fails when none or several do. */
function stepRunning(job: Job, command: RegExp): number {
  const found = job.steps.flatMap((s, i) => (s.run && command.test(s.run) ? [i] : []));
  expect(found, String(command)).toHaveLength(1);
  return found[0] ?? -1;
}

describe('ci.yml', () => {
  it('runs .ci/run on pull requests and on pushes to main', () => {
    expect(Object.keys(ci.on).sort()).toEqual(['pull_request', 'push']);
    expect(ci.on.push).toEqual({ branches: ['main'] });
    expect(ci.jobs.test?.steps.map((s) => s.run).filter(Boolean)).toEqual(['bash .ci/run']);
  });

  it('diffs staging on pull requests from this repository only, with the read-only role, into the job summary', () => {
    const diff = ci.jobs.diff;
    if (!diff) throw new Error('no diff job');
    expect(diff.if).toContain("github.event_name == 'pull_request'");
    expect(diff.if).toContain('github.event.pull_request.head.repo.full_name == github.repository');
    expect(diff.env?.STAGE).toBe('staging');
    const login = diff.steps.findIndex((s) =>
      s.uses?.startsWith('aws-actions/configure-aws-credentials@'),
    );
    expect(diff.steps[login]?.with?.['role-to-assume']).toBe(expression('vars.AWS_DIFF_ROLE_ARN'));
    const run = diff.steps[stepRunning(diff, /npx cdk diff /)]?.run ?? '';
    expect(stepRunning(diff, /npx cdk diff /)).toBeGreaterThan(login);
    expect(run).toMatch(/npx cdk diff -c stage="\$STAGE"/);
    // The lookup role reads templates; a change set would need the deploy role.
    expect(run).toContain('--method template');
    expect(run).toContain('>> "$GITHUB_STEP_SUMMARY"');
  });
});

describe('deploy.yml', () => {
  it('deploys every push to main, one run at a time, never cancelling one under way', () => {
    expect(deploy.on.push).toEqual({ branches: ['main'] });
    expect(deploy.concurrency?.group).toBeTruthy();
    expect(deploy.concurrency?.['cancel-in-progress']).toBe(false);
  });

  it('tests first, then staging, then production behind its environment', () => {
    const { test, staging, production } = deploy.jobs;
    if (!test || !staging || !production) throw new Error('test, staging and production jobs');
    expect(Object.keys(deploy.jobs)).toEqual(['test', 'staging', 'production']);
    expect(test.steps.map((s) => s.run).filter(Boolean)).toEqual(['bash .ci/run']);
    expect(needsOf(staging)).toEqual(['test']);
    expect(needsOf(production)).toEqual(['staging']);
    expect(environmentOf(staging)).toBe('staging');
    expect(environmentOf(production)).toBe('production');
    expect(staging.if).toBe("github.ref == 'refs/heads/main'");
  });

  it('runs, in each stage: migrations, cdk deploy, the schedules sync, the smoke test', () => {
    for (const stage of deployedStages) {
      const job = deploy.jobs[stage];
      if (!job) throw new Error(`no ${stage} job`);
      const login = job.steps.findIndex((s) =>
        s.uses?.startsWith('aws-actions/configure-aws-credentials@'),
      );
      expect(job.steps[login]?.with?.['role-to-assume']).toBe(
        expression('vars.AWS_DEPLOY_ROLE_ARN'),
      );
      const order = [
        login,
        stepRunning(job, /^npm run db:migrate$/m),
        stepRunning(job, /^npx cdk deploy --all --require-approval never -c stage="\$STAGE"/m),
        stepRunning(job, /^npm run schedules:sync$/m),
        stepRunning(job, /^node tools\/smoke\.ts "\$API_URL" "\$WS_URL"$/m),
      ];
      expect(order, stage).toEqual([...order].sort((a, b) => a - b));
      // The compile cache is made on the functions' CPU, by the Node setup-node installed.
      expect(job['runs-on']).toBe('ubuntu-24.04-arm');
      expect(job.steps[stepRunning(job, /npx cdk deploy/)]?.run).toMatch(
        /export COMPILE_CACHE_NODE="\$\(command -v node\)"\n\s*npx cdk deploy/,
      );
      expect(job.env?.STAGE).toBe(stage);
      expect(job.env?.STACK).toBe(stackNameOf(stage));
      expect(job.env?.SECRETS_PREFIX).toBe(secretsPrefix(stage));
    }
  });

  it('runs the same steps in production as in staging', () => {
    expect(deploy.jobs.production?.steps).toEqual(deploy.jobs.staging?.steps);
  });

  it('reads only the secrets the deploy role may read, each in the step that uses it', () => {
    const readsOf = (step: Step) =>
      [...(step.run ?? '').matchAll(/--secret-id "\$\{SECRETS_PREFIX\}(\w+)"/g)].map((m) => m[1]);
    for (const stage of deployedStages) {
      const steps = deploy.jobs[stage]?.steps ?? [];
      const read = steps.flatMap(readsOf);
      expect(read.sort()).toEqual([...secretsReadByCi].sort());
      for (const step of steps) {
        for (const name of readsOf(step)) {
          expect(step.run).toContain(`echo "::add-mask::$${name}"`);
        }
      }
    }
  });

  it('never hands a secret to cdk, whose app copies its environment into the functions', () => {
    for (const [name, job] of allJobs) {
      // $GITHUB_ENV would hand what a step learnt to every later step, cdk's included.
      for (const step of job.steps) expect(step.run ?? '', name).not.toContain('GITHUB_ENV');
      const cdk = job.steps.filter((s) => /npx cdk /.test(s.run ?? ''));
      for (const step of cdk) {
        expect(step.run, name).not.toContain('secretsmanager');
        for (const secret of secretNames) {
          expect(Object.keys({ ...job.env, ...step.env }), name).not.toContain(secret);
        }
      }
    }
  });
});

describe('both workflows', () => {
  it('grant only contents: read at the top', () => {
    expect(ci.permissions).toEqual({ contents: 'read' });
    expect(deploy.permissions).toEqual({ contents: 'read' });
  });

  it('give id-token: write exactly to the jobs that assume an AWS role, and nothing else to write', () => {
    for (const [name, job] of allJobs) {
      if (assumesAws(job)) {
        expect(job.permissions, name).toEqual({ contents: 'read', 'id-token': 'write' });
      } else {
        expect(job.permissions, name).toBeUndefined();
      }
    }
    expect(allJobs.filter(([, job]) => assumesAws(job)).map(([name]) => name)).toEqual([
      'diff',
      'staging',
      'production',
    ]);
  });

  it('assume the deploy role only from a job in a stage environment', () => {
    for (const [name, job] of allJobs) {
      const roles = job.steps.flatMap((s) =>
        s.with?.['role-to-assume'] ? [s.with['role-to-assume']] : [],
      );
      if (roles.includes(expression('vars.AWS_DEPLOY_ROLE_ARN'))) {
        expect(deployedStages as readonly string[], name).toContain(environmentOf(job));
      }
    }
  });

  it('pin every action to a full commit SHA, with its version in a comment', () => {
    for (const file of files) {
      const lines = (source[file] ?? '').split('\n').filter((l) => /^\s*(-\s+)?uses:/.test(l));
      expect(lines.length, file).toBeGreaterThan(0);
      for (const line of lines) {
        expect(line, file).toMatch(
          /^\s*(-\s+)?uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/,
        );
      }
    }
    const uses = allJobs.flatMap(([, job]) => job.steps.flatMap((s) => (s.uses ? [s.uses] : [])));
    for (const action of uses) expect(action).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
    // The same action at the same version everywhere.
    const pins = new Map<string, Set<string>>();
    for (const action of uses) {
      const [name = '', sha = ''] = action.split('@');
      pins.set(name, (pins.get(name) ?? new Set()).add(sha));
    }
    for (const [name, shas] of pins) expect(shas.size, name).toBe(1);
  });

  it('check out without leaving the token in the git config', () => {
    for (const [name, job] of allJobs) {
      for (const step of job.steps.filter((s) => s.uses?.startsWith('actions/checkout@'))) {
        expect(step.with?.['persist-credentials'], name).toBe(false);
      }
    }
  });

  it('run only commands that README.md or docs/DEPLOY.md name and that exist', () => {
    const scriptsRun = allJobs.flatMap(([, job]) =>
      job.steps.flatMap((s) => (s.run ? [s.run] : [])),
    );
    const seen = { npm: new Set<string>(), cdk: new Set<string>(), files: new Set<string>() };
    for (const script of scriptsRun) {
      for (const line of script.split('\n').map((l) => l.trim())) {
        if (/^npm /.test(line)) {
          const run = /^npm run (?:-s )?([\w:-]+)$/.exec(line);
          if (run?.[1]) seen.npm.add(run[1]);
          else expect(line).toBe('npm ci --no-audit --no-fund');
        }
        const cdk = /^npx cdk (\w+)/.exec(line);
        if (cdk?.[1]) seen.cdk.add(cdk[1]);
        const file = /^(?:node|bash) ([\w./-]+\.(?:ts|sh)|\.ci\/run)\b/.exec(line);
        if (file?.[1]) seen.files.add(line.split(' ').slice(0, 2).join(' '));
      }
    }
    expect([...seen.npm].sort()).toEqual(['db:migrate', 'schedules:sync']);
    expect([...seen.cdk].sort()).toEqual(['deploy', 'diff']);
    expect([...seen.files].sort()).toEqual(['bash .ci/run', 'node tools/smoke.ts']);
    for (const name of seen.npm) {
      expect(scripts[name], name).toBeDefined();
      expect(docs, name).toContain(`npm run ${name}`);
    }
    for (const sub of seen.cdk) expect(docs, sub).toContain(`cdk ${sub}`);
    for (const command of seen.files) {
      expect(existsSync(path.join(root, command.split(' ')[1] ?? '')), command).toBe(true);
      expect(docs, command).toContain(command);
    }
  });
});
