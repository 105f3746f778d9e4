import { diffReports } from '../../src/report/diff';
import { renderEmail } from '../../src/report/email';
import { finding, organizationReport, report } from '../notify/fixtures';

const mixed = report([
  finding('111111111111', 'root_usage', 'PASS'),
  finding('111111111111', 'unauthorized_api_calls', 'FAIL'),
  finding('222222222222', 'root_usage', 'FAIL', { reason: "filter 'root-usage' misses events where userIdentity.invokedBy is set", fix: 'replace the filter pattern with the CIS reference pattern' }),
  finding('222222222222', 'unauthorized_api_calls', 'ERROR'),
]);

describe('renderEmail', () => {
  it('gives the summary by check, then the failing accounts grouped by check with the reason and the fix', () => {
    // Act
    const { text } = renderEmail(mixed, { level: 'info' });
    // Assess
    expect(text).toContain('Result: 2 FAIL, 1 ERROR, 1 PASS');
    const summary = text.indexOf('SUMMARY BY CHECK');
    const failing = text.indexOf('FAILING ACCOUNTS BY CHECK');
    expect(summary).toBeGreaterThan(-1);
    expect(failing).toBeGreaterThan(summary);
    expect(text).toMatch(/4\.1\s+unauthorized_api_calls\s+0\s+1\s+1/);
    expect(text).toMatch(/4\.3\s+root_usage\s+1\s+1\s+0/);
    const rootSection = text.slice(text.indexOf('4.3 root_usage: 1 FAIL, 0 ERROR'));
    expect(rootSection).toContain("222222222222  4.3 root_usage\n         filter 'root-usage' misses events where userIdentity.invokedBy is set");
    expect(rootSection).toMatch(/misses events where userIdentity\.invokedBy is set \(fix \d above\)/);
    expect(text).toContain('replace the filter pattern with the CIS reference pattern');
    expect(text).not.toContain('PASSING ACCOUNTS');
  });

  it('lists the checks in control order (4.14 after 4.3)', () => {
    const r = report([finding('111111111111', 'vpc_changes', 'FAIL'), finding('111111111111', 'root_usage', 'FAIL')]);

    const { text } = renderEmail(r, { level: 'info' });

    expect(text.indexOf('4.3 root_usage')).toBeLessThan(text.indexOf('4.14 vpc_changes'));
  });

  it('lists every passing finding at level verbose', () => {
    const { text } = renderEmail(mixed, { level: 'verbose' });

    expect(text).toContain('PASSING ACCOUNTS BY CHECK');
    expect(text).toMatch(/PASS\s+111111111111\s+4\.3 root_usage/);
  });

  it('names the passing findings that carry a warning at level info, with the warning', () => {
    // Prepare
    const stuck = "alarm 'root-usage' (us-east-1) has been in ALARM since 2025-11-17 06:00 UTC, 3 days before this scan";
    const r = report([finding('111111111111', 'root_usage', 'PASS', { warnings: [stuck] }), finding('111111111111', 'vpc_changes', 'PASS'), finding('222222222222', 'root_usage', 'FAIL')]);

    // Act
    const info = renderEmail(r, { level: 'info' }).text;
    const verbose = renderEmail(r, { level: 'verbose' }).text;

    // Assess
    const section = info.slice(info.indexOf('PASSING, WITH WARNINGS'));
    expect(info.indexOf('PASSING, WITH WARNINGS')).toBeGreaterThan(info.indexOf('FAILING ACCOUNTS BY CHECK'));
    expect(section).toMatch(/4\.3 root_usage: 1 account passing\n\s+PASS\s+111111111111\s+4\.3 root_usage\n/);
    expect(section).toContain(`Note: ${stuck}`);
    expect(section).not.toContain('vpc_changes');
    expect(verbose).not.toContain('PASSING, WITH WARNINGS');
    expect(verbose).toContain(`Note: ${stuck}`);
  });

  it('gives only the failures and errors at level error', () => {
    const { text } = renderEmail(mixed, { level: 'error' });

    expect(text).not.toContain('SUMMARY BY CHECK');
    expect(text).not.toMatch(/PASS\s+111111111111/);
    expect(text).toMatch(/ERROR\s+222222222222\s+4\.1 unauthorized_api_calls/);
  });

  it('says so when nothing fails', () => {
    const { text } = renderEmail(report([finding('111111111111', 'root_usage', 'PASS')]), { level: 'error' });

    expect(text).toContain('No failures or errors');
  });

  it('names the accounts it could not scan', () => {
    const r = report([finding('111111111111', 'root_usage', 'ERROR')], {
      accounts: [{ accountId: '111111111111', name: 'payments', status: 'ERROR', error: 'AssumeRole AccessDenied' }],
    });

    const { text } = renderEmail(r, { level: 'info' });

    expect(text).toContain('ACCOUNTS NOT SCANNED\n\n  111111111111 (payments): AssumeRole AccessDenied');
  });

  it('leads with what is new and what was fixed when given a diff', () => {
    // Prepare
    const previous = report([finding('111111111111', 'root_usage', 'FAIL'), finding('222222222222', 'vpc_changes', 'PASS')]);
    const current = report([finding('111111111111', 'root_usage', 'PASS'), finding('222222222222', 'vpc_changes', 'FAIL')]);
    // Act
    const { text } = renderEmail(current, { level: 'info', diff: diffReports(previous, current), previousFinishedAt: '2025-11-19T06:03:00Z' });
    // Assess
    const changes = text.indexOf('WHAT CHANGED SINCE THE PREVIOUS SCAN (2025-11-19T06:03:00Z)');
    expect(changes).toBeGreaterThan(-1);
    expect(changes).toBeLessThan(text.indexOf('SUMMARY BY CHECK'));
    expect(text).toContain('1 new, 1 fixed, 0 changed, 0 still failing');
    expect(text).toMatch(/New \(1\)\n\n\s+FAIL\s+222222222222\s+4\.14 vpc_changes\s+\[was PASS\]/);
    expect(text).toMatch(/Fixed \(1\)\n\n\s+PASS\s+111111111111\s+4\.3 root_usage\s+\[was FAIL\]/);
  });

  it('cuts the text to its budget and says how much was left out and where the full report is', () => {
    // Prepare: 300 failing accounts, far more than 8 KB of text
    const big = organizationReport(300, ['root_usage'], () => 'FAIL');
    const full = renderEmail(big, { level: 'info' });
    // Act
    const cut = renderEmail(big, { level: 'info', maxSize: 8_000, fullReportLocation: 's3://reports/trailwatch/r.json' });
    // Assess
    expect(Buffer.byteLength(full.text)).toBeGreaterThan(8_000);
    expect(Buffer.byteLength(cut.text)).toBeLessThanOrEqual(8_000);
    expect(cut.omittedFindings).toBeGreaterThan(0);
    expect(cut.omittedFindings).toBeLessThan(300);
    const listed = (cut.text.match(/FAIL\s+1111111\d{5}/g) ?? []).length;
    expect(listed + cut.omittedFindings).toBe(300);
    expect(cut.text).toContain(`${cut.omittedFindings} findings (`);
    expect(cut.text).toContain('The full report: s3://reports/trailwatch/r.json');
    expect(cut.text.indexOf('This email was cut')).toBeLessThan(cut.text.indexOf('SUMMARY BY CHECK'));
  });

  it('leaves the text whole when it fits', () => {
    const whole = renderEmail(mixed, { level: 'info', maxSize: 100_000 });

    expect(whole.omittedFindings).toBe(0);
    expect(whole.text).not.toContain('This email was cut');
  });
});
