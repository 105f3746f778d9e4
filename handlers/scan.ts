/**
 * Lambda entry point for the scheduled scan and for scans on demand. The environment is read
 * once, at cold start: a wrong one fails the function before any event, naming every wrong variable.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { loadLambdaSettings, type LambdaSettings } from '../src/config';
import { runScan } from '../src/scan';
import { createScanHandler } from '../src/lambda';

const logger = new Logger({ serviceName: 'trailwatch' });
const metrics = new Metrics({ namespace: 'trailwatch', serviceName: 'trailwatch' });

function settingsAtColdStart(): LambdaSettings {
  try {
    return loadLambdaSettings(process.env);
  } catch (error) {
    logger.error('bad configuration: the function cannot start', error as Error);
    throw error;
  }
}

export const handler = createScanHandler({ settings: settingsAtColdStart(), logger, metrics, runScan });
