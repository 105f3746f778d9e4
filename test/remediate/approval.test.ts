/** The pure part of remediation on approval: plan records, their hash, drift and refusals. */
import type { Finding } from '../../src/evaluate/types';
import { canonicalJson, planDifferences, planRecord, refusalOf, validatePlanId, type PlanDecision } from '../../src/remediate/approval';
import type { Change, RemediationPlan } from '../../src/remediate/types';

const filter = (accountId: string, check: string, pattern = '{ $.eventName = "x" }'): Change =>
  ({
    kind: 'putMetricFilter',
    id: `${accountId}/us-east-1/putMetricFilter/trailwatch-${check}`,
    accountId,
    region: 'us-east-1',
    checks: [check],
    forAccounts: [accountId],
    summary: `add metric filter trailwatch-${check}`,
    cli: 'aws logs put-metric-filter ...',
    check,
    logGroupName: 'trail',
    logGroupArn: `arn:aws:logs:us-east-1:${accountId}:log-group:trail`,
    filterName: `trailwatch-${check}`,
    pattern,
    metricName: check,
    metricNamespace: 'trailwatch',
  }) as Change;

const planOf = (changes: Change[], failing: { accountId: string; check: string }[]): RemediationPlan =>
  ({ changes, manual: [], pending: [], skipped: [], failing }) as unknown as RemediationPlan;

const finding = (accountId: string, check: string, brokenLink = 'metricFilter'): Finding =>
  ({ accountId, check, status: 'FAIL', brokenLink, reason: 'r', evidence: {} }) as unknown as Finding;

const NOW = new Date('2025-11-20T06:00:00.000Z');

describe('plan records', () => {
  it('names the plan by time and hash, expires it after the window, and lists every account it concerns', () => {
    // Prepare
    const plan = planOf([filter('111111111111', 'root_usage')], [{ accountId: '222222222222', check: 'root_usage' }]);
    // Act
    const record = planRecord(plan, [finding('222222222222', 'root_usage')], { benchmark: 'cis-aws-v4.0.0' }, { now: NOW, approvalHours: 24 });
    // Assess
    expect(record.planId).toBe(`p-20251120T060000Z-${record.hash.slice(0, 12)}`);
    expect(record.expiresAt).toBe('2025-11-21T06:00:00.000Z');
    expect(record.accounts).toEqual(['111111111111', '222222222222']);
    expect(record.findings).toEqual([{ accountId: '222222222222', check: 'root_usage', status: 'FAIL', brokenLink: 'metricFilter' }]);
  });

  it('hashes the same plan alike whatever the key order, and differently when a change or a finding differs', () => {
    const failing = [{ accountId: '111111111111', check: 'root_usage' }];
    const settings = { benchmark: 'cis-aws-v4.0.0' as const };
    const at = { now: NOW, approvalHours: 24 };
    const base = planRecord(planOf([filter('111111111111', 'root_usage')], failing), [finding('111111111111', 'root_usage')], settings, at);
    const reordered = Object.fromEntries(Object.entries(filter('111111111111', 'root_usage')).reverse()) as Change;
    expect(planRecord(planOf([reordered], failing), [finding('111111111111', 'root_usage')], settings, at).hash).toBe(base.hash);
    expect(planRecord(planOf([filter('111111111111', 'root_usage', '{ $.eventName = "y" }')], failing), [finding('111111111111', 'root_usage')], settings, at).hash).not.toBe(base.hash);
    expect(planRecord(planOf([filter('111111111111', 'root_usage')], failing), [finding('111111111111', 'root_usage', 'alarm')], settings, at).hash).not.toBe(base.hash);
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: undefined }] })).toBe('{"a":[{"d":2}],"b":1}');
  });
});

describe('planDifferences', () => {
  it('is empty for the same plan and names each new, gone and changed change and finding', () => {
    // Prepare
    const approved = { plan: planOf([filter('111111111111', 'root_usage'), filter('111111111111', 'iam_policy_changes')], []), findings: [
      { accountId: '111111111111', check: 'root_usage' as const, status: 'FAIL', brokenLink: 'metricFilter' },
      { accountId: '111111111111', check: 'iam_policy_changes' as const, status: 'FAIL', brokenLink: 'metricFilter' },
    ] };
    const fresh = {
      plan: planOf([filter('111111111111', 'root_usage', '{ $.x = 1 }'), filter('333333333333', 'root_usage')], []),
      findings: [
        { accountId: '111111111111', check: 'root_usage' as const, status: 'FAIL', brokenLink: 'alarm' },
        { accountId: '333333333333', check: 'root_usage' as const, status: 'FAIL', brokenLink: 'metricFilter' },
      ],
    };
    // Act & Assess
    expect(planDifferences(approved, approved)).toEqual([]);
    expect(planDifferences(approved, fresh)).toEqual([
      'new change: add metric filter trailwatch-root_usage',
      'changed: add metric filter trailwatch-root_usage (differs in pattern)',
      'no longer needed: add metric filter trailwatch-iam_policy_changes',
      'finding changed: 111111111111 root_usage FAIL (broken link: metricFilter) -> FAIL (broken link: alarm)',
      'newly failing: 333333333333 root_usage FAIL (broken link: metricFilter)',
      'no longer failing: 111111111111 iam_policy_changes (was FAIL (broken link: metricFilter))',
    ]);
  });
});

describe('refusalOf', () => {
  const record = planRecord(planOf([filter('111111111111', 'root_usage')], []), [], { benchmark: 'cis-aws-v4.0.0' }, { now: NOW, approvalHours: 24 });
  const decision: PlanDecision = { planId: record.planId, decision: 'rejected', by: 'arn:aws:sts::111111111111:assumed-role/ops/alice', at: '2025-11-20T07:00:00.000Z', channel: 'cli' };

  it('lets an undecided plan be approved until it expires, and rejected after', () => {
    expect(refusalOf(record, undefined, 'approve', new Date('2025-11-21T06:00:00.000Z'))).toBeUndefined();
    expect(refusalOf(record, undefined, 'approve', new Date('2025-11-21T06:00:00.001Z'))).toBe(
      `plan ${record.planId} expired at 2025-11-21T06:00:00.000Z (made 2025-11-20T06:00:00.000Z): the organization may have changed since; approve the plan of a newer scan`,
    );
    expect(refusalOf(record, undefined, 'reject', new Date('2025-12-01T00:00:00.000Z'))).toBeUndefined();
  });

  it('refuses any second decision, naming the first', () => {
    expect(refusalOf(record, decision, 'approve', NOW)).toBe(
      `plan ${record.planId} was already rejected by arn:aws:sts::111111111111:assumed-role/ops/alice at 2025-11-20T07:00:00.000Z (cli): a plan is decided once`,
    );
  });

  it('takes only plan ids', () => {
    expect(validatePlanId('p-20251120T060000Z-0123456789ab')).toBe('p-20251120T060000Z-0123456789ab');
    expect(() => validatePlanId('p-20251120T060000Z-0123456789ab/../x')).toThrow(/is not a plan id/);
  });
});
