import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { type SecretName, type Stage, secretNames } from '#lib/platform/config';

/** Where a stage's secrets live: `marketplace/<stage>/`, then the variable's name. */
export const secretsPrefix = (stage: Stage) => `marketplace/${stage}/`;

/**
 * A stage's secrets in Secrets Manager, one per variable, made and filled by hand
 * (docs/DEPLOY.md) and referenced here by name: the template holds no value, not even a
 * generated placeholder, and deleting the stack never deletes them. One secret per name,
 * because IAM cannot grant one key of a JSON secret: each function is granted exactly the
 * secrets its route names (lib/route-secrets.ts).
 */
export class StageSecrets extends Construct {
  readonly prefix: string;
  private readonly secrets = new Map<SecretName, ISecret>();

  constructor(scope: Construct, id: string, props: { stage: Stage }) {
    super(scope, id);
    this.prefix = secretsPrefix(props.stage);
    for (const name of secretNames) {
      this.secrets.set(name, Secret.fromSecretNameV2(this, name, `${this.prefix}${name}`));
    }
  }

  /** Lets `grantee` read these secrets, and no other. */
  grantRead(grantee: IGrantable, names: readonly SecretName[]): void {
    if (names.length === 0) return;
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['secretsmanager:GetSecretValue'],
        resources: names.map((name) => `${this.get(name).secretArn}-??????`),
      }),
    );
  }

  private get(name: SecretName): ISecret {
    const secret = this.secrets.get(name);
    if (!secret) throw new Error(`no secret ${name}`);
    return secret;
  }
}
