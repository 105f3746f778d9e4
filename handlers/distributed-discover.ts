/**
 * Distributed mode (README "Distributed mode"), the state machine's first step: discover the
 * accounts and write them to the report bucket for the Distributed Map. Runs as the scanner's
 * role (the one the member accounts trust), as the other two steps do.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { loadLambdaSettings } from '../src/config';
import { createDistributedDiscoverHandler } from '../src/lambda/distributed-discover';

const logger = new Logger({ serviceName: 'trailwatch' });

export const handler = createDistributedDiscoverHandler({ settings: loadLambdaSettingsOrLog(), logger });

function loadLambdaSettingsOrLog() {
  try {
    return loadLambdaSettings(process.env);
  } catch (error) {
    logger.error('bad configuration: the function cannot start', error as Error);
    throw error;
  }
}
