import { renderJson } from '../../src/report';
import type { ScanReport } from '../../src/report/types';
import { ROOT_USAGE_FAIL, sampleReport } from './fixtures';

describe('renderJson', () => {
  it('prints the DESIGN.md shape with its key order', () => {
    // Act
    const parsed = JSON.parse(renderJson(sampleReport()));
    // Assess
    expect(Object.keys(parsed)).toEqual(['benchmark', 'startedAt', 'finishedAt', 'accounts', 'findings', 'summary', 'stats']);
    expect(Object.keys(parsed.accounts[2])).toEqual(['accountId', 'status', 'error']);
    expect(Object.keys(parsed.findings[2])).toEqual([
      'accountId', 'check', 'control', 'status', 'coveredRegions', 'uncoveredRegions', 'brokenLink', 'reason', 'evidence', 'fix', 'warnings',
    ]);
    expect(Object.keys(parsed.findings[2].evidence)).toEqual(['trail', 'logGroup', 'metricFilter']);
    expect(parsed.summary).toEqual({ pass: 2, fail: 1, error: 1 });
  });

  it('keeps the key order whatever order the report object was built in', () => {
    // Prepare
    const report = sampleReport();
    const { evidence, reason, status, ...rest } = ROOT_USAGE_FAIL;
    const shuffled: ScanReport = {
      summary: report.summary,
      findings: [{ evidence: { metricFilter: evidence.metricFilter, trail: evidence.trail, logGroup: evidence.logGroup }, reason, status, ...rest }],
      accounts: report.accounts,
      finishedAt: report.finishedAt,
      startedAt: report.startedAt,
      benchmark: report.benchmark,
    };
    const inOrder: ScanReport = { ...report, findings: [ROOT_USAGE_FAIL], stats: undefined };
    // Act / Assess
    expect(renderJson(shuffled)).toBe(renderJson(inOrder));
  });

  it('writes brokenLink null for a passing finding and round-trips every value', () => {
    // Prepare
    const report = sampleReport();
    // Act
    const parsed = JSON.parse(renderJson(report));
    // Assess
    expect(parsed.findings[1].brokenLink).toBeNull();
    expect(parsed.findings).toEqual(report.findings);
    expect(parsed.accounts).toEqual(report.accounts);
  });
});
