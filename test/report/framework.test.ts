import { renderTable } from '../../src/report';
import { renderEmail } from '../../src/report/email';
import { groupByRequirement } from '../../src/report/framework';
import { finding, sampleReport } from './fixtures';

const vpcFail = finding({ accountId: '222222222222', check: 'vpc_changes', control: '4.14', status: 'FAIL', brokenLink: 'alarm' });
const naclPass = finding({ accountId: '222222222222', check: 'nacl_changes', control: '4.11', status: 'PASS' });

describe('--framework: findings grouped by a framework\'s requirements', () => {
  it('puts each finding under every requirement its check maps to, and names the checks that map to none', () => {
    const { groups, unmapped } = groupByRequirement([vpcFail, naclPass, ...sampleReport().findings], 'nist-800-53');

    expect(groups.map((g) => g.requirement)).toEqual(['AU-12(3)', 'AU-6(1)', 'AU-6(5)', 'CA-7', 'SI-4(12)', 'SI-5(1)']);
    expect(groups[0]).toMatchObject({ checks: ['vpc_changes', 'nacl_changes'], findings: [vpcFail, naclPass] });
    expect(unmapped).toEqual(expect.arrayContaining(['root_usage', 'iam_policy_changes']));
  });

  it('adds the section to the table and the email', () => {
    const report = { ...sampleReport(), findings: [vpcFail, naclPass] };

    const table = renderTable(report, { color: false, framework: 'nist-800-53' });
    const email = renderEmail(report, { level: 'info', framework: 'nist-800-53' }).text;

    for (const text of [table, email]) {
      expect(text).toContain('BY NIST SP 800-53 REV. 5 REQUIREMENT\n  AU-12(3)  (vpc_changes, nacl_changes): 1 pass, 1 fail, 0 error\n      not met in: 222222222222\n');
    }
    expect(renderTable(report, { color: false, framework: 'mas-trm' })).toContain('no check of this report maps to MAS TRM Guidelines: no published');
  });
});
