import { getCompileCacheDir } from 'node:module';
import { Logger } from '@aws-lambda-powertools/logger';
import { config, disabledServicesOf } from '#lib/platform/config';

let instance: Logger | undefined;

function make(): Logger {
  const logger = new Logger({
    serviceName: 'marketplace',
    logLevel: config.LOG_LEVEL,
    persistentKeys: { env: config.APP_ENV, version: config.APP_VERSION },
  });
  const disabled = disabledServicesOf(config);
  if (config.LOG_OPTIONAL_SERVICES && disabled.length > 0) {
    logger.info('optional services off', { disabled });
  }
  if (process.env.AWS_LAMBDA_FUNCTION_NAME) {
    // Whether this cold start read the compile cache shipped with the bundle: it is used only
    // on the Node and CPU that made it (infra/compile-cache.ts).
    logger.info('cold start', {
      node: process.version,
      arch: process.arch,
      compileCache: getCompileCacheDir() ? 'on' : 'off',
    });
  }
  return logger;
}

/**
 * Makes the logger now, which says once which optional services are off: a function's
 * `route(...)` calls it at cold start.
 */
export function startLogger(): Logger {
  instance ??= make();
  return instance;
}

/** The one logger, made on first use (so importing this module reads no configuration). */
export const logger: Logger = new Proxy({} as Logger, {
  get: (_, name) => {
    instance = startLogger();
    const value = Reflect.get(instance, name, instance) as unknown;
    return typeof value === 'function' ? value.bind(instance) : value;
  },
});
