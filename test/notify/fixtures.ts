/** Small reports built from data, for the notify, email and handler tests. */
import type { CheckSlug } from '../../src/controls/types';
import type { Finding, StatusValue } from '../../src/evaluate/types';
import type { AccountResult, ScanReport } from '../../src/report/types';

export const CONTROL_OF: Partial<Record<CheckSlug, string>> = {
  unauthorized_api_calls: '4.1',
  console_signin_without_mfa: '4.2',
  root_usage: '4.3',
  iam_policy_changes: '4.4',
  cloudtrail_config_changes: '4.5',
  vpc_changes: '4.14',
  organizations_changes: '4.15',
};

export function finding(accountId: string, check: CheckSlug, status: StatusValue, overrides: Partial<Finding> = {}): Finding {
  const failing = status !== 'PASS';
  return {
    accountId,
    check,
    control: CONTROL_OF[check] ?? '4.9',
    status,
    coveredRegions: failing ? [] : ['us-east-1', 'eu-west-1'],
    uncoveredRegions: failing ? ['us-east-1', 'eu-west-1'] : [],
    brokenLink: status === 'FAIL' ? 'alarm' : null,
    reason:
      status === 'PASS'
        ? `every region's ${check} events reach alarm '${check}-alarm' and a confirmed subscriber`
        : status === 'FAIL'
          ? `alarm '${check}-alarm' in ${accountId} has actions disabled`
          : `could not read the trails of ${accountId}: AccessDenied`,
    evidence: failing ? {} : { alarm: `arn:aws:cloudwatch:us-east-1:${accountId}:alarm:${check}-alarm` },
    ...(status === 'FAIL' ? { fix: `aws cloudwatch enable-alarm-actions --alarm-names ${check}-alarm` } : {}),
    ...overrides,
  };
}

export function account(accountId: string, overrides: Partial<AccountResult> = {}): AccountResult {
  return { accountId, status: 'SCANNED', regions: ['us-east-1', 'eu-west-1'], ...overrides };
}

export function report(findings: Finding[], overrides: Partial<ScanReport> = {}): ScanReport {
  const accountIds = [...new Set(findings.map((f) => f.accountId))];
  return {
    benchmark: 'cis-aws-v4.0.0',
    startedAt: '2025-11-20T06:00:00.000Z',
    finishedAt: '2025-11-20T06:03:12.000Z',
    accounts: accountIds.map((id) => account(id)),
    findings,
    summary: {
      pass: findings.filter((f) => f.status === 'PASS').length,
      fail: findings.filter((f) => f.status === 'FAIL').length,
      error: findings.filter((f) => f.status === 'ERROR').length,
    },
    ...overrides,
  };
}

/** n accounts (111111110000 + i), every check in `checks` with the status `statusOf` gives. */
export function organizationReport(
  n: number,
  checks: CheckSlug[],
  statusOf: (i: number, check: CheckSlug) => StatusValue,
  findingOverrides: Partial<Finding> = {},
): ScanReport {
  const findings: Finding[] = [];
  for (let i = 0; i < n; i += 1) {
    const id = String(111111110000 + i);
    for (const check of checks) findings.push(finding(id, check, statusOf(i, check), findingOverrides));
  }
  return report(findings);
}
