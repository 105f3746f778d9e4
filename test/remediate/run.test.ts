import { compareFindings, planRemediation, remediateScan, renderFindingChanges, renderRemediationSection, touchedAccounts } from '../../src/remediate';
import type { ScanReport } from '../../src/report/types';
import { motoClients } from '../support/moto';
import { MANAGEMENT, MEMBER, OWN, finding, inventory, trail } from './fixtures';

function report(findings: ScanReport['findings']): ScanReport {
  return {
    benchmark: 'cis-aws-v4.0.0',
    startedAt: '2025-01-01T00:00:00.000Z',
    finishedAt: '2025-01-01T00:00:01.000Z',
    accounts: [],
    findings,
    summary: { pass: 0, fail: findings.length, error: 0 },
  };
}

describe('touchedAccounts', () => {
  it('names the owner account where changes act and the members they repair', () => {
    // Prepare
    const orgTrail = trail(MANAGEMENT, { name: 'org', isOrganizationTrail: true });
    const plan = planRemediation(
      [finding(MEMBER, 'root_usage', 'metricFilter', { evidence: { trail: orgTrail.arn } })],
      [inventory(MEMBER, { trails: [orgTrail] })],
      { subscription: { protocol: 'email', endpoint: 'ops@example.com' } },
    );
    // Act
    const accounts = touchedAccounts(plan);
    // Assess
    expect(accounts).toEqual([MANAGEMENT, MEMBER]);
  });
});

describe('compareFindings', () => {
  it('reports each finding that did not pass before with its status after, and the reason when it still fails', () => {
    // Prepare
    const before = [
      finding(OWN, 'root_usage', 'metricFilter'),
      finding(OWN, 'iam_policy_changes', 'trail'),
      finding(OWN, 'cloudtrail_config_changes', null),
      finding(MEMBER, 'root_usage', 'metricFilter'),
    ];
    const after = [finding(OWN, 'root_usage', null), finding(OWN, 'iam_policy_changes', 'trail', { reason: 'trail main is not logging' })];
    // Act
    const changes = compareFindings(before, after, [OWN]);
    // Assess
    expect(changes).toEqual([
      { accountId: OWN, check: 'root_usage', before: 'FAIL', after: 'PASS' },
      { accountId: OWN, check: 'iam_policy_changes', before: 'FAIL', after: 'FAIL', reason: 'trail main is not logging' },
    ]);
    expect(renderFindingChanges(changes)).toContain('1 of 2 failing findings now pass');
  });
});

describe('remediateScan', () => {
  it('only plans in plan mode: no call is made', async () => {
    // Prepare
    const clients = motoClients();
    const scan = { report: report([finding(OWN, 'root_usage', 'metricFilter')]), inventories: [inventory(OWN)] };
    let rescans = 0;
    // Act
    const result = await remediateScan(scan, {
      mode: 'plan',
      remediation: { subscription: { protocol: 'email', endpoint: 'ops@example.com' } },
      apply: { clients, sessionFor: (accountId) => ({ accountId }) },
      rescan: async () => {
        rescans += 1;
        return scan;
      },
    });
    // Assess
    expect(result.plan.changes.length).toBe(5);
    expect(result.applied).toBeUndefined();
    expect(rescans).toBe(0);
    expect(clients.callCounter.total()).toBe(0);
    clients.destroy();
  });
});

describe('renderRemediationSection', () => {
  const plan = planRemediation([finding(OWN, 'root_usage', 'metricFilter')], [inventory(OWN)], { subscription: { protocol: 'email', endpoint: 'ops@example.com' } });

  it('says a plan changed nothing and lists its changes', () => {
    // Act
    const text = renderRemediationSection({ plan });
    // Assess
    expect(text.split('\n')[0]).toContain('nothing was changed');
    expect(text).toContain('add metric filter trailwatch-root_usage');
  });

  it('says what was done, what failed, and each finding before -> after', () => {
    // Prepare
    const [first, second, ...rest] = plan.changes;
    const applied = {
      outcomes: [
        { change: first!, status: 'APPLIED' as const },
        { change: second!, status: 'FAILED' as const, detail: 'AccessDenied: not authorized' },
        ...rest.map((change) => ({ change, status: 'NOT_ATTEMPTED' as const, detail: 'an earlier change failed' })),
      ],
      applied: 1,
      failed: 1,
      notAttempted: rest.length,
      leftAlone: 0,
      complete: false,
      pending: [],
      manual: [],
    };
    // Act
    const text = renderRemediationSection({ plan, applied, changes: [{ accountId: OWN, check: 'root_usage', before: 'FAIL', after: 'FAIL', reason: 'no filter' }] });
    // Assess
    expect(text).toContain(`Changes: 1 done, 0 already so, 1 failed, ${rest.length} not attempted — run it again`);
    expect(text).toContain('AccessDenied: not authorized');
    expect(text.split('\n')).toContain(`  ${OWN} root_usage  FAIL -> FAIL  (no filter)`);
    expect(text).not.toContain('\\n');
  });
});
