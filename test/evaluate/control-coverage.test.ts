/**
 * The one "does this filter catch the control's events" decision (pattern check and the evaluator),
 * with the real pattern engine: CloudTrail-aware scope, the strict decision, routine-event noise,
 * and the reference tokens read by the parser.
 */
import { BENCHMARK_IDS, CHECK_SLUGS, controlsFor, inScope, ROUTINE_EVENTS, SHARED_EVENT_NAMES, type BenchmarkControl, type BenchmarkId, type CheckSlug } from '../../src/controls';
import { coverageOfControl, eventNamesOf, referenceEventNames, referenceTokens } from '../../src/evaluate/control-coverage';
import { matchesEvent, parsePattern } from '../../src/pattern';
import { edit, findFilter, findingFor, healthy } from './builders';

function control(check: CheckSlug, benchmark: BenchmarkId = 'cis-aws-v4.0.0'): BenchmarkControl {
  const [found] = controlsFor(benchmark, [check]);
  if (!found) throw new Error(`no ${check} in ${benchmark}`);
  return found;
}

const IAM_NAMES = [
  'DeleteGroupPolicy', 'DeleteRolePolicy', 'DeleteUserPolicy', 'PutGroupPolicy', 'PutRolePolicy', 'PutUserPolicy',
  'CreatePolicy', 'DeletePolicy', 'CreatePolicyVersion', 'DeletePolicyVersion', 'AttachRolePolicy', 'DetachRolePolicy',
  'AttachUserPolicy', 'DetachUserPolicy', 'AttachGroupPolicy', 'DetachGroupPolicy',
];
const IAM_NAMES_TEXT = IAM_NAMES.map((name) => `($.eventName = ${name})`).join(' || ');
const IAM_SOURCE_GUARDED = `{ ($.eventSource = iam.amazonaws.com) && (${IAM_NAMES_TEXT}) }`;
/** CIS v3.0.0 4.13's audit pattern, as printed (reference data: audit_pattern_as_printed). */
const ROUTE_TABLE_AUDIT_V3 =
  '{($.eventSource = ec2.amazonaws.com) && ($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable) }';

function decide(check: CheckSlug, pattern: string, strict = false, benchmark: BenchmarkId = 'cis-aws-v4.0.0') {
  return coverageOfControl(parsePattern(pattern), control(check, benchmark), { strict });
}

describe('Function: coverageOfControl', () => {
  describe('CloudTrail-aware scope', () => {
    it('covers iam_policy_changes with the eventSource guard, saying CloudTrail knowledge decided it', () => {
      // Act
      const aware = decide('iam_policy_changes', IAM_SOURCE_GUARDED);
      const strict = decide('iam_policy_changes', IAM_SOURCE_GUARDED, true);

      // Assess
      expect(aware).toMatchObject({ verdict: 'covered', cloudtrailAware: true });
      expect(aware.scope).toMatch(/^only iam\.amazonaws\.com AwsApiCall events are in scope of 4\.4 \(IAM policy changes\); CreatePolicy, DeletePolicy, CreatePolicyVersion and DeletePolicyVersion are also emitted by organizations\.amazonaws\.com, iot\.amazonaws\.com/);
      expect(strict).toMatchObject({ verdict: 'not-covered', cloudtrailAware: false });
    });

    it('covers route_table_changes with the CIS v3.0.0 4.13 audit pattern, naming the other services of CreateRoute and DeleteRoute', () => {
      // Act
      const result = decide('route_table_changes', ROUTE_TABLE_AUDIT_V3, false, 'cis-aws-v3.0.0');

      // Assess
      expect(result).toMatchObject({ verdict: 'covered', cloudtrailAware: true });
      expect(result.scope).toBe(
        'only ec2.amazonaws.com AwsApiCall events are in scope of 4.13 (route table changes); CreateRoute and DeleteRoute are also emitted by appmesh.amazonaws.com, refactor-spaces.amazonaws.com and apigateway.amazonaws.com, not its subject',
      );
      expect(decide('route_table_changes', ROUTE_TABLE_AUDIT_V3, true, 'cis-aws-v3.0.0').verdict).toBe('not-covered');
    });

    it('fails iam_policy_changes on a wrong eventSource, with real IAM events as counter-examples', () => {
      // Act
      const result = decide('iam_policy_changes', '{ $.eventSource = s3.amazonaws.com }');

      // Assess
      expect(result.verdict).toBe('not-covered');
      if (result.verdict !== 'not-covered') return;
      expect(result.counterexamples.length).toBeGreaterThan(0);
      for (const event of result.counterexamples) {
        expect(event).toMatchObject({ eventSource: 'iam.amazonaws.com', eventType: 'AwsApiCall' });
        expect(IAM_NAMES).toContain(event.eventName);
        expect(matchesEvent(control('iam_policy_changes').referencePattern, event)).toBe(true);
        expect(matchesEvent('{ $.eventSource = s3.amazonaws.com }', event)).toBe(false);
      }
      expect(result.cloudtrailAware).toBe(false);
    });

    it('fails route_table_changes when the filter takes App Mesh routes for EC2 route tables', () => {
      // Prepare
      const names = ['CreateRoute', 'CreateRouteTable', 'ReplaceRoute', 'ReplaceRouteTableAssociation', 'DeleteRouteTable', 'DeleteRoute', 'DisassociateRouteTable'];
      const pattern = `{ ($.eventSource = appmesh.amazonaws.com) && (${names.map((name) => `$.eventName = ${name}`).join(' || ')}) }`;

      // Act
      const result = decide('route_table_changes', pattern);

      // Assess
      expect(result.verdict).toBe('not-covered');
      if (result.verdict === 'not-covered') expect(result.counterexamples.every((event) => event.eventSource === 'ec2.amazonaws.com')).toBe(true);
    });

    it('counts the reference itself as covered without CloudTrail knowledge', () => {
      expect(decide('route_table_changes', control('route_table_changes').referencePattern)).toEqual({ verdict: 'covered', cloudtrailAware: false });
    });

    it('covers console sign-in without MFA when the filter adds the sign-in event type', () => {
      // Act
      const result = decide('console_signin_without_mfa', '{ $.eventType = AwsConsoleSignIn && $.eventName = ConsoleLogin && $.additionalEventData.MFAUsed != Yes }');

      // Assess
      expect(result).toMatchObject({ verdict: 'covered', cloudtrailAware: true });
      expect(result.scope).toBe('only signin.amazonaws.com AwsConsoleSignIn events by a known userIdentity.type are in scope of 4.2 (console sign-ins without MFA)');
    });

    it('covers root usage when the filter lists every event type CloudTrail writes but AwsServiceEvent, and fails it with one left out', () => {
      // Prepare
      const types = ['AwsApiCall', 'AwsConsoleAction', 'AwsConsoleSignIn', 'AwsCloudTrailInsight', 'AwsVpceEvent'];
      const pattern = (listed: string[]) => `{ $.userIdentity.type = Root && $.userIdentity.invokedBy NOT EXISTS && (${listed.map((type) => `$.eventType = ${type}`).join(' || ')}) }`;

      // Act
      const all = decide('root_usage', pattern(types));
      const withoutSignIn = decide('root_usage', pattern(types.filter((type) => type !== 'AwsConsoleSignIn')));

      // Assess
      expect(all).toMatchObject({ verdict: 'covered', cloudtrailAware: true });
      expect(withoutSignIn.verdict).toBe('not-covered');
      if (withoutSignIn.verdict === 'not-covered') expect(withoutSignIn.counterexamples.map((event) => event.eventType)).toContain('AwsConsoleSignIn');
    });

    it('decides on the text alone for unauthorized API calls, which any service emits', () => {
      expect(decide('unauthorized_api_calls', '{ $.eventSource = ec2.amazonaws.com && ($.errorCode = "*UnauthorizedOperation" || $.errorCode = "AccessDenied*") }').verdict).toBe('not-covered');
    });

    it.each(BENCHMARK_IDS.flatMap((benchmark) => controlsFor(benchmark).map((found) => [benchmark, found.check] as const)))(
      '%s %s: each accepted reference narrowed to its subject parses, and every counter-example against another check is in scope',
      (benchmark, check) => {
        // Prepare
        const own = control(check, benchmark);
        const other = control(CHECK_SLUGS[(CHECK_SLUGS.indexOf(check) + 3) % CHECK_SLUGS.length] as CheckSlug, 'cis-aws-v4.0.0');

        // Act
        for (const reference of own.acceptedPatterns) expect(parsePattern(inScope(reference, own)).kind).toBe('json');
        const result = coverageOfControl(parsePattern(other.referencePattern), own);

        // Assess
        if (result.verdict !== 'not-covered') return;
        const sources = own.definition.eventSources;
        for (const event of result.counterexamples) {
          if (sources !== 'any') expect(sources).toContain(event.eventSource);
          expect(own.acceptedPatterns.some((reference) => matchesEvent(inScope(reference, own), event))).toBe(true);
        }
      },
    );
  });

  describe('noise', () => {
    it.each([
      ['iam_policy_changes', '', 'ec2.amazonaws.com DescribeInstances by an IAM user'],
      ['iam_policy_changes', '{ $.eventName = * }', 'ec2.amazonaws.com DescribeInstances by an IAM user'],
      ['root_usage', '{ $.userIdentity.type = * }', 'ec2.amazonaws.com DescribeInstances by an IAM user'],
      ['console_signin_without_mfa', '{ $.eventName = ConsoleLogin }', 'signin.amazonaws.com ConsoleLogin with MFA by an IAM user'],
      ['vpc_changes', '{ $.eventSource = ec2.amazonaws.com }', 'ec2.amazonaws.com DescribeInstances by an IAM user'],
    ] as const)('%s with %j passes, naming the routine event %s', (check, pattern, label) => {
      // Act
      const result = decide(check, pattern);

      // Assess
      expect(result.verdict).toBe('covered');
      expect(result.noise?.label).toBe(label);
      expect(matchesEvent(pattern, result.noise?.event)).toBe(true);
    });

    it.each(BENCHMARK_IDS.flatMap((benchmark) => controlsFor(benchmark).map((found) => [benchmark, found.check] as const)))(
      '%s %s: the accepted references match no routine event, so they never earn the warning',
      (benchmark, check) => {
        const own = control(check, benchmark);
        for (const reference of own.acceptedPatterns) {
          expect(decide(check, reference, false, benchmark).noise).toBeUndefined();
          expect(ROUTINE_EVENTS.filter((routine) => matchesEvent(reference, routine.event))).toEqual([]);
        }
      },
    );

    it('does not look for noise in a filter that fails', () => {
      expect(decide('iam_policy_changes', '{ $.eventName = Describe* }')).not.toHaveProperty('noise');
    });
  });
});

describe('Function: referenceTokens and eventNamesOf', () => {
  it('reads the literal values of a reference from its parse, quoted or not, spaced or not', () => {
    // Prepare
    const reference = '{($.eventName=DeleteGroupPolicy)||($.eventName = "PutRolePolicy") || ($.errorCode = "AccessDenied*") && ($.eventName!="HeadBucket") && ($.x NOT EXISTS)}';

    // Act / Assess
    expect(referenceTokens(reference)).toEqual(['DeleteGroupPolicy', 'PutRolePolicy', 'AccessDenied', 'HeadBucket']);
    expect(eventNamesOf(reference)).toEqual(['DeleteGroupPolicy', 'PutRolePolicy']);
  });

  it('lists every event name of the IAM reference in order, and the shared ones are all in the catalogue table', () => {
    // Act
    const names = referenceEventNames(control('iam_policy_changes'));

    // Assess
    expect(names).toEqual(IAM_NAMES);
    expect(names.filter((name) => SHARED_EVENT_NAMES[name] !== undefined)).toEqual(['CreatePolicy', 'DeletePolicy', 'CreatePolicyVersion', 'DeletePolicyVersion']);
  });
});

describe('Evaluator: the metric-filter link on the same decision', () => {
  function withPattern(filterName: string, pattern: string) {
    return edit(healthy(), (draft) => {
      findFilter(draft, filterName).pattern = pattern;
    });
  }

  it('passes a source-guarded filter, and the finding says CloudTrail knowledge decided it', () => {
    // Act
    const finding = findingFor(withPattern('iam-policy-changes', IAM_SOURCE_GUARDED), 'iam_policy_changes');

    // Assess
    expect(finding.status).toBe('PASS');
    expect(finding.reason).toContain("filter 'iam-policy-changes' on log group 'cloudtrail-logs' (us-east-1) (CloudTrail-aware: only iam.amazonaws.com AwsApiCall events are in scope of 4.4");
    expect(finding.warnings).toBeUndefined();
  });

  it('fails the same filter with strictPatterns, the reference taken at its word', () => {
    // Act
    const finding = findingFor(withPattern('iam-policy-changes', IAM_SOURCE_GUARDED), 'iam_policy_changes', { strictPatterns: true });

    // Assess
    expect(finding.status).toBe('FAIL');
    expect(finding.brokenLink).toBe('metricFilter');
    expect(finding.reason).toContain('eventSource');
  });

  it('names the missed event names of a source-guarded filter in scope, not every name', () => {
    // Prepare
    const pattern = `{ ($.eventSource = iam.amazonaws.com) && (${IAM_NAMES.filter((name) => name !== 'DetachGroupPolicy').map((name) => `($.eventName = ${name})`).join(' || ')}) }`;

    // Act
    const finding = findingFor(withPattern('iam-policy-changes', pattern), 'iam_policy_changes');

    // Assess
    expect(finding.status).toBe('FAIL');
    expect(finding.reason).toMatch(/^filter 'iam-policy-changes' on log group 'cloudtrail-logs' \(us-east-1\) misses eventName = DetachGroupPolicy: give it /);
  });

  it('passes a filter that matches every event, with a warning naming a routine event it matches', () => {
    // Act
    const finding = findingFor(withPattern('iam-policy-changes', '{ $.eventName = * }'), 'iam_policy_changes');

    // Assess
    expect(finding.status).toBe('PASS');
    expect(finding.warnings).toEqual([
      "filter 'iam-policy-changes' on log group 'cloudtrail-logs' (us-east-1) also matches routine activity such as ec2.amazonaws.com DescribeInstances by an IAM user, so an alarm on its metric stays in ALARM in any busy account and does not notify of IAM policy changes (an alarm notifies only when its state changes): narrow it to the cis-aws-v4.0.0 4.4 pattern",
    ]);
  });
});
