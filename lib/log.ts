import { Logger } from '@aws-lambda-powertools/logger';
import { config, disabledServices } from '#lib/config';

export const logger = new Logger({
  serviceName: 'marketplace',
  logLevel: config.LOG_LEVEL,
  persistentKeys: { env: config.APP_ENV, version: config.APP_VERSION },
});

if (config.LOG_OPTIONAL_SERVICES && disabledServices.length > 0) {
  logger.info('optional services off', { disabled: disabledServices });
}
