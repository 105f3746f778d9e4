/**
 * Lambda entry point of the watch (deployed only with the `watch` parameter on): SQS batches of
 * chain-breaking CloudTrail calls, re-checked with the scan function's environment.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { loadLambdaSettings, type LambdaSettings } from '../src/config';
import { createWatchHandler } from '../src/lambda/watch-handler';

const logger = new Logger({ serviceName: 'trailwatch-watch' });

function settingsAtColdStart(): LambdaSettings {
  try {
    return loadLambdaSettings(process.env);
  } catch (error) {
    logger.error('bad configuration: the function cannot start', error as Error);
    throw error;
  }
}

export const handler = createWatchHandler({ settings: settingsAtColdStart(), logger });
