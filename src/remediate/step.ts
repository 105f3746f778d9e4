/**
 * Remediation as a step of the scheduled scan (REMEDIATE=plan|apply|approve): runs on the evaluated scan
 * before it is published, so the plan — or what was done, before -> after — goes into the email
 * and the JSON; with approve, the plan is kept in the report bucket for someone to approve.
 * A failing remediation never costs the scan its report: the failure is reported.
 */
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsClients } from '../aws/clients';
import type { CheckSlug } from '../controls/types';
import { AccountCredentials } from '../discover/credentials';
import { summarize } from '../evaluate/evaluate';
import type { ReportRemediation, ScanReport } from '../report/types';
import type { ScanResult } from '../scan';
import { DEFAULT_APPROVAL_HOURS, planRecord, type PlanRecord, type PlanSettings } from './approval';
import { approvalLink, linkTokenFor } from './approval-link';
import { readLinkSecret } from './link-secret';
import { putPlanRecord, type PlanStore } from './plan-store';
import { renderApprovalRequest, renderRemediationSection } from './render';
import { s3Uri } from '../notify/store';
import { remediateScan, type RemediationRunResult, type ScanOutcome } from './run';
import type { AlertSubscription } from './types';

export const REMEDIATE_MODES = ['off', 'plan', 'apply', 'approve'] as const;
export type RemediateMode = (typeof REMEDIATE_MODES)[number];

export interface RemediationSettings {
  readonly mode: RemediateMode;
  readonly alertEndpoint?: AlertSubscription;
  readonly alertTopicArn?: string;
  readonly maxChanges?: number;
  readonly fixAlarms?: boolean;
  /** approve: how long a kept plan may be approved (DEFAULT_APPROVAL_HOURS when absent). */
  readonly approvalHours?: number;
  /**
   * approve with approvalLink=true: the secret that signs one-click links and, for the scan
   * function, the URL of the link function (the email carries a link only with both).
   */
  readonly approvalLink?: { readonly secretArn: string; readonly url?: string };
}

export interface RemediationStepDeps {
  readonly clients: AwsClients;
  readonly roleName: string;
  readonly externalId?: string;
  readonly homeRegion: string;
  /** Scans these accounts again, publishing nothing. */
  readonly rescan: (accounts: string[]) => Promise<ScanOutcome>;
  readonly signal?: AbortSignal;
  /** approve: where plans are kept (the report bucket), and the function to name in the instructions. */
  readonly plans?: PlanStore;
  readonly functionName?: string;
  readonly now?: () => Date;
  /** approve: the scan's checks and regions, kept with the plan so the approval re-scans the same. */
  readonly scope?: { readonly checks?: CheckSlug[]; readonly regions?: string[] };
}

/** The scan with the findings and account results of the accounts the re-scan did read replaced by the re-scan's. */
export function mergeRescan(before: ScanReport, after: ScanReport): ScanReport {
  const rescanned = new Set(after.accounts.filter((a) => a.status === 'SCANNED').map((a) => a.accountId));
  const afterFindings = new Map(after.findings.filter((f) => rescanned.has(f.accountId)).map((f) => [`${f.accountId}|${f.check}`, f]));
  const findings = before.findings.map((f) => afterFindings.get(`${f.accountId}|${f.check}`) ?? f);
  const accounts = before.accounts.map((a) => (rescanned.has(a.accountId) ? (after.accounts.find((b) => b.accountId === a.accountId) ?? a) : a));
  return { ...before, accounts, findings, summary: summarize(findings), finishedAt: after.finishedAt };
}

function remediationOf(run: RemediationRunResult, mode: 'plan' | 'apply' | 'approve'): ReportRemediation {
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
        mode: mode === 'approve' ? 'plan' : mode,
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
      if (mode === 'approve') return { ...scan.report, remediation: await keepForApproval(run, scan, settings, deps) };
      const report = run.after ? mergeRescan(scan.report, run.after) : scan.report;
      return { ...report, remediation: remediationOf(run, mode) };
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      const text = `REMEDIATION (REMEDIATE=${mode}) FAILED before it could finish: ${message}\nThe findings above are the scan's; run \`trailwatch remediate --plan\` to see what remains.`;
      return { ...scan.report, remediation: { mode, planned: 0, manual: 0, text } };
    }
  };
}

/** REMEDIATE=approve: the plan kept in the report bucket, and the section saying how to approve it. */
async function keepForApproval(run: RemediationRunResult, scan: ScanResult, settings: RemediationSettings, deps: RemediationStepDeps): Promise<ReportRemediation> {
  const base = remediationOf(run, 'approve');
  if (run.plan.changes.length === 0) {
    return { ...base, text: `REMEDIATION (REMEDIATE=approve): nothing for trailwatch to change, so no plan to approve.\n\n${base.text.split('\n').slice(2).join('\n')}` };
  }
  const store = deps.plans;
  if (!store) throw new Error('REMEDIATE=approve needs the report bucket (REPORT_BUCKET) to keep plans in');
  const planSettings: PlanSettings = {
    benchmark: scan.report.benchmark,
    ...(deps.scope?.checks ? { checks: deps.scope.checks } : {}),
    ...(deps.scope?.regions ? { regions: deps.scope.regions } : {}),
    ...(settings.alertEndpoint ? { alertEndpoint: settings.alertEndpoint } : {}),
    ...(settings.alertTopicArn ? { alertTopicArn: settings.alertTopicArn } : {}),
    ...(settings.fixAlarms ? { fixAlarms: true } : {}),
    ...(settings.maxChanges !== undefined ? { maxChanges: settings.maxChanges } : {}),
  };
  const record = planRecord(run.plan, scan.report.findings, planSettings, {
    now: deps.now?.() ?? new Date(),
    approvalHours: settings.approvalHours ?? DEFAULT_APPROVAL_HOURS,
  });
  const location = await putPlanRecord(store, record);
  const link = await signedLink(record, settings, deps);
  return {
    ...base,
    approval: { planId: record.planId, hash: record.hash, expiresAt: record.expiresAt, location, ...(link && 'url' in link ? { link: link.url } : {}) },
    text: renderApprovalRequest(record, {
      location,
      plansUri: s3Uri(store.bucket, store.prefix),
      ...(deps.functionName ? { functionName: deps.functionName } : {}),
      ...(link ? { link } : {}),
    }),
  };
}

/** approvalLink=true: the plan's one-click link, signed; why there is none when the secret cannot be read (the plan stands). */
async function signedLink(
  record: PlanRecord,
  settings: RemediationSettings,
  deps: RemediationStepDeps,
): Promise<{ readonly url: string } | { readonly problem: string } | undefined> {
  const where = settings.approvalLink;
  if (!where?.url) return undefined;
  try {
    const secret = await readLinkSecret(deps.clients, where.secretArn, deps.signal);
    return { url: approvalLink(where.url, linkTokenFor(record), secret) };
  } catch (error) {
    return { problem: (error as Error).message };
  }
}
