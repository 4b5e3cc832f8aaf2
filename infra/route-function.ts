import path from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { bundleSettings, sidecarCommands } from '#infra/bundling';
import type { Route } from '#lib/routes';
import { root } from '#tools/root';

export interface RouteFunctionProps {
  route: Route;
  environment: Record<string, string>;
  logRetention: RetentionDays;
  publicBucket: IBucket;
  privateBucket: IBucket;
}

/** One route's Lambda function, with its own log group and the route table's limits. */
export class RouteFunction extends Construct {
  readonly fn: NodejsFunction;

  constructor(scope: Construct, id: string, props: RouteFunctionProps) {
    super(scope, id);
    const { route } = props;
    const logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.fn = new NodejsFunction(this, 'Fn', {
      entry: path.join(root, 'functions', `${route.fn}.ts`),
      handler: 'handler',
      description: `${route.method} ${route.path}: ${route.description}`,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: route.memory,
      timeout: Duration.seconds(route.timeout),
      logGroup,
      depsLockFilePath: path.join(root, 'package-lock.json'),
      projectRoot: root,
      environment: {
        ...props.environment,
        NODE_OPTIONS: '--enable-source-maps',
        FUNCTION_ROUTE: `${route.method} ${route.path}`,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: bundleSettings.target,
        minify: bundleSettings.minify,
        sourceMap: bundleSettings.sourceMap,
        sourcesContent: bundleSettings.sourcesContent,
        externalModules: bundleSettings.externalModules,
        banner: bundleSettings.banner,
        mainFields: bundleSettings.mainFields,
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (_inputDir, outputDir) => sidecarCommands(outputDir),
        },
      },
    });
    // Exactly the access the route table says this function needs.
    for (const use of route.uses ?? []) {
      if (use === 'public-bucket') {
        props.publicBucket.grantReadWrite(this.fn);
        props.publicBucket.grantDelete(this.fn);
      } else if (use === 'private-bucket') {
        props.privateBucket.grantReadWrite(this.fn);
      } else {
        this.fn.addToRolePolicy(
          new PolicyStatement({ actions: ['ses:SendEmail', 'ses:SendRawEmail'], resources: ['*'] }),
        );
      }
    }
  }
}
