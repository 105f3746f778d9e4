/**
 * Filters judged name by name, on inventory fixtures (moto does not evaluate JSON filter
 * patterns) with the real pattern engine: the nearest filter is named when none is meant for the
 * check, its fix keeps its metric, and missed names are listed whole or counted.
 */
import { controlsFor } from '../../src/controls';
import { eventNamesOf, MISSED_NAMES_LISTED } from '../../src/evaluate/links/event-names';
import { edit, findAlarm, findFilter, findingFor, healthy } from './builders';

const IAM_NAMES = eventNamesOf(controlsFor('cis-aws-v4.0.0', ['iam_policy_changes'])[0]!.referencePattern);
const eventNames = (names: readonly string[]) => `{ ${names.map((name) => `($.eventName = ${name})`).join(' || ')} }`;

/** The healthy account, its IAM filter renamed 'iam-policy' and narrowed to `names`, publishing (and alarmed on) its own metric. */
function iamFilterCatching(names: readonly string[], dimensions?: Record<string, string>) {
  return edit(healthy(), (draft) => {
    const filter = findFilter(draft, 'iam-policy-changes');
    filter.name = 'iam-policy';
    filter.pattern = eventNames(names);
    filter.transformations = [{ metricName: 'RolePolicyChanges', metricNamespace: 'Security', metricValue: '1', ...(dimensions ? { dimensions } : {}) }];
    const alarm = findAlarm(draft, 'iam-policy-changes');
    alarm.metricName = 'RolePolicyChanges';
    alarm.namespace = 'Security';
    alarm.dimensions = Object.entries(dimensions ?? {}).map(([name, value]) => ({ name, value }));
  });
}

describe('The nearest filter', () => {
  it('lists the check\'s sixteen event names from its reference', () => {
    expect(IAM_NAMES).toHaveLength(16);
    expect(IAM_NAMES.slice(0, 3)).toEqual(['DeleteGroupPolicy', 'DeleteRolePolicy', 'DeleteUserPolicy']);
  });

  it('is named when no filter is meant for the check: what it catches, what it misses, and how many more', () => {
    // Prepare: a filter catching 2 of the 16 IAM policy events
    const inventory = iamFilterCatching(['PutRolePolicy', 'AttachRolePolicy']);
    // Act
    const finding = findingFor(inventory, 'iam_policy_changes');
    // Assess
    expect(finding).toMatchObject({ status: 'FAIL', brokenLink: 'metricFilter', evidence: expect.objectContaining({ metricFilter: 'iam-policy' }) });
    expect(finding.reason).toMatch(
      /^no metric filter on the log group catches every event of IAM policy changes; the nearest, filter 'iam-policy' on log group 'cloudtrail-logs' \(us-east-1\), catches 2 of 16 event names; misses DeleteGroupPolicy, DeleteRolePolicy, DeleteUserPolicy, PutGroupPolicy, PutUserPolicy and 9 more: give it the cis-aws-v4\.0\.0 4\.4 pattern with `aws logs put-metric-filter /,
    );
  });

  it('is fixed in place, keeping its metric name and namespace, so the alarm on it keeps working', () => {
    // Act
    const finding = findingFor(iamFilterCatching(['PutRolePolicy', 'AttachRolePolicy']), 'iam_policy_changes');
    // Assess: no second filter, no second metric
    expect(finding.fix).toContain('--filter-name iam-policy ');
    expect(finding.fix).toContain('--metric-transformations metricName=RolePolicyChanges,metricNamespace=Security,metricValue=1 ');
    expect(finding.fix).toContain(`--filter-pattern '${controlsFor('cis-aws-v4.0.0', ['iam_policy_changes'])[0]!.referencePattern}'`);
  });

  it('keeps the filter\'s dimensions in its fix', () => {
    const finding = findingFor(iamFilterCatching(['PutRolePolicy'], { team: 'sec' }), 'iam_policy_changes');
    expect(finding.fix).toContain(`--metric-transformations '[{"metricName":"RolePolicyChanges","metricNamespace":"Security","metricValue":"1","dimensions":{"team":"sec"}}]'`);
  });

  it('is the filter catching the most event names', () => {
    // Prepare: two partial filters; the second catches three names, the first one
    const inventory = edit(iamFilterCatching(['PutRolePolicy']), (draft) => {
      const other = structuredClone(findFilter(draft, 'iam-policy'));
      other.name = 'iam-group-policy';
      other.pattern = eventNames(['PutGroupPolicy', 'DeleteGroupPolicy', 'AttachGroupPolicy']);
      Object.values(draft.logGroups)[0]!.metricFilters!.push(other);
    });
    // Act
    const finding = findingFor(inventory, 'iam_policy_changes');
    // Assess
    expect(finding.reason).toContain("the nearest, filter 'iam-group-policy'");
    expect(finding.reason).toContain('catches 3 of 16 event names');
  });

  it('is never another check\'s filter: rewriting it would break that check', () => {
    // Prepare: no IAM filter at all; the CloudTrail filter's events are no IAM policy event anyway
    const inventory = edit(healthy(), (draft) => {
      const group = Object.values(draft.logGroups)[0]!;
      group.metricFilters = group.metricFilters!.filter((f) => f.name !== 'iam-policy-changes');
    });
    // Act
    const finding = findingFor(inventory, 'iam_policy_changes');
    // Assess
    expect(finding.reason).toMatch(/^no metric filter on log group 'cloudtrail-logs' \(us-east-1\) catches IAM policy changes: create one with /);
  });
});

describe('Missed event names', () => {
  it('are listed whole or counted when a filter meant for the check misses several', () => {
    // Prepare: the filter keeps 9 of the 16 names (meant for the check, it misses 7)
    const kept = IAM_NAMES.slice(0, 9);
    const inventory = edit(healthy(), (draft) => {
      findFilter(draft, 'iam-policy-changes').pattern = eventNames(kept);
    });
    // Act
    const finding = findingFor(inventory, 'iam_policy_changes');
    // Assess
    const missed = IAM_NAMES.slice(9);
    expect(finding.reason).toContain(
      `filter 'iam-policy-changes' on log group 'cloudtrail-logs' (us-east-1) catches 9 of 16 event names; misses ${missed.slice(0, MISSED_NAMES_LISTED).join(', ')} and ${missed.length - MISSED_NAMES_LISTED} more:`,
    );
    expect(finding.fix).toContain('metricName=IAMPolicyChanges,metricNamespace=CISBenchmark');
  });

  it('keep the engine\'s own words when they already name every missed event', () => {
    const inventory = edit(healthy(), (draft) => {
      const filter = findFilter(draft, 'iam-policy-changes');
      filter.pattern = filter.pattern.replace('||($.eventName=DetachGroupPolicy)', '');
    });
    expect(findingFor(inventory, 'iam_policy_changes').reason).toContain("'iam-policy-changes' on log group 'cloudtrail-logs' (us-east-1) misses eventName = DetachGroupPolicy: give it");
  });
});
