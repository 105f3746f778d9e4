import { spawnSync } from 'node:child_process';
import { controlsFor } from '../../src/controls';
import { UsageError } from '../../src/errors';
import { planRemediation, type Change, type RemediationOptions } from '../../src/remediate';
import { renderPlan } from '../../src/remediate/render';
import { withCloudWatchPublish } from '../../src/remediate/policy';
import {
  MANAGEMENT,
  MEMBER,
  OWN,
  STANDALONE,
  alarm,
  finding,
  inventory,
  logGroupArn,
  references,
  topic,
  trail,
  userFilter,
} from './fixtures';

const EMAIL = { protocol: 'email', endpoint: 'ops@example.com' } as const;
const options: RemediationOptions = { references, subscription: EMAIL };

function kinds(changes: readonly Change[]): string[] {
  return changes.map((c) => `${c.kind}${'check' in c ? `:${c.check}` : ''}`);
}

function ourTopic(accountId: string, region = 'us-east-1'): string {
  return `arn:aws:sns:${region}:${accountId}:trailwatch-alerts`;
}

describe('planRemediation', () => {
  it('builds the whole chain on the log group the trail writes to, topic first', () => {
    // Prepare
    const inv = inventory(OWN);
    // Act
    const plan = planRemediation([finding(OWN, 'root_usage', 'metricFilter')], [inv], options);
    // Assess
    expect(kinds(plan.changes)).toEqual(['createTopic', 'allowCloudWatchPublish', 'subscribe', 'putMetricFilter:root_usage', 'putMetricAlarm:root_usage']);
    const filter = plan.changes.find((c) => c.kind === 'putMetricFilter');
    expect(filter).toMatchObject({
      accountId: OWN,
      region: 'us-east-1',
      logGroupName: 'cloudtrail',
      filterName: 'trailwatch-root_usage',
      pattern: references('root_usage')?.pattern,
      metricName: 'RootUsage',
      metricNamespace: 'trailwatch',
    });
    expect(plan.changes.find((c) => c.kind === 'putMetricAlarm')).toMatchObject({
      alarmName: 'trailwatch-root_usage',
      metricName: 'RootUsage',
      topicArn: ourTopic(OWN),
    });
    expect(plan.manual).toEqual([]);
  });

  it('shares one topic, policy statement and subscription among the checks of an account and region', () => {
    // Prepare
    const findings = [finding(OWN, 'root_usage', 'metricFilter'), finding(OWN, 'iam_policy_changes', 'alarm')];
    // Act
    const plan = planRemediation(findings, [inventory(OWN)], options);
    // Assess
    expect(kinds(plan.changes)).toEqual([
      'createTopic',
      'allowCloudWatchPublish',
      'subscribe',
      'putMetricFilter:root_usage',
      'putMetricAlarm:root_usage',
      'putMetricFilter:iam_policy_changes',
      'putMetricAlarm:iam_policy_changes',
    ]);
    expect(plan.changes[0]?.checks).toEqual(['root_usage', 'iam_policy_changes']);
  });

  it('targets the owner account of an organization trail, once for the owner and all its members', () => {
    // Prepare
    const orgTrail = trail(MANAGEMENT, { name: 'org', isOrganizationTrail: true });
    const owner = inventory(MANAGEMENT, { trails: [orgTrail] });
    const member = inventory(MEMBER, { trails: [orgTrail] });
    const evidence = { trail: orgTrail.arn, organizationTrailOwner: MANAGEMENT };
    const findings = [
      finding(MANAGEMENT, 'root_usage', 'metricFilter', { evidence: { trail: orgTrail.arn } }),
      finding(MEMBER, 'root_usage', 'metricFilter', { evidence }),
    ];
    // Act
    const plan = planRemediation(findings, [owner, member], options);
    // Assess
    expect(new Set(plan.changes.map((c) => c.accountId))).toEqual(new Set([MANAGEMENT]));
    expect(plan.changes.filter((c) => c.kind === 'putMetricFilter')).toHaveLength(1);
    expect(plan.changes.find((c) => c.kind === 'putMetricFilter')).toMatchObject({
      logGroupArn: logGroupArn(MANAGEMENT, 'us-east-1', 'cloudtrail'),
      forAccounts: [MANAGEMENT, MEMBER],
    });
  });

  it('targets the owner account even when only the member was scanned', () => {
    // Prepare
    const orgTrail = trail(MANAGEMENT, { name: 'org', isOrganizationTrail: true });
    const member = inventory(MEMBER, { trails: [orgTrail] });
    // Act
    const plan = planRemediation([finding(MEMBER, 'root_usage', 'metricFilter', { evidence: { trail: orgTrail.arn } })], [member], options);
    // Assess
    expect(plan.changes.length).toBeGreaterThan(0);
    expect(plan.changes.every((c) => c.accountId === MANAGEMENT)).toBe(true);
  });

  it('finds the organization trail in its owner\'s inventory when the member does not list it', () => {
    // Prepare: as moto shows it, the member has no trail at all
    const orgTrail = trail(MANAGEMENT, { name: 'org', isOrganizationTrail: true });
    const owner = inventory(MANAGEMENT, { trails: [orgTrail] });
    const member = inventory(MEMBER, { trails: [] });
    const f = finding(MEMBER, 'root_usage', 'metricFilter', { evidence: { organizationTrailOwner: MANAGEMENT } });
    // Act
    const plan = planRemediation([f], [member, owner], options);
    // Assess
    expect(plan.manual).toEqual([]);
    expect(plan.changes.find((c) => c.kind === 'putMetricFilter')).toMatchObject({
      accountId: MANAGEMENT,
      logGroupArn: logGroupArn(MANAGEMENT, 'us-east-1', 'cloudtrail'),
      forAccounts: [MEMBER],
    });
  });

  it('puts the chain in the region of the log group, for a trail homed in eu-west-1', () => {
    // Prepare
    const euTrail = trail(OWN, { homeRegion: 'eu-west-1', cloudWatchLogsLogGroupArn: `${logGroupArn(OWN, 'eu-west-1', 'trail-eu')}:*` });
    const inv = inventory(OWN, { trails: [euTrail], region: 'eu-west-1', logGroupName: 'trail-eu' });
    // Act
    const plan = planRemediation([finding(OWN, 'root_usage', 'metricFilter')], [inv], options);
    // Assess
    expect(new Set(plan.changes.map((c) => c.region))).toEqual(new Set(['eu-west-1']));
    expect(plan.changes.find((c) => c.kind === 'putMetricAlarm')).toMatchObject({ topicArn: ourTopic(OWN, 'eu-west-1') });
  });

  it('never uses a log group no trail writes to, even when the finding names it', () => {
    // Prepare
    const stray = logGroupArn(OWN, 'us-east-1', 'not-a-trail-group');
    const f = finding(OWN, 'root_usage', 'metricFilter', { evidence: { logGroup: stray } });
    // Act
    const plan = planRemediation([f], [inventory(OWN)], options);
    // Assess
    const filter = plan.changes.find((c) => c.kind === 'putMetricFilter');
    expect(filter).toMatchObject({ logGroupName: 'cloudtrail' });
  });

  it('leaves a person\'s filters alone and adds its own next to them', () => {
    // Prepare
    const theirs = userFilter('root-usage', '{ $.userIdentity.type = "Root" && $.eventName = "x" }');
    // Act
    const plan = planRemediation([finding(OWN, 'root_usage', 'metricFilter')], [inventory(OWN, { filters: [theirs] })], options);
    // Assess
    const filters = plan.changes.filter((c) => c.kind === 'putMetricFilter');
    expect(filters.map((c) => c.kind === 'putMetricFilter' && c.filterName)).toEqual(['trailwatch-root_usage']);
  });

  it('lists a filter with trailwatch\'s name that trailwatch did not create as manual, and plans nothing over it', () => {
    // Prepare
    const impostor = userFilter('trailwatch-root_usage', '{ $.eventName = "x" }');
    // Act
    const plan = planRemediation([finding(OWN, 'root_usage', 'metricFilter')], [inventory(OWN, { filters: [impostor] })], options);
    // Assess
    expect(plan.changes.filter((c) => 'check' in c && c.check === 'root_usage')).toEqual([]);
    expect(plan.manual).toHaveLength(1);
    expect(plan.manual[0]).toMatchObject({ link: 'metricFilter', checks: ['root_usage'] });
    expect(plan.manual[0]?.title).toContain('did not create');
  });

  it('replaces its own filter when its pattern is out of date', () => {
    // Prepare
    const stale = {
      name: 'trailwatch-root_usage',
      logGroupName: 'cloudtrail',
      pattern: '{ $.userIdentity.type = "Root" }',
      transformations: [{ metricName: 'RootUsage', metricNamespace: 'trailwatch', metricValue: '1' }],
    };
    // Act
    const plan = planRemediation([finding(OWN, 'root_usage', 'metricFilter')], [inventory(OWN, { filters: [stale] })], options);
    // Assess
    expect(plan.changes.find((c) => c.kind === 'putMetricFilter')?.summary).toMatch(/^replace metric filter/);
  });

  it('plans nothing when trailwatch\'s chain is already complete, and says so for a finding that still fails', () => {
    // Prepare
    const arn = ourTopic(OWN);
    const reference = references('root_usage')!;
    const inv = inventory(OWN, {
      filters: [
        {
          name: 'trailwatch-root_usage',
          logGroupName: 'cloudtrail',
          pattern: reference.pattern,
          transformations: [{ metricName: reference.metricName, metricNamespace: 'trailwatch', metricValue: '1' }],
        },
      ],
      alarms: [
        alarm(OWN, 'trailwatch-root_usage', {
          metricName: reference.metricName,
          namespace: 'trailwatch',
          datapointsToAlarm: 1,
          treatMissingData: 'notBreaching',
          alarmActions: [arn],
        }),
      ],
      topics: [
        topic(arn, {
          policy: withCloudWatchPublish(undefined, arn),
          subscriptions: [{ subscriptionArn: `${arn}:abc`, protocol: 'email', endpoint: 'ops@example.com' }],
        }),
      ],
    });
    // Act
    const passing = planRemediation([finding(OWN, 'root_usage', null)], [inv], options);
    const stillFailing = planRemediation([finding(OWN, 'root_usage', 'alarm')], [inv], options);
    // Assess
    expect(passing.changes).toEqual([]);
    expect(passing.failing).toEqual([]);
    expect(stillFailing.changes).toEqual([]);
    expect(stillFailing.skipped).toHaveLength(1);
    expect(stillFailing.skipped[0]?.reason).toContain('already in place');
  });

  it('says a pending subscription will pass once confirmed, without subscribing again', () => {
    // Prepare
    const arn = ourTopic(OWN);
    const inv = inventory(OWN, {
      topics: [
        topic(arn, {
          policy: withCloudWatchPublish(undefined, arn),
          subscriptions: [{ subscriptionArn: 'PendingConfirmation', protocol: 'email', endpoint: 'ops@example.com' }],
        }),
      ],
    });
    // Act
    const plan = planRemediation([finding(OWN, 'root_usage', 'metricFilter')], [inv], options);
    // Assess
    expect(kinds(plan.changes)).toEqual(['putMetricFilter:root_usage', 'putMetricAlarm:root_usage']);
    expect(plan.pending).toEqual([{ accountId: OWN, topicArn: arn, protocol: 'email', endpoint: 'ops@example.com', checks: ['root_usage'] }]);
  });

  it('reuses the configured topic in its account and region, adding the policy statement only where missing', () => {
    // Prepare
    const configured = `arn:aws:sns:us-east-1:${OWN}:security`;
    const withStatement = topic(configured, {
      policy: withCloudWatchPublish(undefined, configured),
      subscriptions: [{ subscriptionArn: `${configured}:1`, protocol: 'email', endpoint: 'sec@example.com' }],
    });
    const without = topic(configured, { subscriptions: withStatement.subscriptions, policy: '{"Version":"2012-10-17","Statement":[]}' });
    const f = [finding(OWN, 'root_usage', 'metricFilter')];
    // Act
    const allowed = planRemediation(f, [inventory(OWN, { topics: [withStatement] })], { references, alertTopicArn: configured });
    const missing = planRemediation(f, [inventory(OWN, { topics: [without] })], { references, alertTopicArn: configured });
    // Assess
    expect(kinds(allowed.changes)).toEqual(['putMetricFilter:root_usage', 'putMetricAlarm:root_usage']);
    expect(allowed.changes.find((c) => c.kind === 'putMetricAlarm')).toMatchObject({ topicArn: configured });
    expect(kinds(missing.changes)).toEqual(['allowCloudWatchPublish', 'putMetricFilter:root_usage', 'putMetricAlarm:root_usage']);
  });

  it('creates its own topic where the configured one is in another region', () => {
    // Prepare
    const configured = `arn:aws:sns:eu-west-1:${OWN}:security`;
    // Act
    const plan = planRemediation([finding(OWN, 'root_usage', 'metricFilter')], [inventory(OWN)], { ...options, alertTopicArn: configured });
    // Assess
    expect(plan.changes.find((c) => c.kind === 'createTopic')).toMatchObject({ topicArn: ourTopic(OWN), region: 'us-east-1' });
  });

  it('builds its own chain past a person\'s topic nobody confirmed, and says how one subscription would do instead', () => {
    // Prepare
    const theirs = `arn:aws:sns:us-east-1:${OWN}:cis-alarms`;
    const f = finding(OWN, 'root_usage', 'subscription', { evidence: { topic: theirs } });
    // Act
    const plan = planRemediation([f], [inventory(OWN, { topics: [topic(theirs)] })], options);
    // Assess
    expect(kinds(plan.changes)).toContain('putMetricAlarm:root_usage');
    expect(plan.changes.some((c) => 'topicArn' in c && c.topicArn === theirs)).toBe(false);
    expect(plan.changes.find((c) => c.kind === 'createTopic')?.notes?.join(' ')).toContain(`--alert-topic ${theirs}`);
  });

  it('lists a new topic without a configured endpoint as needing a subscriber', () => {
    // Act
    const plan = planRemediation([finding(OWN, 'root_usage', 'metricFilter')], [inventory(OWN)], { references });
    // Assess
    expect(kinds(plan.changes)).not.toContain('subscribe');
    expect(plan.manual).toHaveLength(1);
    expect(plan.manual[0]).toMatchObject({ link: 'subscription' });
    expect(plan.manual[0]?.steps[0]).toContain('aws sns subscribe');
    // The "by hand" heading says why for what it lists: nothing about trails above a missing subscriber.
    const table = renderPlan(plan, 'table');
    expect(table).toContain('To do by hand (1): trailwatch subscribes only the alert endpoint it is given');
    expect(table).not.toContain('does not change trails');
  });

  describe('an alarm with its actions disabled', () => {
    const theirs = alarm(OWN, 'root-usage', { actionsEnabled: false });
    const f = finding(OWN, 'root_usage', 'alarm', { evidence: { alarm: theirs.arn } });

    it('re-enables its actions only with fixAlarms, and adds nothing else', () => {
      // Act
      const plan = planRemediation([f], [inventory(OWN, { alarms: [theirs] })], { ...options, fixAlarms: true });
      // Assess
      expect(kinds(plan.changes)).toEqual(['enableAlarmActions:root_usage']);
      expect(plan.changes[0]).toMatchObject({ alarmName: 'root-usage', accountId: OWN, region: 'us-east-1' });
      expect(plan.changes[0]?.cli).toBe('aws cloudwatch enable-alarm-actions --region us-east-1 --alarm-names root-usage');
    });

    it('leaves it alone without fixAlarms and builds trailwatch\'s own chain, saying why', () => {
      // Act
      const plan = planRemediation([f], [inventory(OWN, { alarms: [theirs] })], options);
      // Assess
      expect(kinds(plan.changes)).not.toContain('enableAlarmActions:root_usage');
      const ours = plan.changes.find((c) => c.kind === 'putMetricAlarm');
      expect(ours).toMatchObject({ alarmName: 'trailwatch-root_usage' });
      expect(ours?.notes?.join(' ')).toContain('--fix-alarms');
    });
  });

  describe('what it leaves to a person', () => {
    it('gives the steps to create a trail when the account has none', () => {
      // Act
      const plan = planRemediation([finding(STANDALONE, 'root_usage', 'trail')], [inventory(STANDALONE, { trails: [] })], options);
      // Assess
      expect(plan.changes).toEqual([]);
      expect(plan.manual).toHaveLength(1);
      const steps = plan.manual[0]!.steps.join('\n');
      expect(steps).toContain('aws cloudtrail create-trail');
      expect(steps).toContain('--is-multi-region-trail');
      expect(steps).toContain('aws cloudtrail update-trail');
      expect(steps).toContain('--cloud-watch-logs-log-group-arn');
    });

    it('gives the steps for a trail that does not deliver to CloudWatch Logs, and creates no log group', () => {
      // Prepare
      const notDelivering = trail(OWN, { cloudWatchLogsLogGroupArn: undefined, cloudWatchLogsRoleArn: undefined });
      const f = finding(OWN, 'root_usage', 'logGroup', { evidence: { trail: notDelivering.arn } });
      // Act
      const plan = planRemediation([f], [inventory(OWN, { trails: [notDelivering] })], options);
      // Assess
      expect(plan.changes).toEqual([]);
      expect(plan.manual[0]?.link).toBe('logGroup');
      expect(plan.manual[0]?.steps.join('\n')).toContain(`aws cloudtrail update-trail --region us-east-1 --name main --cloud-watch-logs-log-group-arn`);
    });

    it('gives put-event-selectors for a trail without write management events', () => {
      // Prepare
      const readOnly = trail(OWN, { eventSelectors: [{ readWriteType: 'ReadOnly', includeManagementEvents: true }] });
      // Act
      const plan = planRemediation([finding(OWN, 'root_usage', 'trail', { evidence: { trail: readOnly.arn } })], [inventory(OWN, { trails: [readOnly] })], options);
      // Assess
      expect(plan.manual[0]?.title).toContain('does not record read and write management events');
      expect(plan.manual[0]?.steps.join('\n')).toContain('aws cloudtrail put-event-selectors');
    });

    it('gives start-logging for a trail that is not logging, once for every check it breaks', () => {
      // Prepare
      const stopped = trail(OWN, { status: { isLogging: false } });
      const findings = ['root_usage', 'iam_policy_changes'].map((check) =>
        finding(OWN, check as 'root_usage', 'trail', { evidence: { trail: stopped.arn } }),
      );
      // Act
      const plan = planRemediation(findings, [inventory(OWN, { trails: [stopped] })], options);
      // Assess
      expect(plan.manual).toHaveLength(1);
      expect(plan.manual[0]?.checks).toEqual(['root_usage', 'iam_policy_changes']);
      expect(plan.manual[0]?.steps[0]).toContain('aws cloudtrail start-logging');
    });
  });

  it('changes nothing for ERROR findings, only lists them', () => {
    // Act
    const plan = planRemediation([finding(OWN, 'root_usage', null, { status: 'ERROR', reason: 'AccessDenied on DescribeAlarms' })], [inventory(OWN)], options);
    // Assess
    expect(plan.changes).toEqual([]);
    expect(plan.skipped).toEqual([{ accountId: OWN, check: 'root_usage', reason: expect.stringContaining('AccessDenied') }]);
  });

  it('honours the account and check selection', () => {
    // Prepare
    const findings = [finding(OWN, 'root_usage', 'metricFilter'), finding(OWN, 'iam_policy_changes', 'metricFilter'), finding(STANDALONE, 'root_usage', 'metricFilter')];
    // Act
    const plan = planRemediation(findings, [inventory(OWN), inventory(STANDALONE)], { ...options, accounts: [OWN], checks: ['iam_policy_changes'] });
    // Assess
    expect(plan.failing).toEqual([{ accountId: OWN, check: 'iam_policy_changes' }]);
    expect(plan.changes.every((c) => c.accountId === OWN && c.checks.every((k) => k === 'iam_policy_changes'))).toBe(true);
  });

  it('takes the selected benchmark\'s corrected reference from the catalogue, never the misprinted text', () => {
    // Prepare
    const [control] = controlsFor('cis-aws-v1.3.0', ['unauthorized_api_calls']);
    // Act
    const plan = planRemediation([finding(OWN, 'unauthorized_api_calls', 'metricFilter')], [inventory(OWN)], { benchmark: 'cis-aws-v1.3.0', subscription: EMAIL });
    // Assess
    expect(control?.corrected).toBe(true);
    const filter = plan.changes.find((c) => c.kind === 'putMetricFilter');
    expect(filter).toMatchObject({ pattern: control?.referencePattern, metricName: control?.definition.metric.name });
    expect(filter).not.toMatchObject({ pattern: control?.printedPattern });
  });

  it('skips a check the benchmark does not have', () => {
    // Act
    const plan = planRemediation([finding(OWN, 'organizations_changes', 'metricFilter')], [inventory(OWN)], { benchmark: 'cis-aws-v1.2.0', subscription: EMAIL });
    // Assess
    expect(plan.changes).toEqual([]);
    expect(plan.skipped[0]?.reason).toContain('no reference pattern');
  });

  it('refuses a configured endpoint its protocol cannot deliver to', () => {
    expect(() =>
      planRemediation([], [], { references, subscription: { protocol: 'sqs', endpoint: 'https://example.com' } }),
    ).toThrow(UsageError);
  });

  it('renders each change as an AWS CLI command a POSIX shell reads back exactly', () => {
    // Prepare
    const plan = planRemediation([finding(OWN, 'console_signin_without_mfa', 'metricFilter')], [inventory(OWN)], options);
    const filter = plan.changes.find((c) => c.kind === 'putMetricFilter');
    // Act: let sh split the command into words and print them one per line
    const words = spawnSync('sh', ['-c', `for w in ${filter!.cli.replace(/^aws /, '')}; do printf '%s\\n' "$w"; done`], { encoding: 'utf8' })
      .stdout.split('\n');
    // Assess
    expect(words[words.indexOf('--filter-pattern') + 1]).toBe(references('console_signin_without_mfa')!.pattern);
    expect(filter!.cli).toMatch(/^aws logs put-metric-filter --region us-east-1 --log-group-name cloudtrail --filter-name trailwatch-console_signin_without_mfa /);
  });
});
