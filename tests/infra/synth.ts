import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, type NestedStack, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ApiStack } from '#infra/api-stack';
import type { HealthStack } from '#infra/health-stack';
import { stageStacks } from '#infra/stage-stacks';
import type { Stage } from '#lib/platform/config';

/** The settings the synthesized stack gets from its deploy environment: none of them secret. */
export const deployEnvironment = { APP_VERSION: 'test', EMAIL_FROM: 'hello@example.com' };

export interface Synthesized {
  /** Every template flattened into one: nested stacks' parameters and outputs resolved. */
  template: Template;
  /** Each template as CloudFormation gets it, by stack path. */
  templates: Map<string, Template>;
  stack: ApiStack;
  dispose: () => void;
}

type Json = Record<string, unknown>;

/** Replaces `{Ref: param}` by what the parent passes, and `GetAtt nested.Outputs.x` by x. */
function substitute(value: unknown, refs: Map<string, unknown>): unknown {
  if (Array.isArray(value)) return value.map((v) => substitute(v, refs));
  if (value && typeof value === 'object') {
    const obj = value as Json;
    const keys = Object.keys(obj);
    if (keys.length === 1 && keys[0] === 'Ref' && refs.has(obj.Ref as string)) {
      return substitute(refs.get(obj.Ref as string), refs);
    }
    if (keys.length === 1 && keys[0] === 'Fn::GetAtt') {
      const [id, attr] = obj['Fn::GetAtt'] as [string, string];
      const key = `${id}.${attr}`;
      if (refs.has(key)) return substitute(refs.get(key), refs);
    }
    return Object.fromEntries(keys.map((k) => [k, substitute(obj[k], refs)]));
  }
  return value;
}

/** The parent template with every nested stack's resources merged in, references resolved. */
function flatten(stack: ApiStack): Template {
  const parent = Template.fromStack(stack).toJSON() as Json & { Resources: Json; Outputs?: Json };
  const resources: Json = {};
  const refs = new Map<string, unknown>();
  const nestedJson = new Map<string, Json & { Resources: Json; Outputs?: Json }>();
  for (const nested of stack.domains.values()) {
    const json = Template.fromStack(nested).toJSON() as Json & { Resources: Json; Outputs?: Json };
    const resourceId = stack.getLogicalId(nested.nestedStackResource as never);
    nestedJson.set(resourceId, json);
    const passed = ((parent.Resources[resourceId] as Json).Properties as Json).Parameters as Json;
    for (const [name, value] of Object.entries(passed ?? {})) refs.set(name, value);
    for (const [name, output] of Object.entries(json.Outputs ?? {})) {
      refs.set(`${resourceId}.Outputs.${name}`, (output as Json).Value);
    }
  }
  for (const [id, resource] of Object.entries(parent.Resources)) {
    if (!nestedJson.has(id)) resources[id] = substitute(resource, refs);
  }
  for (const json of nestedJson.values()) {
    for (const [id, resource] of Object.entries(json.Resources)) {
      resources[id] = substitute(resource, refs);
    }
  }
  return Template.fromJSON({ ...parent, Resources: resources, Outputs: parent.Outputs ?? {} });
}

/**
 * Synthesizes a stage's stack into a temporary directory, without bundling (fast and
 * offline; CI runs a real `cdk synth` as well). Call `dispose` when done.
 */
export function synthesize(stage: Stage = 'production'): Synthesized {
  const outdir = mkdtempSync(path.join(tmpdir(), 'cdk-test-'));
  const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new ApiStack(app, 'Test', {
    stage,
    environment: deployEnvironment,
    corsOrigins: ['https://app.example.com'],
    alarmEmail: 'alarms@example.com',
  });
  const templates = new Map<string, Template>([[stack.node.path, Template.fromStack(stack)]]);
  for (const nested of stack.domains.values()) {
    templates.set(nested.node.path, Template.fromStack(nested as NestedStack as Stack));
  }
  return {
    template: flatten(stack),
    templates,
    stack,
    dispose: () => rmSync(outdir, { recursive: true, force: true }),
  };
}

/** The fixed account the stage's stacks get in tests, as `cdk` would pass the deploy account. */
export const TEST_ACCOUNT = '123456789012';
/** The main stack's region in tests: not us-east-1, so the health stack is cross-region. */
export const TEST_REGION = 'eu-west-1';

export interface SynthesizedStage {
  /** The main stack's templates, flattened as `synthesize` does. */
  api: Template;
  /** The stage's us-east-1 stack (infra/health-stack.ts). */
  health: Template;
  healthStack: HealthStack;
  dispose: () => void;
}

/**
 * Both stacks of a stage as infra/app.ts makes them (infra/stage-stacks.ts), with an
 * explicit account and region (offline, no bundling).
 */
export function synthesizeStage(
  stage: Stage = 'production',
  options: { alarmEmail?: string } = {},
): SynthesizedStage {
  const outdir = mkdtempSync(path.join(tmpdir(), 'cdk-test-'));
  const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
  const { api, health } = stageStacks(app, `Marketplace-${stage}`, {
    stage,
    environment: deployEnvironment,
    corsOrigins: ['https://app.example.com'],
    ...(options.alarmEmail ? { alarmEmail: options.alarmEmail } : {}),
    env: { account: TEST_ACCOUNT, region: TEST_REGION },
  });
  return {
    api: flatten(api),
    health: Template.fromStack(health),
    healthStack: health,
    dispose: () => rmSync(outdir, { recursive: true, force: true }),
  };
}

/** The synthesized Lambda functions by logical id. */
export const functionsOf = (template: Template) => template.findResources('AWS::Lambda::Function');

/** The logical id of the function serving a route (its `FUNCTION_ROUTE`, routeLabel). */
export function functionIdOf(template: Template, label: string): string {
  const found = Object.entries(functionsOf(template)).find(
    ([, f]) => f.Properties.Environment.Variables.FUNCTION_ROUTE === label,
  );
  if (!found) throw new Error(`no function serves ${label}`);
  return found[0];
}

/** The logical id of the `live` alias of the function with this logical id. */
export function aliasIdOf(template: Template, functionId: string): string {
  const found = Object.entries(template.findResources('AWS::Lambda::Alias')).find(
    ([, a]) => a.Properties.FunctionName.Ref === functionId,
  );
  if (!found) throw new Error(`no alias of ${functionId}`);
  return found[0];
}

/** Every IAM statement attached to the role of the function with this logical id. */
export function statementsOf(
  template: Template,
  functionId: string,
): Array<{ Action: string | string[]; Resource: unknown; Effect: string }> {
  const role = functionsOf(template)[functionId]?.Properties.Role['Fn::GetAtt'][0];
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === role))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
}

/** The actions of those statements, flattened. */
export const actionsOf = (template: Template, functionId: string): string[] =>
  statementsOf(template, functionId).flatMap((st) => st.Action);
