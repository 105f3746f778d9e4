// A region asked for but not enabled in an account is named wherever the report goes.
import { exitCodeOf } from '../../src/cli/report-output';
import { renderJson, renderTable } from '../../src/report';
import { renderEmail } from '../../src/report/email';
import { regionsNotScanned, scopeLines } from '../../src/report/scope';
import type { ScanReport } from '../../src/report/types';
import { finding } from './fixtures';

function smallerScope(): ScanReport {
  const warning = 'region eu-west-9 was asked for but is not enabled in account 222222222222: not scanned there';
  return {
    benchmark: 'cis-aws-v4.0.0',
    startedAt: '2025-03-01T10:00:00.000Z',
    finishedAt: '2025-03-01T10:00:42.000Z',
    accounts: [
      { accountId: '111111111111', status: 'SCANNED', regions: ['us-east-1', 'eu-west-9'] },
      { accountId: '222222222222', status: 'SCANNED', regions: ['us-east-1'], regionsNotEnabled: ['eu-west-9'] },
    ],
    findings: [
      finding({ accountId: '111111111111', check: 'root_usage', control: '4.3', status: 'PASS' }),
      finding({ accountId: '222222222222', check: 'root_usage', control: '4.3', status: 'PASS', coveredRegions: ['us-east-1'], warnings: [warning] }),
    ],
    summary: { pass: 2, fail: 0, error: 0 },
  };
}

describe('A scan whose scope is smaller than asked', () => {
  it('lists each region not scanned with the accounts that have not enabled it', () => {
    expect(regionsNotScanned(smallerScope())).toEqual([{ region: 'eu-west-9', accounts: ['222222222222'] }]);
    expect(scopeLines(smallerScope())).toEqual(['Not scanned: region eu-west-9 (asked for, not enabled in account 222222222222)']);
  });

  it('names the region in the table header and the summary line', () => {
    // Act
    const text = renderTable(smallerScope(), { color: false });
    // Assess
    const [, scanned, notScanned] = text.split('\n');
    expect(scanned).toMatch(/^Scanned 2 accounts from/);
    expect(notScanned).toBe('Not scanned: region eu-west-9 (asked for, not enabled in account 222222222222)');
    expect(text).toContain('Summary: 2 pass, 0 fail, 0 error (2 findings, 2 accounts); not scanned: eu-west-9 in 1 account\n');
    expect(text).toContain('warning (222222222222): region eu-west-9 was asked for but is not enabled in account 222222222222');
  });

  it('names the region in the email heading', () => {
    const { text } = renderEmail(smallerScope(), { level: 'error' });
    expect(text.split('\n').slice(0, 4)).toEqual([
      'trailwatch: cis-aws-v4.0.0 monitoring controls in 2 accounts (2 scanned)',
      'Scan 2025-03-01T10:00:00.000Z to 2025-03-01T10:00:42.000Z',
      'Result: 0 FAIL, 0 ERROR, 2 PASS',
      'Not scanned: region eu-west-9 (asked for, not enabled in account 222222222222)',
    ]);
  });

  it('keeps the regions not enabled on the account in the JSON, and the warning on its findings', () => {
    const json = JSON.parse(renderJson(smallerScope()));
    expect(json.accounts[1]).toEqual({ accountId: '222222222222', status: 'SCANNED', regions: ['us-east-1'], regionsNotEnabled: ['eu-west-9'] });
    expect(json.findings[1].warnings).toEqual([expect.stringContaining('eu-west-9')]);
  });

  it('exits 1 although every finding passes', () => {
    const report = smallerScope();
    expect(exitCodeOf(report)).toBe(1);
    expect(exitCodeOf({ ...report, accounts: report.accounts.map(({ regionsNotEnabled: _, ...account }) => account) })).toBe(0);
  });

  it('lists at most five accounts per region, and nothing when every region asked for was scanned', () => {
    const accounts = Array.from({ length: 7 }, (_, i) => ({ accountId: String(100000000000 + i), status: 'SCANNED' as const, regionsNotEnabled: ['ap-east-1'] }));
    expect(scopeLines({ accounts })).toEqual([
      'Not scanned: region ap-east-1 (asked for, not enabled in 7 accounts: 100000000000, 100000000001, 100000000002, 100000000003, 100000000004 and 2 more)',
    ]);
    expect(scopeLines({ accounts: accounts.map(({ regionsNotEnabled: _, ...a }) => a) })).toEqual([]);
  });
});
