/**
 * Lambda entry point behind the approval link's Function URL (approvalLink=true): the
 * confirmation page for a signed link (GET) and its approval (POST). The environment is the scan
 * function's (the approval re-scans and applies as it does) and is read once, at cold start.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { loadLambdaSettings, type LambdaSettings } from '../src/config';
import { createApprovalLinkHandler } from '../src/lambda/approval-link-handler';
import { runScan } from '../src/scan';

const logger = new Logger({ serviceName: 'trailwatch-approval-link' });

function settingsAtColdStart(): LambdaSettings {
  try {
    return loadLambdaSettings(process.env);
  } catch (error) {
    logger.error('bad configuration: the function cannot start', error as Error);
    throw error;
  }
}

export const handler = createApprovalLinkHandler({ settings: settingsAtColdStart(), logger, runScan });
