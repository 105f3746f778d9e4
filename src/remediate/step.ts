/**
 * Remediation as a step of the scheduled scan (REMEDIATE=plan|apply): runs on the evaluated scan
 * before it is published, so the plan — or what was done, before -> after — goes into the email
 * and the JSON. A failing remediation never costs the scan its report: the failure is reported.
 */
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsClients } from '../aws/clients';
import { AccountCredentials } from '../discover/credentials';
import { summarize } from '../evaluate/evaluate';
import type { ReportRemediation, ScanReport } from '../report/types';
import type { ScanResult } from '../scan';
import { renderRemediationSection } from './render';
import { remediateScan, type RemediationRunResult, type ScanOutcome } from './run';
import type { AlertSubscription } from './types';

export const REMEDIATE_MODES = ['off', 'plan', 'apply'] as const;
export type RemediateMode = (typeof REMEDIATE_MODES)[number];

export interface RemediationSettings {
  readonly mode: RemediateMode;
  readonly alertEndpoint?: AlertSubscription;
  readonly alertTopicArn?: string;
  readonly maxChanges?: number;
  readonly fixAlarms?: boolean;
}

export interface RemediationStepDeps {
  readonly clients: AwsClients;
  readonly roleName: string;
  readonly externalId?: string;
  readonly homeRegion: string;
  /** Scans these accounts again, publishing nothing. */
  readonly rescan: (accounts: string[]) => Promise<ScanOutcome>;
  readonly signal?: AbortSignal;
}

/** The scan with the findings and account results of the accounts the re-scan did read replaced by the re-scan's. */
export function mergeRescan(before: ScanReport, after: ScanReport): ScanReport {
  const rescanned = new Set(after.accounts.filter((a) => a.status === 'SCANNED').map((a) => a.accountId));
  const afterFindings = new Map(after.findings.filter((f) => rescanned.has(f.accountId)).map((f) => [`${f.accountId}|${f.check}`, f]));
  const findings = before.findings.map((f) => afterFindings.get(`${f.accountId}|${f.check}`) ?? f);
  const accounts = before.accounts.map((a) => (rescanned.has(a.accountId) ? (after.accounts.find((b) => b.accountId === a.accountId) ?? a) : a));
  return { ...before, accounts, findings, summary: summarize(findings), finishedAt: after.finishedAt };
}

function remediationOf(run: RemediationRunResult, mode: 'plan' | 'apply'): ReportRemediation {
  return {
    mode,
    planned: run.plan.changes.length,
    ...(run.applied ? { applied: run.applied.applied, failed: run.applied.failed, notAttempted: run.applied.notAttempted } : {}),
    manual: run.plan.manual.length + (run.applied?.manual.length ?? 0),
    ...(run.changes ? { findingChanges: run.changes.map(({ accountId, check, before, after }) => ({ accountId, check, before, after })) } : {}),
    text: renderRemediationSection(run),
  };
}

/** The `remediate` option of runScan for these settings; undefined when remediation is off. */
export function remediationStep(settings: RemediationSettings, deps: RemediationStepDeps): ((scan: ScanResult) => Promise<ScanReport>) | undefined {
  if (settings.mode === 'off') return undefined;
  const mode = settings.mode;
  return async (scan) => {
    try {
      const callerAccountId =
        scan.callerAccountId ??
        (await deps.clients.sts({ accountId: 'caller' }, deps.homeRegion).send(new GetCallerIdentityCommand({}))).Account ??
        '';
      const credentials = new AccountCredentials(deps.clients, {
        callerAccountId,
        roleName: deps.roleName,
        ...(deps.externalId ? { externalId: deps.externalId } : {}),
        region: deps.homeRegion,
      });
      const run = await remediateScan(scan, {
        mode,
        remediation: {
          benchmark: scan.report.benchmark,
          ...(settings.alertEndpoint ? { subscription: settings.alertEndpoint } : {}),
          ...(settings.alertTopicArn ? { alertTopicArn: settings.alertTopicArn } : {}),
          ...(settings.fixAlarms ? { fixAlarms: true } : {}),
        },
        apply: {
          clients: deps.clients,
          sessionFor: (accountId) => credentials.sessionFor(accountId),
          ...(settings.maxChanges !== undefined ? { maxChanges: settings.maxChanges } : {}),
          ...(deps.signal ? { signal: deps.signal } : {}),
        },
        rescan: deps.rescan,
      });
      const report = run.after ? mergeRescan(scan.report, run.after) : scan.report;
      return { ...report, remediation: remediationOf(run, mode) };
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      const text = `REMEDIATION (REMEDIATE=${mode}) FAILED before it could finish: ${message}\nThe findings above are the scan's; run \`trailwatch remediate --plan\` to see what remains.`;
      return { ...scan.report, remediation: { mode, planned: 0, manual: 0, text } };
    }
  };
}
