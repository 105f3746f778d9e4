import { renderTable } from '../../src/report';
import { finding, sampleReport, TITLES } from './fixtures';

const titleOf = (check: string) => TITLES[check];
const ESC = '\x1b[';

describe('renderTable', () => {
  it('groups findings by check in control order with title and counts', () => {
    // Prepare
    const report = sampleReport();
    // Act
    const text = renderTable(report, { color: false, titleOf });
    // Assess
    const rootHeader = text.indexOf('4.3 Ensure usage of the "root" account is monitored [root_usage]  1 pass, 1 fail, 0 error');
    const iamHeader = text.indexOf('4.4 Ensure IAM policy changes are monitored [iam_policy_changes]  1 pass, 0 fail, 1 error');
    expect(rootHeader).toBeGreaterThan(-1);
    expect(iamHeader).toBeGreaterThan(rootHeader);
  });

  it('gives each failing account one line with the broken link, the reason and the number of its fix', () => {
    // Prepare
    const report = sampleReport();
    // Act
    const lines = renderTable(report, { color: false, titleOf }).split('\n');
    // Assess
    const failAt = lines.findIndex((l) => l.includes('FAIL '));
    expect(lines[failAt]).toBe(
      "  FAIL   222222222222 (workloads)  metric filter: filter 'root-usage' misses events where userIdentity.invokedBy is set (fix 1)",
    );
    expect(lines[failAt + 1]).toBe('         regions not covered: us-east-1, eu-west-1');
    expect(lines[failAt + 2]).toBe('         warning: the KMS key policy of the trail could not be read');
  });

  it('lists an erroring account with why trailwatch could not tell', () => {
    // Act
    const text = renderTable(sampleReport(), { color: false, titleOf });
    // Assess
    expect(text).toContain('  ERROR  222222222222 (workloads)  could not read the alarms of us-east-1: AccessDenied\n');
  });

  it('sums passing accounts up in one line per check', () => {
    // Prepare
    const report = sampleReport();
    const many = Array.from({ length: 8 }, (_, i) =>
      finding({ accountId: String(400000000000 + i), check: 'vpc_changes', control: '4.14', status: 'PASS' }),
    );
    // Act
    const text = renderTable({ ...report, findings: many }, { color: false, passAccountsShown: 3, titleOf: () => undefined });
    // Assess
    expect(text).toContain('4.14 vpc_changes  8 pass, 0 fail, 0 error\n  PASS   8 accounts: 400000000000, 400000000001, 400000000002 and 5 more\n');
    expect(text.match(/PASS {3}/g)).toHaveLength(1);
  });

  it('names the slug alone when no title is known', () => {
    // Act
    const text = renderTable(sampleReport(), { color: false, titleOf: () => undefined });
    // Assess
    expect(text).toContain('4.3 root_usage  1 pass, 1 fail, 0 error');
  });

  it("takes the titles from the catalogue by default", () => {
    // Act
    const text = renderTable(sampleReport(), { color: false });
    // Assess
    expect(text).toContain("4.3 Ensure usage of the 'root' account is monitored [root_usage]  1 pass, 1 fail, 0 error");
  });

  it('lists accounts that could not be scanned, the run notes and a summary line', () => {
    // Act
    const text = renderTable(sampleReport(), { color: false, titleOf });
    // Assess
    expect(text).toContain('Accounts not scanned\n  ERROR    333333333333  AssumeRole failed: AccessDenied\n');
    expect(text).toContain('Notes\n  1 account skipped: suspended\n');
    expect(text.trimEnd().split('\n').at(-1)).toBe('Summary: 2 pass, 1 fail, 1 error (4 findings, 3 accounts)');
  });

  it('writes no ANSI escape codes unless colour is asked for', () => {
    // Act
    const plain = renderTable(sampleReport(), { color: false, titleOf });
    const coloured = renderTable(sampleReport(), { color: true, titleOf });
    // Assess
    expect(plain).not.toContain(ESC);
    expect(coloured).toContain(`${ESC}31mFAIL `);
    expect(coloured).toContain(`${ESC}33mERROR`);
    expect(coloured.replace(new RegExp(`${ESC.replace('[', '\\[')}[0-9;]*m`, 'g'), '')).toBe(plain);
  });

  it('says so when there are no findings', () => {
    // Act
    const text = renderTable({ ...sampleReport(), findings: [], summary: { pass: 0, fail: 0, error: 0 } }, { color: false });
    // Assess
    expect(text).toContain('No findings.');
  });
});
