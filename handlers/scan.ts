/**
 * Lambda entry point for the scheduled scan, scans on demand, `{"doctor": true}` and decisions on
 * kept plans (`{"approve"|"reject": PLAN_ID}`). The environment is read once, at cold start: a
 * wrong one fails the function before any event, naming every wrong variable.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { AwsClients } from '../src/aws/clients';
import { loadLambdaSettings, type LambdaSettings } from '../src/config';
import { runScan } from '../src/scan';
import { bucketRunRecorder, createHandler } from '../src/lambda';

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
const clients = () => new AwsClients(settings.endpointUrl ? { endpointUrl: settings.endpointUrl } : {});
const recordRun = bucketRunRecorder(settings, clients, logger);

export const handler = createHandler({
  settings,
  logger,
  metrics,
  runScan,
  ...(recordRun ? { recordRun } : {}),
  ...(process.env.AWS_LAMBDA_FUNCTION_NAME ? { functionName: process.env.AWS_LAMBDA_FUNCTION_NAME } : {}),
});
