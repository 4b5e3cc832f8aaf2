import path from 'node:path';
import { AssetHashType, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { WebSocketStage } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  type IRole,
  ManagedPolicy,
  PolicyStatement,
  Role,
  ServicePrincipal,
} from 'aws-cdk-lib/aws-iam';
import {
  Alias,
  Architecture,
  Code,
  Function as LambdaFunction,
  ParamsAndSecretsLayerVersion,
  ParamsAndSecretsLogLevel,
  ParamsAndSecretsVersions,
  Runtime,
} from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { Alarms } from '#infra/alarms';
import { buildFunction, functionAssetHash } from '#infra/bundling';
import type { StageSecrets } from '#infra/secrets';
import type { SecretName } from '#lib/platform/config';
import { type Route, routeKey, type Use, type WsRoute } from '#lib/routes';
import { root } from '#tools/root';

export interface RouteAccessProps {
  publicBucket: IBucket;
  privateBucket: IBucket;
  /** The stage whose connections a function with `ws-connections` posts to and closes. */
  webSocketStage: WebSocketStage;
  secrets: StageSecrets;
}

/** A function's rights (its role) and the settings that go with them. */
export interface Access {
  readonly role: IRole;
  readonly environment: Readonly<Record<string, string>>;
}

/**
 * What each kind of `use` in the route table grants and sets, and which secrets it may read.
 * Functions with the same uses and secrets share one role, so they have exactly the same
 * rights as with a role each: a role and a policy per function would take the stack past
 * CloudFormation's 500 resources.
 */
export class RouteAccess extends Construct {
  private readonly props: RouteAccessProps;
  private readonly byUses = new Map<string, Access>();

  constructor(scope: Construct, id: string, props: RouteAccessProps) {
    super(scope, id);
    this.props = props;
  }

  /** The role and settings of a function with these uses and secrets. */
  for(uses: readonly Use[], secrets: readonly SecretName[]): Access {
    const kinds = [...new Set(uses)].sort();
    const names = [...new Set(secrets)].sort();
    const key = [kinds.join('+') || 'logs-only', ...(names.length ? [names.join('+')] : [])].join(
      ' reading ',
    );
    let access = this.byUses.get(key);
    if (!access) {
      access = this.create(key, kinds);
      this.props.secrets.grantRead(access.role, names);
      this.byUses.set(key, access);
    }
    return access;
  }

  private create(key: string, uses: readonly Use[]): Access {
    // What Lambda gives a function by default: its own logs, nothing else.
    const role = new Role(this, key, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      managedPolicies: [
        ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaBasicExecutionRole'),
      ],
      description: uses.length
        ? `Route functions that use ${key}`
        : 'Route functions that only write their logs',
    });
    const environment: Record<string, string> = {};
    // Exhaustive: a new kind of use fails to compile until it is granted here.
    for (const use of uses) {
      switch (use) {
        case 'public-bucket':
          this.props.publicBucket.grantReadWrite(role);
          this.props.publicBucket.grantDelete(role);
          break;
        case 'private-bucket':
          this.props.privateBucket.grantReadWrite(role);
          break;
        case 'ses':
          role.addToPrincipalPolicy(
            new PolicyStatement({
              actions: ['ses:SendEmail', 'ses:SendRawEmail'],
              resources: ['*'],
            }),
          );
          break;
        case 'ws-connections':
          // execute-api:ManageConnections on this API's stage only: {api}/{stage}/*/@connections/*.
          this.props.webSocketStage.grantManagementApiAccess(role);
          environment.WS_CALLBACK_URL = this.props.webSocketStage.callbackUrl;
          break;
        default:
          throw new Error(`no grant for use ${use satisfies never}`);
      }
    }
    return { role, environment };
  }
}

export interface RouteFunctionProps {
  /** An HTTP route or a WebSocket route: either is one file under `functions/`. */
  route: Route | WsRoute;
  environment: Record<string, string>;
  logRetention: RetentionDays;
  access: RouteAccess;
  secretsPrefix: string;
  alarms: Alarms;
}

/**
 * How a route names itself in its function's description and `FUNCTION_ROUTE`:
 * `POST /auth/logout`, or `WS sendMessage` for a WebSocket route.
 */
export const routeLabel = (route: Route | WsRoute) =>
  'routeKey' in route ? `WS ${route.routeKey}` : routeKey(route);

/**
 * One route's Lambda function, with its own log group, the route table's limits, exactly
 * the access (and settings) its `uses` ask for and the secrets its route names, read at
 * cold start through the Parameters and Secrets extension. API Gateway calls its `live`
 * alias, which the stage's deployment moves (lib/alarms watches it).
 */
export class RouteFunction extends Construct {
  readonly fn: LambdaFunction;
  readonly alias: Alias;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: RouteFunctionProps) {
    super(scope, id);
    const { route } = props;
    const label = routeLabel(route);
    const access = props.access.for(route.uses ?? [], route.secrets);
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const logGroup = this.logGroup;
    const entry = path.join(root, 'functions', `${route.fn}.ts`);
    const bundled = Stack.of(scope).bundlingRequired;
    this.fn = new LambdaFunction(this, 'Fn', {
      // Built by our own esbuild call (infra/bundling.ts), not NodejsFunction's: it bundles
      // to one file, and code splitting keeps what a function loads lazily out of its cold
      // start. Never in Docker: the build is local, on the CPU the compile cache is for.
      code: Code.fromAsset(root, {
        // The compile cache makes the output differ on every build: hash what decides it
        // instead, and only when this stack is bundled (tests synthesize without bundling).
        ...(bundled
          ? { assetHash: functionAssetHash(entry), assetHashType: AssetHashType.CUSTOM }
          : { assetHashType: AssetHashType.OUTPUT }),
        bundling: {
          image: Runtime.NODEJS_24_X.bundlingImage,
          local: {
            tryBundle(outputDir) {
              // Must match `architecture` below: the cache is made only on an arm64 build.
              buildFunction(entry, outputDir, 'arm64');
              return true;
            },
          },
        },
      }),
      handler: 'index.handler',
      description: `${label}: ${route.description}`,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: route.memory,
      timeout: Duration.seconds(route.timeout),
      logGroup,
      role: access.role,
      environment: {
        ...props.environment,
        ...access.environment,
        NODE_OPTIONS: '--enable-source-maps',
        FUNCTION_ROUTE: label,
        // Names, not values: lib/platform/secrets.ts fetches these at cold start.
        ...(route.secrets.length > 0
          ? { SECRET_NAMES: route.secrets.join(','), SECRETS_PREFIX: props.secretsPrefix }
          : {}),
      },
      ...(route.secrets.length > 0
        ? {
            paramsAndSecrets: ParamsAndSecretsLayerVersion.fromVersion(
              ParamsAndSecretsVersions.V1_0_103,
              {
                cacheSize: route.secrets.length,
                logLevel: ParamsAndSecretsLogLevel.WARN,
              },
            ),
          }
        : {}),
    });
    this.alias = new Alias(this, 'Live', { aliasName: 'live', version: this.fn.currentVersion });
    props.alarms.watchFunction(this, this.alias);
  }
}
