/**
 * What changed between two scan reports, finding by finding (keyed by account and check): pure,
 * for NOTIFY=on-change and the email that leads with it.
 */
import type { CheckSlug } from '../controls/types';
import type { Finding, StatusValue } from '../evaluate/types';
import type { AccountResult, ScanReport } from './types';

/** One finding whose status is not what it was. */
export interface FindingChange {
  readonly previousStatus: StatusValue | null;
  readonly finding: Finding;
}

export interface ReportDiff {
  /** FAIL or ERROR now, PASS or absent before. */
  readonly appeared: FindingChange[];
  /** PASS now, FAIL or ERROR before. */
  readonly fixed: FindingChange[];
  /** Still not passing, but FAIL became ERROR or the other way round. */
  readonly changed: FindingChange[];
  /** Not passing before and now, unchanged. */
  readonly unchangedFailing: number;
}

export function findingKey(finding: { readonly accountId: string; readonly check: CheckSlug }): string {
  return `${finding.accountId}/${finding.check}`;
}

const isFailing = (status: StatusValue): boolean => status !== 'PASS';

/**
 * Findings only in the previous report are out of this scan's scope (a narrowed scan, an account
 * that left) and are neither new nor fixed.
 */
export function diffReports(previous: ScanReport, current: ScanReport): ReportDiff {
  const before = new Map(previous.findings.map((f) => [findingKey(f), f.status] as const));
  const appeared: FindingChange[] = [];
  const fixed: FindingChange[] = [];
  const changed: FindingChange[] = [];
  let unchangedFailing = 0;
  for (const finding of current.findings) {
    const previousStatus = before.get(findingKey(finding)) ?? null;
    const change = { previousStatus, finding };
    if (isFailing(finding.status)) {
      if (previousStatus === null || !isFailing(previousStatus)) appeared.push(change);
      else if (previousStatus !== finding.status) changed.push(change);
      else unchangedFailing += 1;
    } else if (previousStatus !== null && isFailing(previousStatus)) {
      fixed.push(change);
    }
  }
  return { appeared, fixed, changed, unchangedFailing };
}

export function hasChanges(diff: ReportDiff): boolean {
  return diff.appeared.length + diff.fixed.length + diff.changed.length > 0;
}

/**
 * The report to compare the next scan with: the current one, plus the previous findings and
 * accounts it did not cover, so a scan narrowed to a few accounts does not make the next full
 * scan call everyone else's failures new.
 */
export function mergeBaseline(previous: ScanReport | undefined, current: ScanReport): ScanReport {
  if (!previous || previous.benchmark !== current.benchmark) return current;
  const findings = new Map<string, Finding>(previous.findings.map((f) => [findingKey(f), f]));
  for (const f of current.findings) findings.set(findingKey(f), f);
  const accounts = new Map<string, AccountResult>(previous.accounts.map((a) => [a.accountId, a]));
  for (const a of current.accounts) accounts.set(a.accountId, a);
  const merged = [...findings.values()];
  return {
    ...current,
    accounts: [...accounts.values()],
    findings: merged,
    summary: {
      pass: merged.filter((f) => f.status === 'PASS').length,
      fail: merged.filter((f) => f.status === 'FAIL').length,
      error: merged.filter((f) => f.status === 'ERROR').length,
    },
  };
}
