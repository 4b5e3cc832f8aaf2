import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  WebSocketApi,
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
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, HttpMethods } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { RouteAccess, RouteFunction } from '#infra/route-function';
import { cors } from '#lib/http/cors';
import type { Stage } from '#lib/platform/config';
import { functionName, type Route, routes, type WsRoute, wsRoutes } from '#lib/routes';
import { ROUTE_SELECTION } from '#lib/ws/contract';

export interface ApiStackProps extends StackProps {
  stage: Stage;
  /** Non-secret settings every function gets; secrets come from the deploy environment. */
  environment: Record<string, string>;
  corsOrigins: string[];
}

/**
 * The HTTP API and the chat's WebSocket API: one Lambda function per route of the route
 * table (`routes` and `wsRoutes`).
 */
export class ApiStack extends Stack {
  readonly api: HttpApi;
  readonly webSocketApi: WebSocketApi;
  readonly webSocketStage: WebSocketStage;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    this.api = new HttpApi(this, 'HttpApi', {
      apiName: `marketplace-${props.stage}`,
      corsPreflight: {
        allowOrigins: props.corsOrigins,
        allowMethods: cors.allowMethods.map((m) => CorsHttpMethod[m]),
        allowHeaders: [...cors.allowHeaders],
        maxAge: Duration.seconds(cors.maxAgeSeconds),
      },
    });
    // Uploads go straight from phones to S3 with presigned POSTs: both buckets accept
    // browser POSTs from the app's origins, and neither is public.
    const bucket = (id: string) =>
      new Bucket(this, id, {
        blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
        encryption: BucketEncryption.S3_MANAGED,
        enforceSSL: true,
        removalPolicy: props.stage === 'production' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
        cors: [
          {
            allowedMethods: [HttpMethods.POST],
            allowedOrigins: props.corsOrigins,
            allowedHeaders: ['*'],
          },
        ],
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

    const logRetention =
      props.stage === 'production' ? RetentionDays.THREE_MONTHS : RetentionDays.TWO_WEEKS;

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
    });

    const access = new RouteAccess(this, 'RouteAccess', {
      publicBucket,
      privateBucket,
      webSocketStage: this.webSocketStage,
    });
    const routeFunction = (route: Route | WsRoute) => {
      const id = functionName(route.fn);
      const { fn } = new RouteFunction(this, id, {
        route,
        logRetention,
        environment: {
          APP_ENV: props.stage,
          // One cache namespace per stage, whatever host name the database URL uses.
          CACHE_NAMESPACE: `marketplace-${props.stage}`,
          S3_PUBLIC_BUCKET: publicBucket.bucketName,
          S3_PRIVATE_BUCKET: privateBucket.bucketName,
          CDN_BASE_URL: `https://${cdn.distributionDomainName}`,
          // The functions' own CORS headers allow exactly the origins API Gateway does.
          CORS_ORIGINS: props.corsOrigins.join(','),
          ...props.environment,
        },
        access,
      });
      return { id, fn };
    };

    for (const route of routes) {
      const { id, fn } = routeFunction(route);
      this.api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: new HttpLambdaIntegration(`${id}-integration`, fn),
      });
    }
    for (const route of wsRoutes) {
      const { id, fn } = routeFunction(route);
      this.webSocketApi.addRoute(route.routeKey, {
        integration: new WebSocketLambdaIntegration(`${id}-integration`, fn),
      });
    }
    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint });
    new CfnOutput(this, 'WebSocketUrl', { value: this.webSocketStage.url });
    new CfnOutput(this, 'CdnUrl', { value: `https://${cdn.distributionDomainName}` });
  }
}
