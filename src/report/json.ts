/**
 * The scan report as JSON (DESIGN.md "Scan report"): the contract's keys first, in the
 * contract's order, then the optional extras (fix, warnings, exception, account names, stats,
 * remediation, exceptions) when present; `summary.excepted` when exceptions were applied. Key order never depends on how the report object was built.
 */
import type { Finding, FindingEvidence } from '../evaluate/types';
import type { AccountResult, ScanReport } from './types';

const EVIDENCE_KEYS = ['trail', 'logGroup', 'metricFilter', 'alarm', 'topic', 'organizationTrailOwner'] as const;

/** Copies the defined entries of `source` under `keys`, in that order. */
function pick<T extends object, K extends keyof T>(source: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out;
}

function accountJson(account: AccountResult): Record<string, unknown> {
  return pick(account, ['accountId', 'status', 'error', 'name', 'regions', 'regionsNotEnabled', 'notes', 'apiCalls', 'ou']);
}

function evidenceJson(evidence: FindingEvidence): Record<string, unknown> {
  return pick(evidence, EVIDENCE_KEYS);
}

function findingJson(finding: Finding): Record<string, unknown> {
  return {
    accountId: finding.accountId,
    check: finding.check,
    control: finding.control,
    status: finding.status,
    coveredRegions: finding.coveredRegions,
    uncoveredRegions: finding.uncoveredRegions,
    brokenLink: finding.brokenLink,
    reason: finding.reason,
    evidence: evidenceJson(finding.evidence),
    ...pick(finding, ['fix', 'warnings']),
    ...(finding.exception ? { exception: pick(finding.exception, ['reason', 'approvedBy', 'expires', 'kind']) } : {}),
  };
}

/** The report as a plain object with the contract's key order (what `renderJson` prints). */
export function reportJson(report: ScanReport): Record<string, unknown> {
  return {
    benchmark: report.benchmark,
    startedAt: report.startedAt,
    finishedAt: report.finishedAt,
    accounts: report.accounts.map(accountJson),
    findings: report.findings.map(findingJson),
    summary: {
      pass: report.summary.pass,
      fail: report.summary.fail,
      error: report.summary.error,
      ...(report.exceptions || report.summary.excepted ? { excepted: report.summary.excepted ?? 0 } : {}),
    },
    ...(report.stats
      ? { stats: pick(report.stats, ['apiCalls', 'apiCallsPerAccount', 'notes']) }
      : {}),
    ...(report.remediation
      ? { remediation: pick(report.remediation, ['mode', 'planned', 'applied', 'failed', 'notAttempted', 'manual', 'findingChanges', 'text']) }
      : {}),
    ...(report.exceptions ? { exceptions: pick(report.exceptions, ['source', 'applied', 'expired', 'stale']) } : {}),
  };
}

/** The report as pretty-printed JSON, ending in a newline. */
export function renderJson(report: ScanReport): string {
  return `${JSON.stringify(reportJson(report), null, 2)}\n`;
}
