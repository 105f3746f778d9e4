// How every format shows an excepted finding: counted apart as EXCEPTED, its status kept, the exception named.
import { exceptReport } from '../../src/exceptions';
import { subjectFor, worstStatus } from '../../src/notify/message';
import { renderCsv, renderJson, renderTable } from '../../src/report';
import { renderEmail } from '../../src/report/email';
import type { ScanReport } from '../../src/report/types';
import { ROOT_USAGE_FAIL, sampleReport } from './fixtures';

const NOW = new Date('2026-12-04T12:00:00Z');

function excepted(): ScanReport {
  const sample = sampleReport();
  return exceptReport(
    { ...sample, accounts: sample.accounts.filter((a) => a.status === 'SCANNED') },
    {
      source: 'exceptions.yml',
      rules: [
        { entry: 1, id: 'break-glass', accounts: [ROOT_USAGE_FAIL.accountId], ous: [], checks: ['root_usage'], reason: 'break-glass drill', approvedBy: 'ciso@example.com', expires: '2027-01-31', kind: 'siem' },
        { entry: 2, accounts: ['999999999999'], ous: [], checks: 'all', reason: 'gone', approvedBy: 'me', expires: '2026-01-01' },
      ],
    },
    { now: NOW },
  );
}

describe('excepted findings in the reports', () => {
  const report = excepted();

  it('table: an EXCEPTED line with the exception, counts apart, the exceptions section and the summary', () => {
    const text = renderTable(report, { color: false });

    expect(text).toContain(`  EXCEPTED  ${ROOT_USAGE_FAIL.accountId} (workloads)  FAIL (metric filter), accepted until 2027-01-31 by ciso@example.com (monitored by a SIEM): break-glass drill`);
    expect(text).not.toMatch(/^ {2}FAIL +222222222222 \(workloads\) +metric filter/m);
    expect(text).toMatch(/root_usage\] {2}\d+ pass, 0 fail, 0 error, 1 excepted/);
    expect(text).toContain(`  1 finding excepted (exceptions.yml)\n  entry 2 expired on 2026-01-01\n`);
    expect(text).toMatch(/Summary: \d+ pass, \d+ fail, \d+ error, 1 excepted/);
  });

  it('email and subject: EXCEPTED counted apart; the finding listed under accepted risk, not among the failures', () => {
    const { text } = renderEmail(report, { level: 'info' });

    expect(text).toMatch(/Result: \d+ FAIL, \d+ ERROR, \d+ PASS, 1 EXCEPTED/);
    expect(text).toContain('EXCEPTED (ACCEPTED RISK)');
    expect(text).toContain(`  EXCEPTED  ${ROOT_USAGE_FAIL.accountId} (workloads)  4.3 root_usage  (FAIL, broken link: metricFilter)`);
    expect(text).not.toMatch(/^ {2}FAIL +222222222222 \(workloads\) +4\.3 root_usage/m);
    expect(text).toMatch(/Control +Check +PASS +FAIL +ERROR +EXCEPTED$/m);
    expect(text).toMatch(/^ {2}4\.3 +root_usage +\d+ +\d+ +\d+ +1$/m);
    expect(subjectFor(report)).toMatch(/^trailwatch: \d+ FAIL, \d+ ERROR, 1 EXCEPTED in \d+ accounts/);
  });

  it('a report whose only failures are excepted is worst PASS: NOTIFY=on-fail stays quiet', () => {
    const only = exceptReport({ ...report, findings: report.findings.filter((f) => f.status === 'PASS' || f.check === 'root_usage') }, {
      rules: [{ entry: 1, accounts: [ROOT_USAGE_FAIL.accountId], ous: [], checks: ['root_usage'], reason: 'r', approvedBy: 'a', expires: '2027-01-31' }],
    }, { now: NOW });

    expect(worstStatus(only)).toBe('PASS');
  });

  it('JSON: the finding carries exception, the summary excepted, the report its exceptions section', () => {
    const json = JSON.parse(renderJson(report));
    const finding = json.findings.find((f: { check: string; accountId: string }) => f.check === 'root_usage' && f.accountId === ROOT_USAGE_FAIL.accountId);

    expect(finding.status).toBe('FAIL');
    expect(finding.exception).toEqual({ reason: 'break-glass drill', approvedBy: 'ciso@example.com', expires: '2027-01-31', kind: 'siem' });
    expect(json.summary.excepted).toBe(1);
    expect(json.exceptions).toEqual({ source: 'exceptions.yml', applied: 1, expired: [{ entry: 2, expires: '2026-01-01', findings: 0 }], stale: [] });
    expect(Object.keys(JSON.parse(renderJson(sampleReport())).summary)).toEqual(['pass', 'fail', 'error']);
  });

  it('CSV: the status stays, the exception fills its four columns', () => {
    const rows = renderCsv(report).trim().split('\n');
    const header = rows[0]?.split(',') ?? [];
    const row = rows.find((r) => r.includes('break-glass drill')) as string;

    expect(header.slice(-4)).toEqual(['exceptionReason', 'exceptionApprovedBy', 'exceptionExpires', 'exceptionKind']);
    expect(row).toContain(',FAIL,');
    expect(row.endsWith(',break-glass drill,ciso@example.com,2027-01-31,siem')).toBe(true);
  });
});
