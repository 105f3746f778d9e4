import { compareControlNumbers, groupByCheck } from '../../src/report';
import { finding } from './fixtures';

describe('compareControlNumbers', () => {
  it('orders control numbers by their numeric parts', () => {
    // Act
    const sorted = ['4.10', '5.1', '4.2', '3.14', '4.1'].sort(compareControlNumbers);
    // Assess
    expect(sorted).toEqual(['3.14', '4.1', '4.2', '4.10', '5.1']);
  });
});

describe('groupByCheck', () => {
  it('makes one group per check in control order with its findings by account', () => {
    // Prepare
    const findings = [
      finding({ accountId: '2', check: 'vpc_changes', control: '4.14', status: 'PASS' }),
      finding({ accountId: '2', check: 'root_usage', control: '4.3', status: 'FAIL' }),
      finding({ accountId: '1', check: 'vpc_changes', control: '4.14', status: 'FAIL' }),
    ];
    // Act
    const groups = groupByCheck(findings);
    // Assess
    expect(groups.map((g) => [g.control, g.findings.map((f) => f.accountId)])).toEqual([
      ['4.3', ['2']],
      ['4.14', ['1', '2']],
    ]);
  });
});
