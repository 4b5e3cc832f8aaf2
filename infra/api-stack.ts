import { CfnOutput, Duration, NestedStack, Stack, type StackProps } from 'aws-cdk-lib';
import {
  type CfnStage,
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  WebSocketApi,
  WebSocketRoute,
  WebSocketStage,
} from 'aws-cdk-lib/aws-apigatewayv2';
import {
  HttpLambdaIntegration,
  WebSocketLambdaIntegration,
} from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import {
  Distribution,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, HttpMethods } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { Alarms } from '#infra/alarms';
import { RouteAccess, RouteFunction } from '#infra/route-function';
import { StageSecrets } from '#infra/secrets';
import { OTP_ROUTE_KEYS, stageSettings } from '#infra/stage-settings';
import { cors } from '#lib/http/cors';
import { FAILURE_CALLBACK_JOB } from '#lib/jobs/catalog';
import type { Stage } from '#lib/platform/config';
import { functionName, type Route, routeKey, routes, type WsRoute, wsRoutes } from '#lib/routes';
import { ROUTE_SELECTION } from '#lib/ws/contract';

export interface ApiStackProps extends StackProps {
  stage: Stage;
  /** Non-secret settings every function gets; secrets come from Secrets Manager. */
  environment: Record<string, string>;
  corsOrigins: string[];
  /** Where alarms are sent (`-c alarmEmail=...`). */
  alarmEmail?: string;
}

/** The functions of one folder of `functions/` (a domain), in their own nested stack. */
const domainOf = (route: Route | WsRoute) => route.fn.split('/')[0] ?? route.fn;
const stackIdOf = (domain: string) =>
  domain.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase());

/**
 * The HTTP API and the chat's WebSocket API, one Lambda function per route of the route
 * table (`routes` and `wsRoutes`). The APIs, buckets, CDN, roles and stage-wide alarms are
 * in this stack; each domain's functions, with their aliases, alarms, deployment groups and
 * API routes, are in a nested stack of their own, so that no template nears
 * CloudFormation's 500 resources.
 */
export class ApiStack extends Stack {
  readonly api: HttpApi;
  readonly webSocketApi: WebSocketApi;
  readonly webSocketStage: WebSocketStage;
  /**
   * The HTTP API's own domain, which the stage's health stack checks from outside
   * (infra/health-stack.ts, in us-east-1, through a cross-region reference).
   */
  readonly healthCheckDomain: string;
  readonly domains = new Map<string, NestedStack>();

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const settings = stageSettings[props.stage];
    this.api = new HttpApi(this, 'HttpApi', {
      apiName: `marketplace-${props.stage}`,
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: props.corsOrigins,
        allowMethods: cors.allowMethods.map((m) => CorsHttpMethod[m]),
        allowHeaders: [...cors.allowHeaders],
        maxAge: Duration.seconds(cors.maxAgeSeconds),
      },
    });
    const httpStage = new HttpStage(this, 'HttpStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: settings.throttle,
    });
    // Uploads go straight from phones to S3 with presigned POSTs: both buckets accept
    // browser POSTs from the app's origins, and neither is public.
    const bucket = (id: string) =>
      new Bucket(this, id, {
        blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
        encryption: BucketEncryption.S3_MANAGED,
        enforceSSL: true,
        removalPolicy: settings.removalPolicy,
        cors: [
          {
            allowedMethods: [HttpMethods.POST],
            allowedOrigins: props.corsOrigins,
            allowedHeaders: ['*'],
          },
        ],
        // Presigned POSTs are single-part; this clears any multipart upload left open. Uploads
        // never attached are swept by the hourly cleanup job (functions/jobs/cleanup.ts).
        lifecycleRules: [{ abortIncompleteMultipartUploadAfter: Duration.days(1) }],
      });
    const publicBucket = bucket('PublicBucket');
    const privateBucket = bucket('PrivateBucket');
    // Browsers take an object for its declared type, never for what its bytes look like
    // (the API checks those bytes on attach; this covers anything that slipped past).
    const mediaHeaders = new ResponseHeadersPolicy(this, 'CdnHeaders', {
      comment: 'Public media: X-Content-Type-Options nosniff',
      securityHeadersBehavior: { contentTypeOptions: { override: true } },
    });
    // Public images are read through CloudFront only (origin access control).
    const cdn = new Distribution(this, 'Cdn', {
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(publicBucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: mediaHeaders,
      },
    });

    // API Gateway selects a frame's route by its `action`. No authorizer: `$connect` checks
    // the access token itself, and every later frame is tied to the connection it came on.
    this.webSocketApi = new WebSocketApi(this, 'WebSocketApi', {
      apiName: `marketplace-ws-${props.stage}`,
      routeSelectionExpression: ROUTE_SELECTION,
    });
    this.webSocketStage = new WebSocketStage(this, 'WebSocketStage', {
      webSocketApi: this.webSocketApi,
      stageName: props.stage,
      autoDeploy: true,
      throttle: settings.throttle,
    });

    const secrets = new StageSecrets(this, 'Secrets', { stage: props.stage });
    const access = new RouteAccess(this, 'RouteAccess', {
      publicBucket,
      privateBucket,
      webSocketStage: this.webSocketStage,
      secrets,
    });
    const alarms = new Alarms(this, 'Alarms', {
      stage: props.stage,
      settings,
      ...(props.alarmEmail ? { email: props.alarmEmail } : {}),
    });
    alarms.watchHttpApi(this.api);
    alarms.watchWebSocketApi(this.webSocketApi, props.stage);
    alarms.watchThrottles();
    this.healthCheckDomain = `${this.api.apiId}.execute-api.${this.region}.${this.urlSuffix}`;

    const environment = {
      APP_ENV: props.stage,
      // One cache namespace per stage, whatever host name the database URL uses.
      CACHE_NAMESPACE: `marketplace-${props.stage}`,
      S3_PUBLIC_BUCKET: publicBucket.bucketName,
      S3_PRIVATE_BUCKET: privateBucket.bucketName,
      CDN_BASE_URL: `https://${cdn.distributionDomainName}`,
      // The functions' own CORS headers allow exactly the origins API Gateway does.
      CORS_ORIGINS: props.corsOrigins.join(','),
      // QStash calls the job routes, and signs, under this URL (a custom domain may replace it).
      PUBLIC_API_URL: this.api.apiEndpoint,
      ...props.environment,
    };
    const domainStack = (route: Route | WsRoute) => {
      const domain = domainOf(route);
      let stack = this.domains.get(domain);
      if (!stack) {
        stack = new NestedStack(this, stackIdOf(domain), {
          description: `marketplace ${props.stage}: the functions of functions/${domain}`,
        });
        this.domains.set(domain, stack);
      }
      return stack;
    };
    const routeFunction = (route: Route | WsRoute) => {
      const id = functionName(route.fn);
      const scope = domainStack(route);
      const made = new RouteFunction(scope, id, {
        route,
        logRetention: settings.logRetention,
        environment,
        access,
        secretsPrefix: secrets.prefix,
        alarms,
      });
      return { id, scope, made };
    };

    for (const route of routes) {
      const { id, scope, made } = routeFunction(route);
      new HttpRoute(scope, `${id}-route`, {
        httpApi: this.api,
        routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
        integration: new HttpLambdaIntegration(`${id}-integration`, made.alias),
      });
      if (route.fn === `jobs/${FAILURE_CALLBACK_JOB}`) alarms.watchFailedDeliveries(made.logGroup);
    }
    for (const route of wsRoutes) {
      const { id, scope, made } = routeFunction(route);
      new WebSocketRoute(scope, `${id}-route`, {
        webSocketApi: this.webSocketApi,
        routeKey: route.routeKey,
        integration: new WebSocketLambdaIntegration(`${id}-integration`, made.alias),
      });
    }

    // The OTP routes' own limits: a route setting needs its route to exist first.
    const cfnStage = httpStage.node.defaultChild as CfnStage;
    cfnStage.routeSettings = Object.fromEntries(
      OTP_ROUTE_KEYS.map((key) => [
        key,
        {
          // A JSON map in CloudFormation: its keys are written as CloudFormation spells them.
          ThrottlingRateLimit: settings.otpThrottle.rateLimit,
          ThrottlingBurstLimit: settings.otpThrottle.burstLimit,
        },
      ]),
    );
    for (const key of OTP_ROUTE_KEYS) {
      const route = routes.find((r) => routeKey(r) === key);
      if (!route) throw new Error(`the route table has no ${key}`);
      httpStage.node.addDependency(domainStack(route));
    }

    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint });
    new CfnOutput(this, 'WebSocketUrl', { value: this.webSocketStage.url });
    new CfnOutput(this, 'CdnDomain', { value: cdn.distributionDomainName });
    new CfnOutput(this, 'CdnUrl', { value: `https://${cdn.distributionDomainName}` });
    new CfnOutput(this, 'HealthCheckDomain', { value: this.healthCheckDomain });
  }
}
