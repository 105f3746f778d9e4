import { exitCodeOf } from '../../src/cli/report-output';
import type { Finding } from '../../src/evaluate/types';
import type { ScanReport } from '../../src/report/types';

const excepted = { reason: 'migrating to the SIEM', approvedBy: 'sec-lead', expires: '2027-01-31' };

function errorFinding(accountId: string, exception?: typeof excepted): Finding {
  return {
    accountId,
    check: 'root_usage',
    control: '4.3',
    status: 'ERROR',
    coveredRegions: [],
    uncoveredRegions: ['us-east-1'],
    brokenLink: null,
    reason: `account ${accountId} could not be scanned: AccessDenied`,
    evidence: {},
    ...(exception ? { exception } : {}),
  };
}

/** A report whose summary counts nothing unexcepted: only the accounts decide the exit code. */
function report(accounts: ScanReport['accounts'], findings: Finding[]): ScanReport {
  return { benchmark: 'cis-aws-v4.0.0', startedAt: '2026-12-05T00:00:00Z', finishedAt: '2026-12-05T00:01:00Z', accounts, findings, summary: { pass: 0, fail: 0, error: 0, excepted: findings.length } };
}

describe('exitCodeOf, accounts that could not be scanned', () => {
  it('is 0 when exceptions cover every finding of every failed account', () => {
    const accounts = Array.from({ length: 3 }, (_, i) => ({ accountId: `11111111111${i}`, status: 'ERROR' as const, error: 'AccessDenied' }));
    expect(exitCodeOf(report(accounts, accounts.map((a) => errorFinding(a.accountId, excepted))))).toBe(0);
  });

  it('is 1 when a failed account has no finding at all, or one no exception covers', () => {
    const accounts = [
      { accountId: '111111111110', status: 'ERROR' as const, error: 'AccessDenied' },
      { accountId: '111111111111', status: 'ERROR' as const, error: 'AccessDenied' },
    ];
    expect(exitCodeOf(report(accounts, [errorFinding('111111111110', excepted)]))).toBe(1);
    expect(exitCodeOf(report(accounts, [errorFinding('111111111110', excepted), errorFinding('111111111111', excepted), errorFinding('111111111111')]))).toBe(1);
  });

  it('decides for 10,000 failed accounts of 15 findings each', () => {
    const accounts = Array.from({ length: 10_000 }, (_, i) => ({ accountId: String(100000000000 + i), status: 'ERROR' as const, error: 'AccessDenied' }));
    const findings = accounts.flatMap((a) => Array.from({ length: 15 }, () => errorFinding(a.accountId, excepted)));
    expect(exitCodeOf(report(accounts, findings))).toBe(0);
  });
});
