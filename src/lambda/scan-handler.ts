/**
 * The scan Lambda, as a factory so tests can hand it settings, a logger and the orchestrator.
 * Thin: validate the event, turn it and the settings into ScanOptions with the Lambda's remaining
 * time as the deadline, call runScan (which publishes), log and measure, return the summary. A
 * scheduled scan that completed also beats the heartbeat the stack's heartbeat alarm watches.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { AwsClients } from '../aws/clients';
import { parseScanEvent, PayloadError, type LambdaSettings, type ScanPayload, type Trigger } from '../config';
import type { RunRecord } from '../notify/run-record';
import { TrailwatchError } from '../errors';
import { logReport, publishCheckMetrics, publishHeartbeat, PublishError, type PublishResult } from '../notify';
import { remediationStep } from '../remediate/step';
import { jsonFitsWithin } from '../report/json-text';
import type { ScanReport } from '../report/types';
import type { SecurityHubImportResult } from '../notify/security-hub';
import type { ScanOptions, ScanResult } from '../scan';
import type { RecordRun } from './runs';
import type { ExceptionRules } from '../exceptions';
import { planStoreOf } from '../remediate/plan-store';
import { readExceptions } from './exceptions-source';

/** Security Hub failures named in the invocation's answer; the log has them all. */
const MAX_SUMMARY_FAILURES = 20;

/** The whole report is returned when its JSON is at most this large; the summary alone otherwise. */
export const MAX_RETURNED_REPORT_BYTES = 64 * 1024;

export interface ScanHandlerDeps {
  readonly settings: LambdaSettings;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly runScan: (options: ScanOptions) => Promise<ScanResult>;
  /** A client factory per invocation; the settings' endpoint when absent. */
  readonly clients?: () => AwsClients;
  readonly now?: () => number;
  /** Where each run's start and end are recorded (the report bucket, read by trailwatch doctor); nowhere when absent. */
  readonly recordRun?: RecordRun;
}

/** What the invocation returns: enough to act on, the whole report when it is small. */
export interface ScanSummary {
  readonly benchmark: ScanReport['benchmark'];
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly summary: ScanReport['summary'];
  /** judgedThroughOrganizationTrail: members not read because the organization trail settles every check (present when there are any). */
  readonly accounts: { readonly total: number; readonly scanned: number; readonly notScanned: number; readonly judgedThroughOrganizationTrail?: number };
  readonly notification:
    | { readonly published: false; readonly reason: string }
    | (Pick<PublishResult, 'published' | 'subject' | 'parts' | 'messageIds' | 'fullReportLocation' | 'omittedFindings' | 'chat'> & { readonly published: boolean });
  /** What REMEDIATE=plan|apply|approve did (its email text left out). */
  readonly remediation?: Omit<NonNullable<ScanReport['remediation']>, 'text'>;
  /** This scan's report and HTML page in the report bucket (s3:// URIs) and the console link to the page. */
  readonly stored?: { readonly report: string; readonly page?: string; readonly pageConsoleUrl?: string };
  /** What SECURITY_HUB=true did: counts, and the first failures (every one is in the log). */
  readonly securityHub?: Omit<SecurityHubImportResult, 'failed' | 'calls'> & { readonly failed: number; readonly failures: SecurityHubImportResult['failed'] };
  /** The whole report, when its JSON is within MAX_RETURNED_REPORT_BYTES. */
  readonly report?: ScanReport;
  readonly reportOmitted?: string;
}

export type LambdaContext = Pick<Context, 'getRemainingTimeInMillis'> & Partial<Pick<Context, 'awsRequestId' | 'functionName'>>;

/** The deadline for starting accounts and the moment in-flight work is abandoned, leaving time to publish. */
export function scanDeadlines(
  now: number,
  remainingMs: number | undefined,
  marginMs: number,
): { deadline: number; abortAfterMs: number } | undefined {
  if (remainingMs === undefined || !Number.isFinite(remainingMs)) return undefined;
  // A short-lived invocation keeps a quarter of its time for publishing rather than the whole margin.
  const margin = Math.min(marginMs, remainingMs / 4);
  return { deadline: now + remainingMs - margin, abortAfterMs: Math.max(0, remainingMs - margin / 2) };
}

export function buildScanOptions(
  settings: LambdaSettings,
  payload: ScanPayload,
  extra: Pick<ScanOptions, 'clients'> &
    Partial<Pick<ScanOptions, 'deadline' | 'evaluationDeadline' | 'signal' | 'onProgress' | 'notify' | 'remediate' | 'exceptions' | 'now' | 'releaseInventories'>>,
): ScanOptions {
  const regions = payload.regions ?? settings.regions;
  const checks = payload.checks ?? settings.checks;
  // Archiving findings no longer produced is only for a scan of the deployment's whole scope.
  const securityHub = settings.securityHub ? { securityHub: { archiveMissing: !payload.accounts && !payload.checks } } : {};
  return {
    benchmark: payload.benchmark ?? settings.benchmark,
    ...(checks ? { checks } : {}),
    ...(payload.accounts ? { accounts: payload.accounts } : {}),
    ...(payload.readEveryAccount ? { readEveryAccount: true } : {}),
    ...(settings.excludeAccounts ? { excludeAccounts: settings.excludeAccounts } : {}),
    ...(settings.ous ? { ous: settings.ous } : {}),
    ...(regions ? { regions } : {}),
    roleName: settings.roleName,
    ...(settings.externalId ? { externalId: settings.externalId } : {}),
    // Each scan's HTML page (kept in the report bucket) groups accounts by OU.
    ...(settings.notify.reportBucket ? { organizationalUnits: true } : {}),
    concurrency: settings.concurrency,
    homeRegion: settings.homeRegion,
    ...securityHub,
    ...(settings.strictPatterns ? { strictPatterns: true } : {}),
    ...extra,
  };
}

/** REMEDIATE=approve: where the step keeps plans and what it writes into the instructions. */
function approvalDeps(settings: LambdaSettings, payload: ScanPayload, clients: AwsClients, functionName: string | undefined) {
  if (settings.remediation?.mode !== 'approve') return {};
  const plans = planStoreOf(clients, settings.notify);
  const checks = payload.checks ?? settings.checks;
  const regions = payload.regions ?? settings.regions;
  const name = functionName ?? process.env.AWS_LAMBDA_FUNCTION_NAME;
  return { ...(plans ? { plans } : {}), ...(name ? { functionName: name } : {}), scope: { ...(checks ? { checks } : {}), ...(regions ? { regions } : {}) } };
}

function judgedThroughOrganizationTrail(count: number): { judgedThroughOrganizationTrail?: number } {
  return count > 0 ? { judgedThroughOrganizationTrail: count } : {};
}

export function invocationSummary(result: ScanResult, notified: boolean): ScanSummary {
  const { report } = result;
  const small = jsonFitsWithin(report, MAX_RETURNED_REPORT_BYTES);
  const n = result.notification;
  return {
    benchmark: report.benchmark,
    startedAt: report.startedAt,
    finishedAt: report.finishedAt,
    summary: report.summary,
    accounts: {
      total: report.accounts.length,
      scanned: report.accounts.filter((a) => a.status === 'SCANNED').length,
      notScanned: report.accounts.filter((a) => a.status === 'ERROR').length,
      ...judgedThroughOrganizationTrail(report.accounts.filter((a) => a.status === 'ORGANIZATION_TRAIL').length),
    },
    notification: !notified
      ? { published: false, reason: 'notify: false in the payload' }
      : !n
        ? { published: false, reason: 'the scan returned no notification result' }
        : n.published
          ? {
              published: true,
              subject: n.subject,
              parts: n.parts,
              messageIds: n.messageIds,
              omittedFindings: n.omittedFindings,
              ...(n.fullReportLocation ? { fullReportLocation: n.fullReportLocation } : {}),
              ...(n.chat ? { chat: n.chat } : {}),
            }
          : { published: false, reason: n.skipped === 'all-passed' ? 'NOTIFY=on-fail and every check passed' : 'NOTIFY=on-change and nothing changed' },
    ...(n?.reportLocation
      ? { stored: { report: n.reportLocation, ...(n.pageLocation ? { page: n.pageLocation } : {}), ...(n.pageConsoleUrl ? { pageConsoleUrl: n.pageConsoleUrl } : {}) } }
      : {}),
    ...(report.remediation ? { remediation: (({ text: _text, ...rest }) => rest)(report.remediation) } : {}),
    ...(result.securityHub
      ? {
          securityHub: (({ failed, calls: _calls, ...counts }) => ({ ...counts, failed: failed.length, failures: failed.slice(0, MAX_SUMMARY_FAILURES) }))(result.securityHub),
        }
      : {}),
    ...(small ? { report } : { reportOmitted: `the report's JSON is over ${MAX_RETURNED_REPORT_BYTES / 1024} KB: see the log, the findings topic or the report bucket` }),
  };
}

export function createScanHandler(deps: ScanHandlerDeps): (event: unknown, context: LambdaContext) => Promise<ScanSummary> {
  const { settings, logger, metrics } = deps;
  const now = deps.now ?? Date.now;

  return async (event, context) => {
    if (context.awsRequestId) logger.appendKeys({ awsRequestId: context.awsRequestId });
    let parsed: ReturnType<typeof parseScanEvent>;
    try {
      parsed = parseScanEvent(event);
    } catch (error) {
      logger.error('bad payload: nothing scanned', error as Error);
      throw error;
    }
    const { payload, trigger } = parsed;
    if (payload.doctor) throw new PayloadError([{ field: 'doctor', message: 'a doctor request goes to the doctor (createHandler routes it), never to the scan' }]);
    if (payload.approve || payload.reject) throw new PayloadError([{ field: payload.approve ? 'approve' : 'reject', message: 'a decision goes to the decision handler, never to a scan' }]);
    logger.info('scan starting', { trigger, payload });
    const record = runRecord(trigger, context);
    await record.started();

    const remaining = typeof context.getRemainingTimeInMillis === 'function' ? context.getRemainingTimeInMillis() : undefined;
    const deadlines = scanDeadlines(now(), remaining, settings.deadlineMarginMs);
    const abort = new AbortController();
    const timer = deadlines
      ? setTimeout(() => abort.abort(new TrailwatchError('the Lambda is about to time out')), deadlines.abortAfterMs)
      : undefined;
    timer?.unref();

    const clients = deps.clients?.() ?? new AwsClients(settings.endpointUrl ? { endpointUrl: settings.endpointUrl } : {});
    let exceptions: ExceptionRules | undefined;
    if (settings.exceptions) {
      try {
        exceptions = await readExceptions(clients, settings.exceptions, { region: settings.homeRegion, now: new Date(now()), signal: abort.signal });
      } catch (error) {
        if (timer) clearTimeout(timer);
        clients.destroy();
        logger.error('bad exceptions file: nothing scanned', error as Error);
        logger.resetKeys();
        throw error;
      }
    }
    const notify = payload.notify === false ? undefined : { ...settings.notify, onNote: (note: string) => logger.warn(note) };
    // REMEDIATE=plan|apply|approve: runs on the evaluated scan before it is published; the re-scan publishes nothing.
    const remediate = settings.remediation
      ? remediationStep(settings.remediation, {
          ...approvalDeps(settings, payload, clients, context.functionName),
          clients,
          roleName: settings.roleName,
          ...(settings.externalId ? { externalId: settings.externalId } : {}),
          homeRegion: settings.homeRegion,
          signal: abort.signal,
          rescan: (accounts) => deps.runScan({ ...options, accounts, notify: undefined, remediate: undefined }),
        })
      : undefined;
    const options = buildScanOptions(settings, payload, {
      clients,
      signal: abort.signal,
      // Evaluation may use the time up to the abort; publishing has the rest.
      ...(deadlines ? { deadline: deadlines.deadline, evaluationDeadline: now() + deadlines.abortAfterMs } : {}),
      ...(notify ? { notify } : {}),
      // Without remediation nothing needs the inventories after the findings: memory stays flat at 10,000 accounts.
      ...(remediate ? { remediate } : { releaseInventories: true }),
      ...(exceptions ? { exceptions, now: () => new Date(now()) } : {}),
      onProgress: (progress) => logger.debug('progress', { progress }),
    });

    try {
      const result = await deps.runScan(options);
      observe(result.report);
      if (result.securityHub) {
        const { failed, ...counts } = result.securityHub;
        if (failed.length > 0) logger.error('Security Hub import incomplete: findings not imported or not updated', { securityHub: { ...counts, failed } });
        else logger.info('Security Hub import done', { securityHub: counts });
      }
      // Only the schedule beats the heartbeat: scans by hand must not hide a schedule that stopped.
      if (trigger.kind === 'schedule') publishHeartbeat(metrics, context.functionName ?? process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'trailwatch');
      if (result.notification?.published) {
        logger.info('report published', { notification: result.notification });
      } else if (result.notification) {
        logger.info('report not published', { notification: result.notification });
      }
      const summary = invocationSummary(result, notify !== undefined);
      await record.finished(summary);
      return summary;
    } catch (error) {
      await record.failed(error);
      if (error instanceof PublishError) {
        // Logged before failing, so nothing is lost and the failure still reaches the retries and the on-failure queue.
        observe(error.report);
        logger.error('publishing the report failed: the invocation fails', error);
      } else {
        logger.error('scan failed', error as Error);
      }
      throw error;
    } finally {
      if (timer) clearTimeout(timer);
      clients.destroy();
      logger.resetKeys();
    }
  };

  /** The run's start and end, for the doctor's "when did the last scheduled scan run and how did it end". */
  function runRecord(trigger: Trigger, context: LambdaContext) {
    const startedAt = new Date(now()).toISOString();
    const base = { trigger: trigger.kind, startedAt, ...(context.awsRequestId ? { requestId: context.awsRequestId } : {}) } as const;
    const put = async (record: RunRecord) => deps.recordRun?.(record);
    return {
      started: () => put({ ...base, outcome: 'running' }),
      finished: (summary: ScanSummary) =>
        put({
          ...base,
          outcome: 'finished',
          finishedAt: new Date(now()).toISOString(),
          summary: summary.summary,
          accounts: summary.accounts,
          published: summary.notification.published,
          ...('reason' in summary.notification ? { detail: summary.notification.reason } : {}),
        }),
      failed: (error: unknown) =>
        put({ ...base, outcome: 'failed', finishedAt: new Date(now()).toISOString(), detail: error instanceof Error ? error.message : String(error) }),
    };
  }

  function observe(report: ScanReport): void {
    logReport(logger, report);
    publishCheckMetrics(metrics, report);
  }
}
