import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { CorsHttpMethod, HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { functionName, routes } from '../lib/routes.ts';
import { RouteFunction } from './route-function.ts';

export interface ApiStackProps extends StackProps {
  stage: 'production' | 'staging' | 'development';
  /** Non-secret settings every function gets; secrets come from the deploy environment. */
  environment: Record<string, string>;
  corsOrigins: string[];
}

/** The HTTP API: one Lambda function per route of the route table. */
export class ApiStack extends Stack {
  readonly api: HttpApi;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    this.api = new HttpApi(this, 'HttpApi', {
      apiName: `marketplace-${props.stage}`,
      corsPreflight: {
        allowOrigins: props.corsOrigins,
        allowMethods: [CorsHttpMethod.ANY],
        allowHeaders: ['authorization', 'content-type'],
      },
    });
    const logRetention =
      props.stage === 'production' ? RetentionDays.THREE_MONTHS : RetentionDays.TWO_WEEKS;

    for (const route of routes) {
      const id = functionName(route.fn);
      const { fn } = new RouteFunction(this, id, {
        route,
        logRetention,
        environment: { APP_ENV: props.stage, ...props.environment },
      });
      this.api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: new HttpLambdaIntegration(`${id}-integration`, fn),
      });
    }
    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint });
  }
}
