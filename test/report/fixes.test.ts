// Fixes grouped by cause: each distinct fix once, with the findings it repairs, most first.
import { renderTable } from '../../src/report';
import { renderEmail } from '../../src/report/email';
import { fixLines, groupFixes, reasonWithoutFix } from '../../src/report/fixes';
import type { ScanReport } from '../../src/report/types';
import type { CheckSlug } from '../../src/controls/types';
import { finding } from './fixtures';

const MULTI_REGION = 'aws cloudtrail update-trail --name trail --is-multi-region-trail --include-global-service-events --region us-east-1';
const SUBSCRIBE = 'aws sns subscribe --topic-arn arn:aws:sns:us-east-1:222222222222:cis-alarms --protocol email --notification-endpoint <address> --region us-east-1';
const NETWORK: [CheckSlug, string][] = [
  ['security_group_changes', '4.10'],
  ['nacl_changes', '4.11'],
  ['network_gateway_changes', '4.12'],
  ['route_table_changes', '4.13'],
];

/** One account with a single-region trail (four checks), another with a topic nobody hears (five checks). */
function report(): ScanReport {
  const singleRegion = NETWORK.map(([check, control]) =>
    finding({
      accountId: '111111111111',
      check,
      control,
      status: 'FAIL',
      brokenLink: 'trail',
      uncoveredRegions: ['eu-west-1'],
      reason: `trail 'trail' (us-east-1) is single-region in us-east-1, so events of eu-west-1 never reach it: make it multi-region with \`${MULTI_REGION}\``,
      fix: MULTI_REGION,
    }),
  );
  const unheard = [...NETWORK, ['vpc_changes', '4.14'] as [CheckSlug, string]].map(([check, control]) =>
    finding({
      accountId: '222222222222',
      check,
      control,
      status: 'FAIL',
      brokenLink: 'subscription',
      reason: `topic 'cis-alarms' (us-east-1) has no subscribers, so nobody hears its alarms: subscribe someone with \`${SUBSCRIBE}\``,
      fix: SUBSCRIBE,
    }),
  );
  const findings = [...singleRegion, ...unheard];
  return {
    benchmark: 'cis-aws-v4.0.0',
    startedAt: '2025-03-01T10:00:00.000Z',
    finishedAt: '2025-03-01T10:00:42.000Z',
    accounts: [
      { accountId: '111111111111', status: 'SCANNED' },
      { accountId: '222222222222', status: 'SCANNED' },
    ],
    findings,
    summary: { pass: 0, fail: findings.length, error: 0 },
  };
}

describe('groupFixes', () => {
  it('gives each distinct fix once with every finding it repairs, the fix repairing most first', () => {
    // Act
    const groups = groupFixes(report().findings);
    // Assess
    expect(groups.map((g) => [g.fix, g.findings.length, g.accounts, g.controls])).toEqual([
      [SUBSCRIBE, 5, ['222222222222'], ['4.10', '4.11', '4.12', '4.13', '4.14']],
      [MULTI_REGION, 4, ['111111111111'], ['4.10', '4.11', '4.12', '4.13']],
    ]);
    expect(groups[1]?.title).toBe("trail 'trail' (us-east-1) is single-region in us-east-1, so events of eu-west-1 never reach it: make it multi-region");
  });

  it('leaves passing findings and findings without a fix out', () => {
    const findings = [finding({ accountId: '1', check: 'root_usage', control: '4.3', status: 'PASS' }), finding({ accountId: '1', check: 'vpc_changes', control: '4.14', status: 'ERROR' })];
    expect(groupFixes(findings)).toEqual([]);
  });

  it('says what a fix repairs and where, then the command', () => {
    const [group] = groupFixes(report().findings);
    expect(fixLines(group!, 1)).toEqual([
      "  1. topic 'cis-alarms' (us-east-1) has no subscribers, so nobody hears its alarms: subscribe someone",
      '     repairs 5 findings (4.10, 4.11, 4.12, 4.13, 4.14) in 222222222222',
      `     ${SUBSCRIBE}`,
    ]);
  });

  it('strips only the trailing command from a reason', () => {
    expect(reasonWithoutFix({ reason: 'x: do y with `cmd`', fix: 'cmd' })).toBe('x: do y');
    expect(reasonWithoutFix({ reason: 'x: do y', fix: 'cmd' })).toBe('x: do y');
  });
});

describe('The table and the email', () => {
  it('print each fix once, before the detail, which refers to it by number', () => {
    // Act
    const table = renderTable(report(), { color: false });
    // Assess
    expect(table.split(MULTI_REGION)).toHaveLength(2);
    expect(table.split(SUBSCRIBE)).toHaveLength(2);
    expect(table.indexOf('Fixes, by findings repaired (2 distinct fixes)')).toBeLessThan(table.indexOf('4.10 '));
    expect(table).toContain("  FAIL   111111111111  trail: trail 'trail' (us-east-1) is single-region in us-east-1, so events of eu-west-1 never reach it: make it multi-region (fix 2)\n");
  });

  it('in the email too, after the counts by check', () => {
    // Act
    const { text } = renderEmail(report(), { level: 'info' });
    // Assess
    expect(text.split(MULTI_REGION)).toHaveLength(2);
    expect(text.split(SUBSCRIBE)).toHaveLength(2);
    const fixes = text.indexOf('FIXES, BY FINDINGS REPAIRED (2 distinct)');
    expect(fixes).toBeGreaterThan(text.indexOf('SUMMARY BY CHECK'));
    expect(fixes).toBeLessThan(text.indexOf('FAILING ACCOUNTS BY CHECK'));
    expect(text).toContain('subscribe someone (fix 1 above)');
  });
});
