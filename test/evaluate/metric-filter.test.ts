/**
 * Metric filter rules, on inventory fixtures (moto does not evaluate JSON filter patterns), with
 * the real pattern engine; two tests force an "undetermined" answer to pin the evaluator's handling.
 */
import { HOSTILE_CONDITIONS } from '../../scripts/bench/hostile-patterns';
import { controlsFor } from '../../src/controls';
import { REFORMATTED_PATTERNS_V4 } from '../../src/demo';
import { CHECK_SLUGS, type CheckSlug } from '../../src/controls/types';
import { edit, findFilter, findingFor, healthy } from './builders';
import { coverageOverride } from './support/engine-override';

jest.mock('../../src/pattern', () => jest.requireActual('./support/engine-override'));

afterEach(() => {
  delete coverageOverride.covers;
});

function reference(check: CheckSlug, benchmark: 'cis-aws-v4.0.0' | 'cis-aws-v1.3.0' = 'cis-aws-v4.0.0') {
  const [control] = controlsFor(benchmark, [check]);
  if (!control) throw new Error(`no ${check}`);
  return control;
}

function withPattern(filterName: string, pattern: string) {
  return edit(healthy(), (draft) => {
    findFilter(draft, filterName).pattern = pattern;
  });
}

describe('Rule: metric filter', () => {
  describe('coverage', () => {
    it('passes when the filter covers the reference', () => {
      // Act
      const finding = findingFor(healthy(), 'iam_policy_changes');

      // Assess
      expect(finding.status).toBe('PASS');
      expect(finding.evidence.metricFilter).toBe('iam-policy-changes');
    });

    it('fails when the filter misses events, naming it and giving the reference pattern', () => {
      // Prepare
      const inventory = edit(healthy(), (draft) => {
        const filter = findFilter(draft, 'iam-policy-changes');
        filter.pattern = filter.pattern.replace('||($.eventName=DetachGroupPolicy)', '');
      });

      // Act
      const finding = findingFor(inventory, 'iam_policy_changes');

      // Assess
      expect(finding.status).toBe('FAIL');
      expect(finding.brokenLink).toBe('metricFilter');
      expect(finding.reason).toMatch(/^filter 'iam-policy-changes' on log group 'cloudtrail-logs' \(us-east-1\) misses eventName = DetachGroupPolicy: give it the cis-aws-v4\.0\.0 4\.4 pattern with `aws logs put-metric-filter /);
      expect(finding.fix).toBe(
        `aws logs put-metric-filter --log-group-name cloudtrail-logs --filter-name iam-policy-changes --filter-pattern '${reference('iam_policy_changes').referencePattern}' --metric-transformations metricName=IAMPolicyChanges,metricNamespace=CISBenchmark,metricValue=1 --region us-east-1`,
      );
      expect(finding.evidence.metricFilter).toBe('iam-policy-changes');
    });

    it('is ERROR, never PASS, when coverage is undetermined and no other chain passes', () => {
      // Prepare
      coverageOverride.covers = () => ({ verdict: 'undetermined', reason: 'two regular expressions on $.eventName cannot be compared exactly' });

      // Act
      const finding = findingFor(healthy(), 'root_usage');

      // Assess
      expect(finding.status).toBe('ERROR');
      expect(finding.brokenLink).toBe('metricFilter');
      expect(finding.reason).toBe(
        "cannot verify: trailwatch cannot verify that filter 'root-usage' on log group 'cloudtrail-logs' (us-east-1) catches every event of usage of the root user: two regular expressions on $.eventName cannot be compared exactly",
      );
    });

    it('passes when a filter it cannot decide sits next to a covering one', () => {
      // Prepare
      const inventory = edit(healthy(), (draft) => {
        const filter = findFilter(draft, 'root-usage');
        // Too complex to decide within the work budget (see scripts/bench/hostile-patterns).
        const pattern = `{ ${filter.pattern.slice(1, -1)} && ${HOSTILE_CONDITIONS[0]?.condition} }`;
        draft.logGroups[Object.keys(draft.logGroups)[0]!]!.metricFilters!.unshift({ ...structuredClone(filter), name: 'root-usage-regex', pattern });
      });

      // Act
      const finding = findingFor(inventory, 'root_usage');

      // Assess
      expect(finding.status).toBe('PASS');
      expect(finding.evidence.metricFilter).toBe('root-usage');
    });

    it('reports a pattern it cannot parse in the reason instead of throwing', () => {
      // Prepare
      const inventory = edit(healthy(), (draft) => {
        findFilter(draft, 'root-usage').pattern = `{ $.userIdentity.type = "Root" && ${'($.eventName = "X") || '.repeat(60)}($.eventName = "Y") }`;
      });

      // Act
      const finding = findingFor(inventory, 'root_usage');

      // Assess
      expect(finding.status).toBe('ERROR');
      expect(finding.reason).toMatch(/^cannot verify: trailwatch cannot read the pattern of filter 'root-usage' on log group 'cloudtrail-logs' \(us-east-1\) \(.+ at \d+\), so it cannot verify what it catches$/);
    });

    it('names no unrelated filter when none on the log group is meant for the check', () => {
      // Prepare
      const inventory = edit(healthy(), (draft) => {
        const group = draft.logGroups[Object.keys(draft.logGroups)[0]!]!;
        group.metricFilters = group.metricFilters!.filter((filter) => filter.name !== 'root-usage');
      });

      // Act
      const finding = findingFor(inventory, 'root_usage');

      // Assess
      expect(finding.status).toBe('FAIL');
      expect(finding.brokenLink).toBe('metricFilter');
      expect(finding.reason).toMatch(/^no metric filter on log group 'cloudtrail-logs' \(us-east-1\) catches usage of the root user: create one with `aws logs put-metric-filter --log-group-name cloudtrail-logs --filter-name root-usage /);
      expect(finding.evidence.metricFilter).toBeUndefined();
    });

    it('never offers to rewrite the filter of another check as the closest one', () => {
      // Prepare: the no-MFA filter mentions ConsoleLogin too, but it is the no-MFA check's filter.
      const inventory = edit(healthy(), (draft) => {
        const group = draft.logGroups[Object.keys(draft.logGroups)[0]!]!;
        group.metricFilters = group.metricFilters!.filter((filter) => filter.name !== 'console-auth-failures');
      });

      // Act
      const finding = findingFor(inventory, 'console_auth_failures');

      // Assess
      expect(finding.status).toBe('FAIL');
      expect(finding.reason).toMatch(/^no metric filter on log group 'cloudtrail-logs' \(us-east-1\) catches console authentication failures: create one with `aws logs put-metric-filter --log-group-name cloudtrail-logs --filter-name console-auth-failures /);
      expect(finding.fix).not.toContain('--filter-name console-signin-without-mfa');
    });

    it('names the filter meant for the check when it misses events', () => {
      // Prepare: publishes the check's default metric, but "Root" lost its capital.
      const inventory = withPattern('root-usage', reference('root_usage').referencePattern.replace('"Root"', '"root"'));

      // Act
      const finding = findingFor(inventory, 'root_usage');

      // Assess
      expect(finding.status).toBe('FAIL');
      expect(finding.reason).toMatch(/^filter 'root-usage' on log group 'cloudtrail-logs' \(us-east-1\) misses userIdentity\.type = Root \(it has \$\.userIdentity\.type = "root", and values are case-sensitive\): /);
      expect(finding.evidence.metricFilter).toBe('root-usage');
    });

    it.each(CHECK_SLUGS)('passes a reformatted but equivalent %s pattern (no spaces, reordered, requoted)', (check) => {
      // Prepare
      const inventory = withPattern(check.replace(/_/g, '-'), REFORMATTED_PATTERNS_V4[check]);

      // Act
      const finding = findingFor(inventory, check);

      // Assess
      expect(REFORMATTED_PATTERNS_V4[check]).not.toBe(reference(check).referencePattern);
      expect(finding.status).toBe('PASS');
    });

    it('passes a broader pattern with extra alternatives', () => {
      // Prepare
      const inventory = withPattern('cloudtrail-config-changes', '{ ($.eventSource = cloudtrail.amazonaws.com) || ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }');

      // Act & Assess
      expect(findingFor(inventory, 'cloudtrail_config_changes').status).toBe('PASS');
    });

    it.each([
      ['a narrowing condition', 'root_usage', 'root-usage', (p: string) => p.replace(' }', ' && $.eventName = "ConsoleLogin" }'), /adds the condition \$\.eventName = "ConsoleLogin"/],
      ['a removed wildcard', 'unauthorized_api_calls', 'unauthorized-api-calls', (p: string) => p.replace('AccessDenied*', 'AccessDenied'), /misses errorCode = AccessDenied\*/],
      ['a changed letter case', 'cmk_disable_or_scheduled_deletion', 'cmk-disable-or-scheduled-deletion', (p: string) => p.replace('DisableKey', 'disableKey'), /misses eventName = DisableKey/],
    ] as const)('fails a pattern broken by %s, saying what it misses', (_what, check, filterName, breakIt, explanation) => {
      // Prepare
      const inventory = withPattern(filterName, breakIt(reference(check).referencePattern));

      // Act
      const finding = findingFor(inventory, check);

      // Assess
      expect(finding.status).toBe('FAIL');
      expect(finding.brokenLink).toBe('metricFilter');
      expect(finding.reason).toMatch(explanation);
    });

    it('accepts the SSO variant of console sign-in without MFA where the benchmark offers it', () => {
      // Prepare
      const v4 = reference('console_signin_without_mfa');
      const inventory = edit(healthy(), (draft) => {
        findFilter(draft, 'console-signin-without-mfa').pattern = v4.acceptedPatterns[1]!;
      });

      // Act
      const inV4 = findingFor(inventory, 'console_signin_without_mfa');
      const inV13 = findingFor(inventory, 'console_signin_without_mfa', { benchmark: 'cis-aws-v1.3.0' });

      // Assess
      expect(inV4.status).toBe('PASS');
      expect(inV13.status).toBe('FAIL');
      expect(inV13.brokenLink).toBe('metricFilter');
    });

    it('checks v1.3.0 unauthorized calls against the corrected reference', () => {
      // Prepare
      const corrected = reference('unauthorized_api_calls');

      // Act
      const finding = findingFor(healthy(), 'unauthorized_api_calls', { benchmark: 'cis-aws-v1.3.0' });

      // Assess
      expect(finding.status).toBe('PASS');
      expect(finding.control).toBe('4.1');
      expect(findFilter(healthy(), 'unauthorized-api-calls').pattern).toBe(corrected.referencePattern);
    });
  });

  describe('metric value', () => {
    it('fails when the filter adds 0 for each event (regression)', () => {
      // Prepare
      const inventory = edit(healthy(), (draft) => {
        findFilter(draft, 'root-usage').transformations[0]!.metricValue = '0';
      });

      // Act
      const finding = findingFor(inventory, 'root_usage');

      // Assess
      expect(finding.status).toBe('FAIL');
      expect(finding.brokenLink).toBe('metricFilter');
      expect(finding.reason).toMatch(/^filter 'root-usage' on log group 'cloudtrail-logs' \(us-east-1\) adds 0 to metric RootUsage for each event, so its alarm never sees one: set metricValue to 1 with `aws logs put-metric-filter .*metricValue=1 --region us-east-1`$/);
    });

    it('passes with a positive value other than 1', () => {
      // Prepare
      const inventory = edit(healthy(), (draft) => {
        findFilter(draft, 'root-usage').transformations[0]!.metricValue = '2.5';
      });

      // Act & Assess
      expect(findingFor(inventory, 'root_usage').status).toBe('PASS');
    });

    it('is ERROR when the value comes from the event ($.field)', () => {
      // Prepare
      const inventory = edit(healthy(), (draft) => {
        findFilter(draft, 'root-usage').transformations[0]!.metricValue = '$.requestParameters.count';
      });

      // Act
      const finding = findingFor(inventory, 'root_usage');

      // Assess
      expect(finding.status).toBe('ERROR');
      expect(finding.reason).toMatch(/adds the event's \$\.requestParameters\.count to metric RootUsage for each event, so trailwatch cannot verify that a single matching event reaches the alarm/);
    });

    it('fails when the filter publishes no metric', () => {
      // Prepare
      const inventory = edit(healthy(), (draft) => {
        findFilter(draft, 'root-usage').transformations = [];
      });

      // Act
      const finding = findingFor(inventory, 'root_usage');

      // Assess
      expect(finding.status).toBe('FAIL');
      expect(finding.reason).toMatch(/^filter 'root-usage' on log group 'cloudtrail-logs' \(us-east-1\) publishes no metric/);
    });
  });
});
