/**
 * Remediation after a scan, as the CLI and the Lambda run it: plan from the scan's findings and
 * inventories; with `apply`, make the changes and re-scan the accounts they touched (members of
 * an organization trail included) to report each finding before -> after.
 */
import type { AccountInventory } from '../collect/inventory';
import type { CheckSlug } from '../controls/types';
import type { Finding, StatusValue } from '../evaluate/types';
import type { ScanReport } from '../report/types';
import { applyPlan } from './apply';
import { planRemediation } from './plan';
import type { ApplyOptions, ApplyResult, RemediationOptions, RemediationPlan } from './types';

export interface ScanOutcome {
  readonly report: ScanReport;
  readonly inventories: AccountInventory[];
}

/** One finding's status before and after remediation. */
export interface FindingChange {
  readonly accountId: string;
  readonly check: CheckSlug;
  readonly before: StatusValue;
  readonly after: StatusValue | 'NOT_RESCANNED';
  /** The after-scan's reason when it does not pass. */
  readonly reason?: string;
}

export interface RemediationRunResult {
  readonly plan: RemediationPlan;
  readonly applied?: ApplyResult;
  /** The re-scan of the accounts the changes touched or repair. */
  readonly after?: ScanReport;
  readonly changes?: FindingChange[];
}

/** The accounts whose findings a plan's changes can turn: where they act and whom they serve. */
export function touchedAccounts(plan: RemediationPlan, result?: ApplyResult): string[] {
  const done = result
    ? result.outcomes.filter((o) => o.status === 'APPLIED' || o.status === 'UNCHANGED').map((o) => o.change)
    : plan.changes;
  return [...new Set(done.flatMap((c) => [c.accountId, ...c.forAccounts]))].sort();
}

/** Before -> after for every finding of `accounts` that failed or errored before. */
export function compareFindings(before: readonly Finding[], after: readonly Finding[], accounts: readonly string[]): FindingChange[] {
  const afterByKey = new Map(after.map((f) => [`${f.accountId}|${f.check}`, f]));
  return before
    .filter((f) => accounts.includes(f.accountId) && f.status !== 'PASS')
    .map((f) => {
      const now = afterByKey.get(`${f.accountId}|${f.check}`);
      return {
        accountId: f.accountId,
        check: f.check,
        before: f.status,
        after: now?.status ?? 'NOT_RESCANNED',
        ...(now && now.status !== 'PASS' ? { reason: now.reason } : {}),
      };
    });
}

export async function remediateScan(
  scan: ScanOutcome,
  options: {
    readonly mode: 'plan' | 'apply';
    readonly remediation: RemediationOptions;
    readonly apply: ApplyOptions;
    /** Scans these accounts again (the same settings as the first scan). */
    readonly rescan?: (accounts: string[]) => Promise<ScanOutcome>;
  },
): Promise<RemediationRunResult> {
  const plan = planRemediation(scan.report.findings, scan.inventories, { benchmark: scan.report.benchmark, ...options.remediation });
  if (options.mode === 'plan') return { plan };
  const applied = await applyPlan(plan, options.apply);
  const accounts = touchedAccounts(plan, applied);
  if (!options.rescan || accounts.length === 0 || applied.applied === 0) return { plan, applied };
  const after = (await options.rescan(accounts)).report;
  return { plan, applied, after, changes: compareFindings(scan.report.findings, after.findings, accounts) };
}
