/**
 * Distributed mode, the state machine's last step: evaluate the saved inventories, remediate
 * when asked, publish and store the report, as the scan function does after collecting.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { AwsClients } from '../src/aws/clients';
import { loadLambdaSettings } from '../src/config';
import { createDistributedAggregateHandler } from '../src/lambda/distributed-aggregate';
import { bucketRunRecorder } from '../src/lambda/runs';

const logger = new Logger({ serviceName: 'trailwatch' });
const metrics = new Metrics({ namespace: 'trailwatch', serviceName: 'trailwatch' });

function loadLambdaSettingsOrLog() {
  try {
    return loadLambdaSettings(process.env);
  } catch (error) {
    logger.error('bad configuration: the function cannot start', error as Error);
    throw error;
  }
}

const settings = loadLambdaSettingsOrLog();
const recordRun = bucketRunRecorder(settings, () => new AwsClients(settings.endpointUrl ? { endpointUrl: settings.endpointUrl } : {}), logger);

export const handler = createDistributedAggregateHandler({
  settings,
  logger,
  metrics,
  ...(recordRun ? { recordRun } : {}),
  // The heartbeat alarm and the approval instructions name the scan function (SCAN_FUNCTION_NAME).
  ...(process.env.SCAN_FUNCTION_NAME ? { scanFunctionName: process.env.SCAN_FUNCTION_NAME } : {}),
});
