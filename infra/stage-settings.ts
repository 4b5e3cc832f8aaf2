import { RemovalPolicy } from 'aws-cdk-lib';
import { type ILambdaDeploymentConfig, LambdaDeploymentConfig } from 'aws-cdk-lib/aws-codedeploy';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Stage } from '#lib/platform/config';

/** What differs between the stages a stack is deployed as. */
export interface StageSettings {
  logRetention: RetentionDays;
  /** Of what holds users' data (the buckets); logs always go with the stack. */
  removalPolicy: RemovalPolicy;
  /** How a new version of a function takes traffic; undefined: all at once, no CodeDeploy. */
  deployment?: ILambdaDeploymentConfig;
  /** Requests per second and burst of every route of both APIs. */
  throttle: { rateLimit: number; burstLimit: number };
  /** Each OTP route's own, far tighter: every request there may cost an SMS. */
  otpThrottle: { rateLimit: number; burstLimit: number };
  alarms: {
    /** Share of an API's requests answered 5xx over 5 minutes. */
    serverErrorRate: number;
    /** A function's errors in 5 minutes. */
    functionErrors: number;
    /** A function's throttles in 5 minutes. */
    functionThrottles: number;
    /** p99 duration, as a share of the function's timeout. */
    durationShareOfTimeout: number;
  };
}

export const stageSettings: Record<Stage, StageSettings> = {
  production: {
    logRetention: RetentionDays.THREE_MONTHS,
    removalPolicy: RemovalPolicy.RETAIN,
    deployment: LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES,
    throttle: { rateLimit: 200, burstLimit: 400 },
    otpThrottle: { rateLimit: 5, burstLimit: 10 },
    alarms: {
      serverErrorRate: 0.01,
      functionErrors: 5,
      functionThrottles: 1,
      durationShareOfTimeout: 0.8,
    },
  },
  staging: {
    logRetention: RetentionDays.TWO_WEEKS,
    removalPolicy: RemovalPolicy.DESTROY,
    throttle: { rateLimit: 50, burstLimit: 100 },
    otpThrottle: { rateLimit: 2, burstLimit: 5 },
    alarms: {
      serverErrorRate: 0.05,
      functionErrors: 10,
      functionThrottles: 5,
      durationShareOfTimeout: 0.8,
    },
  },
  development: {
    logRetention: RetentionDays.ONE_WEEK,
    removalPolicy: RemovalPolicy.DESTROY,
    throttle: { rateLimit: 20, burstLimit: 40 },
    otpThrottle: { rateLimit: 1, burstLimit: 2 },
    alarms: {
      serverErrorRate: 0.1,
      functionErrors: 10,
      functionThrottles: 5,
      durationShareOfTimeout: 0.8,
    },
  },
};

/** The routes whose every request may send a code by SMS or email. */
export const OTP_ROUTE_KEYS = ['POST /auth/otp/request', 'POST /auth/otp/verify'] as const;
