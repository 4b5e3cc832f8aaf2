import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ApiStack } from '#infra/api-stack';

/** The settings the synthesized stack gets from its deploy environment. */
export const deployEnvironment = { APP_VERSION: 'test', JWT_SIGNING_KEYS: 'test-signing-keys' };

/**
 * Synthesizes the production stack into a temporary directory, without bundling (fast and
 * offline; CI runs a real `cdk synth` as well). Call `dispose` when done.
 */
export function synthesize(): { template: Template; dispose: () => void } {
  const outdir = mkdtempSync(path.join(tmpdir(), 'cdk-test-'));
  const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new ApiStack(app, 'Test', {
    stage: 'production',
    environment: deployEnvironment,
    corsOrigins: ['https://app.example.com'],
  });
  return {
    template: Template.fromStack(stack),
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
