/**
 * `{"doctor": true}` to the scan function: `trailwatch doctor` as the scanner itself, with its own
 * role and settings. It reads and judges the deployment (src/doctor), changes nothing, scans
 * nothing, and returns the report. `createHandler` routes each event to the doctor or the scan.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { AwsClients } from '../aws/clients';
import { parseScanEvent, PayloadError, type LambdaSettings } from '../config';
// Module by module, not the index: the CLI's stack reads (doctor/stack.ts) stay out of the function's bundle.
import { deploymentFromSettings } from '../doctor/deployment';
import { diagnose } from '../doctor/diagnose';
import { readDeploymentFacts } from '../doctor/read';
import type { DoctorReport } from '../doctor/types';
import { createDecisionHandler, isDecisionEvent, type DecisionSummary } from './decision-handler';
import { createScanHandler, type LambdaContext, type ScanHandlerDeps, type ScanSummary } from './scan-handler';

export interface DoctorHandlerDeps {
  readonly settings: LambdaSettings;
  readonly logger: Logger;
  /** A client factory per invocation; the settings' endpoint when absent. */
  readonly clients?: () => AwsClients;
  /** The function's name (AWS_LAMBDA_FUNCTION_NAME), for the commands the report suggests. */
  readonly functionName?: string;
  /** The function's timeout, to tell a run still going from one that never finished. */
  readonly functionTimeoutSeconds?: number;
}

/** Whether the event asks for the doctor (`{"doctor": ...}`): the doctor validates the rest. */
export function isDoctorRequest(event: unknown): boolean {
  return typeof event === 'object' && event !== null && !Array.isArray(event) && Object.hasOwn(event, 'doctor');
}

export function createDoctorHandler(deps: DoctorHandlerDeps): (event: unknown, context: LambdaContext) => Promise<DoctorReport> {
  const { settings, logger } = deps;
  return async (event, context) => {
    if (context.awsRequestId) logger.appendKeys({ awsRequestId: context.awsRequestId });
    const { payload } = parseScanEvent(event);
    if (!payload.doctor) throw new PayloadError([{ field: 'doctor', message: 'expected true' }]);
    const clients = deps.clients?.() ?? new AwsClients(settings.endpointUrl ? { endpointUrl: settings.endpointUrl } : {});
    try {
      const deployment = deploymentFromSettings(settings, "the function's environment", deps.functionName);
      const facts = await readDeploymentFacts({
        clients,
        deployment,
        perspective: 'scanner',
        concurrency: settings.concurrency,
        ...(deps.functionTimeoutSeconds !== undefined ? { functionTimeoutSeconds: deps.functionTimeoutSeconds } : {}),
      });
      const report = diagnose(facts);
      logger.info('doctor', { healthy: report.healthy, problems: report.problems.map((problem) => problem.summary) });
      return report;
    } finally {
      clients.destroy();
      logger.resetKeys();
    }
  };
}

/** The function's one entry point: `{"doctor": true}` to the doctor, everything else to the scan. */
export function createHandler(
  deps: ScanHandlerDeps & Omit<DoctorHandlerDeps, 'settings' | 'logger' | 'clients'>,
): (event: unknown, context: LambdaContext) => Promise<ScanSummary | DoctorReport | DecisionSummary> {
  const scan = createScanHandler(deps);
  const doctor = createDoctorHandler(deps);
  // REMEDIATE=approve: {"approve"|"reject": PLAN_ID} decides a kept plan instead of scanning.
  const decide = createDecisionHandler(deps);
  return (event, context) => (isDoctorRequest(event) ? doctor(event, context) : isDecisionEvent(event) ? decide(event, context) : scan(event, context));
}
