/**
 * Distributed mode, the Distributed Map's child: collect one batch of accounts and write their
 * inventories to the report bucket. Runs as the scanner's role, the one the member accounts trust.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { loadLambdaSettings } from '../src/config';
import { createDistributedCollectHandler } from '../src/lambda/distributed-collect';

const logger = new Logger({ serviceName: 'trailwatch' });

export const handler = createDistributedCollectHandler({ settings: loadLambdaSettingsOrLog(), logger });

function loadLambdaSettingsOrLog() {
  try {
    return loadLambdaSettings(process.env);
  } catch (error) {
    logger.error('bad configuration: the function cannot start', error as Error);
    throw error;
  }
}
