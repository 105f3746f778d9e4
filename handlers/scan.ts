/**
 * Lambda entry point for the scheduled scan, for scans on demand and for decisions on kept plans. The environment is read
 * once, at cold start: a wrong one fails the function before any event, naming every wrong variable.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { loadLambdaSettings, type LambdaSettings } from '../src/config';
import { runScan } from '../src/scan';
import { createDecisionHandler, createScanHandler, isDecisionEvent } from '../src/lambda';

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

const settings = settingsAtColdStart();
const scan = createScanHandler({ settings, logger, metrics, runScan });
// REMEDIATE=approve: {"approve": "PLAN_ID"} / {"reject": "PLAN_ID"} decide a kept plan instead of scanning.
const decide = createDecisionHandler({ settings, logger, metrics, runScan });

export const handler = (event: unknown, context: Parameters<typeof scan>[1]) => (isDecisionEvent(event) ? decide(event, context) : scan(event, context));
