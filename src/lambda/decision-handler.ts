/**
 * The scan Lambda's other job under REMEDIATE=approve: `{"approve": "PLAN_ID"}` or
 * `{"reject": "PLAN_ID"}` decides a plan a scheduled scan kept (src/remediate/approve.ts). IAM
 * decides who may invoke the function; CloudTrail (Lambda data events) records who did. The
 * function cannot see the invoker, so the decision names the function and the request instead.
 * An approval that applied publishes the re-scan with what was done, before -> after.
 */
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { AwsClients } from '../aws/clients';
import { parseScanEvent, PayloadError } from '../config';
import { AccountCredentials } from '../discover/credentials';
import { TrailwatchError } from '../errors';
import { publishReport } from '../notify/publish';
import type { LambdaSettings } from '../config';
import { approvePlan, rejectPlan, type DecisionDeps, type DecisionOutcome } from '../remediate/approve';
import { planStoreOf } from '../remediate/plan-store';
import { buildScanOptions, scanDeadlines, type ScanHandlerDeps } from './scan-handler';

/** What a decision invocation returns. */
export type DecisionSummary =
  | Exclude<DecisionOutcome, { status: 'applied' }>
  | (Omit<Extract<DecisionOutcome, { status: 'applied' }>, 'report' | 'applied'> & {
      readonly applied: { readonly applied: number; readonly failed: number; readonly notAttempted: number };
      readonly published: boolean;
    });

type LambdaContext = Parameters<ReturnType<typeof import('./scan-handler').createScanHandler>>[1];

/** A payload that decides a plan rather than asking for a scan. */
export function isDecisionEvent(event: unknown): boolean {
  return typeof event === 'object' && event !== null && !('detail-type' in event) && ('approve' in event || 'reject' in event);
}

/** What approving a plan needs from the function it runs in; every channel (payload, link) applies through it. */
export interface ApprovalRun extends DecisionDeps {
  readonly settings: LambdaSettings;
  readonly clients: AwsClients;
  readonly runScan: ScanHandlerDeps['runScan'];
  readonly logger: ScanHandlerDeps['logger'];
  readonly signal: AbortSignal;
  /** Publish the result to the findings topic (whatever NOTIFY says: an approval's result is always told). */
  readonly publish: boolean;
}

/**
 * Approves a kept plan: re-scans its accounts with its settings, applies it once unless it
 * drifted (src/remediate/approve.ts), and publishes the re-scan with what was done.
 */
export async function approveAndPublish(planId: string, run: ApprovalRun): Promise<DecisionSummary> {
  const { settings, clients, logger, signal } = run;
  const caller = (await clients.sts({ accountId: 'caller' }, settings.homeRegion).send(new GetCallerIdentityCommand({}))).Account ?? '';
  const credentials = new AccountCredentials(clients, {
    callerAccountId: caller,
    roleName: settings.roleName,
    ...(settings.externalId ? { externalId: settings.externalId } : {}),
    region: settings.homeRegion,
  });
  const outcome = await approvePlan(planId, {
    store: run.store,
    principal: run.principal,
    channel: run.channel,
    now: run.now,
    apply: { clients, sessionFor: (accountId) => credentials.sessionFor(accountId), signal },
    rescan: (accounts, plan) =>
      run.runScan(
        buildScanOptions(
          settings,
          { benchmark: plan.benchmark, ...(plan.checks ? { checks: plan.checks } : {}), ...(plan.regions ? { regions: plan.regions } : {}), accounts },
          { clients, signal },
        ),
      ),
  });
  if (outcome.status !== 'applied') {
    logger.warn(`plan ${planId} refused`, { outcome });
    return outcome;
  }
  logger.info(`plan ${planId} applied`, { decision: outcome.decision, applied: outcome.applied.applied, failed: outcome.applied.failed });
  let published = false;
  if (run.publish) {
    const result = await publishReport(outcome.report, { ...settings.notify, when: 'always', onNote: (note) => logger.warn(note) }, { clients });
    published = result.published;
  }
  const { report: _report, applied, ...rest } = outcome;
  return { ...rest, applied: { applied: applied.applied, failed: applied.failed, notAttempted: applied.notAttempted }, published };
}

export function createDecisionHandler(deps: ScanHandlerDeps): (event: unknown, context: LambdaContext) => Promise<DecisionSummary> {
  const { settings, logger } = deps;
  const now = deps.now ?? Date.now;

  return async (event, context) => {
    if (context.awsRequestId) logger.appendKeys({ awsRequestId: context.awsRequestId });
    const { payload } = parseScanEvent(event);
    const planId = payload.approve ?? payload.reject ?? '';
    const action = payload.approve ? 'approve' : 'reject';
    if (settings.remediation?.mode !== 'approve') {
      throw new PayloadError([{ field: action, message: `plans are kept and decided only with REMEDIATE=approve (this function has REMEDIATE=${settings.remediation?.mode ?? 'off'})` }]);
    }
    const clients = deps.clients?.() ?? new AwsClients(settings.endpointUrl ? { endpointUrl: settings.endpointUrl } : {});
    const remaining = typeof context.getRemainingTimeInMillis === 'function' ? context.getRemainingTimeInMillis() : undefined;
    const deadlines = scanDeadlines(now(), remaining, settings.deadlineMarginMs);
    const abort = new AbortController();
    const timer = deadlines ? setTimeout(() => abort.abort(new TrailwatchError('the Lambda is about to time out')), deadlines.abortAfterMs) : undefined;
    timer?.unref();
    try {
      const store = planStoreOf(clients, settings.notify);
      if (!store) throw new TrailwatchError('REMEDIATE=approve needs REPORT_BUCKET: the plans are kept there');
      const functionName = context.functionName ?? process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'trailwatch';
      const decisionDeps = {
        store,
        principal: `an invoker of ${functionName} (request ${context.awsRequestId ?? 'unknown'}; CloudTrail names the IAM principal)`,
        channel: `lambda payload {"${action}"}`,
        now: () => new Date(now()),
      };
      logger.info(`plan ${action} requested`, { planId });
      if (action === 'reject') {
        const outcome = await rejectPlan(planId, decisionDeps);
        logger.info(`plan ${outcome.status}`, { outcome });
        return outcome as DecisionSummary;
      }
      return await approveAndPublish(planId, { ...decisionDeps, settings, clients, runScan: deps.runScan, logger, signal: abort.signal, publish: payload.notify !== false });
    } finally {
      if (timer) clearTimeout(timer);
      clients.destroy();
      logger.resetKeys();
    }
  };
}
