import { createHash } from 'node:crypto';
import { PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { PutMetricFilterCommand } from '@aws-sdk/client-cloudwatch-logs';
import { AwsClients } from '../../src/aws/clients';
import { collectAccount, type AccountInventory } from '../../src/collect';
import { DEMO_METRIC_NAMES, MOTO_CREDENTIALS, REFERENCE_PATTERNS_V4, seedChain, seedTrail } from '../../src/demo';
import { AccountAccessError, enabledRegions } from '../../src/discover';
import { awsError, failWhen } from '../discover/faults';
import { motoClients, motoEndpoint, useMoto } from '../support/moto';
import { startBehaviourProxy, type BehaviourProxy } from './aws-behaviour-proxy';
import { MANAGEMENT, sessions } from './helpers';

const MEMBER = '111111111111';
const OTHER_MEMBER = '222222222222';
const TWO_REGIONS = ['us-east-1', 'eu-west-1'];
const COLLECTED_AT = new Date('2030-01-02T03:04:05.000Z');

const sha256 = (text: string): string => `sha256:${createHash('sha256').update(text).digest('hex')}`;

function totalCalls(clients: AwsClients, accountId: string): number {
  return clients.callCounter.totalFor(accountId);
}

describe('collectAccount against moto', () => {
  useMoto();
  let seeder: AwsClients;
  let clients: AwsClients;
  beforeEach(() => {
    seeder = motoClients();
  });
  afterEach(() => {
    seeder.destroy();
    clients?.destroy();
  });

  it("reads a member's chain homed in eu-west-1 exactly, through AssumeRole", async () => {
    // Prepare: a multi-region trail homed in eu-west-1, three checks, a topic with two subscribers,
    // an alarm on another metric (not part of any chain) and one notifying another account's topic.
    const member = await sessions(seeder)(MEMBER);
    const trail = await seedTrail(seeder, member, { name: 'eu-trail', homeRegion: 'eu-west-1', logGroupName: 'cloudtrail-eu' });
    const chain = await seedChain(seeder, member, 'eu-west-1', {
      logGroupName: 'cloudtrail-eu',
      checks: ['root_usage', 'iam_policy_changes', 'vpc_changes'],
      alarm: { perCheck: { vpc_changes: { alarmActions: ['arn:aws:sns:eu-west-1:999999999999:central-alerts'] } } },
      topic: {
        name: 'security-alerts',
        subscriptions: [
          { protocol: 'email', endpoint: 'security@example.com' },
          { protocol: 'https', endpoint: 'https://hooks.example.com/alarm?token=t0ken-in-the-url' },
        ],
      },
    });
    await seeder.cloudWatch(member, 'eu-west-1').send(
      new PutMetricAlarmCommand({
        AlarmName: 'high-cpu',
        MetricName: 'CPUUtilization',
        Namespace: 'AWS/EC2',
        Statistic: 'Average',
        Period: 60,
        EvaluationPeriods: 3,
        Threshold: 90,
        ComparisonOperator: 'GreaterThanThreshold',
        AlarmActions: [chain.topicArn],
      }),
    );
    clients = motoClients();
    const session = await sessions(clients)(MEMBER);
    // Act
    const inventory = await collectAccount(clients, session, { regions: TWO_REGIONS, now: () => COLLECTED_AT });
    // Assess
    const alarm = (check: 'root_usage' | 'iam_policy_changes' | 'vpc_changes', actions: string[]) => ({
      name: `cis-${check}`,
      arn: `arn:aws:cloudwatch:eu-west-1:${MEMBER}:alarm:cis-${check}`,
      region: 'eu-west-1',
      metricName: DEMO_METRIC_NAMES[check],
      namespace: 'CISBenchmark',
      dimensions: [],
      statistic: 'Sum',
      period: 300,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      threshold: 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      treatMissingData: 'notBreaching',
      actionsEnabled: true,
      alarmActions: actions,
      // moto starts alarms in OK (AWS in INSUFFICIENT_DATA); the state and when it changed are kept either way.
      stateValue: 'OK',
      stateUpdatedTimestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) as unknown as string,
    });
    const filter = (check: 'root_usage' | 'iam_policy_changes' | 'vpc_changes') => ({
      name: `cis-${check}`,
      logGroupName: 'cloudtrail-eu',
      pattern: REFERENCE_PATTERNS_V4[check],
      transformations: [{ metricName: DEMO_METRIC_NAMES[check], metricNamespace: 'CISBenchmark', metricValue: '1' }],
    });
    const logGroupArn = `arn:aws:logs:eu-west-1:${MEMBER}:log-group:cloudtrail-eu`;
    const expected: AccountInventory = {
      formatVersion: 1,
      accountId: MEMBER,
      collectedAt: '2030-01-02T03:04:05.000Z',
      regions: TWO_REGIONS,
      trails: [
        {
          arn: `arn:aws:cloudtrail:eu-west-1:${MEMBER}:trail/eu-trail`,
          name: 'eu-trail',
          homeRegion: 'eu-west-1',
          ownerAccountId: MEMBER,
          isMultiRegionTrail: true,
          isOrganizationTrail: false,
          includeGlobalServiceEvents: true,
          cloudWatchLogsLogGroupArn: `${logGroupArn}:*`,
          cloudWatchLogsRoleArn: `arn:aws:iam::${MEMBER}:role/CloudTrail_CloudWatchLogs_Role`,
          status: { isLogging: true },
          eventSelectors: [{ readWriteType: 'All', includeManagementEvents: true }],
        },
      ],
      logGroups: {
        [logGroupArn]: {
          arn: logGroupArn,
          name: 'cloudtrail-eu',
          region: 'eu-west-1',
          accountId: MEMBER,
          metricFilters: [filter('iam_policy_changes'), filter('root_usage'), filter('vpc_changes')],
        },
      },
      alarms: {
        'eu-west-1': [
          alarm('iam_policy_changes', [chain.topicArn]),
          alarm('root_usage', [chain.topicArn]),
          alarm('vpc_changes', ['arn:aws:sns:eu-west-1:999999999999:central-alerts']),
        ],
      },
      topics: {
        [chain.topicArn]: {
          arn: `arn:aws:sns:eu-west-1:${MEMBER}:security-alerts`,
          region: 'eu-west-1',
          accountId: MEMBER,
          exists: true,
          policy: expect.any(String) as unknown as string,
          subscriptions: [
            // Endpoints are redacted as they are read, with a digest of the whole one.
            { subscriptionArn: expect.stringMatching(/^arn:aws:sns:eu-west-1:111111111111:security-alerts:/), protocol: 'email', endpoint: 's***@example.com', owner: MEMBER, endpointSha256: sha256('security@example.com') },
            { subscriptionArn: expect.stringMatching(/^arn:aws:sns:eu-west-1:111111111111:security-alerts:/), protocol: 'https', endpoint: 'https://hooks.example.com', owner: MEMBER, endpointSha256: sha256('https://hooks.example.com/alarm?token=t0ken-in-the-url') },
          ],
        },
      },
      readErrors: [],
      apiCalls: {
        'STS:AssumeRole': 1,
        'CloudTrail:ListTrails': 1,
        'CloudTrail:DescribeTrails': 1,
        'CloudTrail:GetTrailStatus': 1,
        'CloudTrail:GetEventSelectors': 1,
        'CloudWatchLogs:DescribeMetricFilters': 1,
        'CloudWatch:DescribeAlarms': 1,
        'SNS:GetTopicAttributes': 1,
        'SNS:ListSubscriptionsByTopic': 1,
      },
    };
    expect(trail.logGroupArn).toBe(logGroupArn);
    expect(inventory).toEqual(expected);
    expect(JSON.parse(inventory.topics[chain.topicArn]?.policy ?? '{}').Statement).toContainEqual(
      expect.objectContaining({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'SNS:Publish' }),
    );
  });

  it("reads the management account's organization trail with its status and selectors", async () => {
    // Prepare
    const management = { accountId: MANAGEMENT };
    await seedTrail(seeder, management, { name: 'org-trail', homeRegion: 'us-east-1', organization: true, logGroupName: 'org-trail' });
    await seedChain(seeder, management, 'us-east-1', { logGroupName: 'org-trail', checks: ['root_usage'] });
    clients = motoClients();
    // Act
    const inventory = await collectAccount(clients, management, { regions: TWO_REGIONS });
    // Assess
    expect(inventory.trails).toEqual([
      expect.objectContaining({
        arn: `arn:aws:cloudtrail:us-east-1:${MANAGEMENT}:trail/org-trail`,
        ownerAccountId: MANAGEMENT,
        isOrganizationTrail: true,
        isMultiRegionTrail: true,
        status: { isLogging: true },
        eventSelectors: [{ readWriteType: 'All', includeManagementEvents: true }],
      }),
    ]);
    expect(Object.keys(inventory.logGroups)).toEqual([`arn:aws:logs:us-east-1:${MANAGEMENT}:log-group:org-trail`]);
    expect(inventory.alarms['us-east-1']?.map((a) => a.name)).toEqual(['cis-root_usage']);
    expect(inventory.readErrors).toEqual([]);
  });

  it('reads each log group once and each alarm region once, however many trails share them', async () => {
    // Prepare: three trails in us-east-1, two on the same log group, one on a second group.
    const member = await sessions(seeder)(MEMBER);
    await seedTrail(seeder, member, { name: 'trail-a', homeRegion: 'us-east-1', logGroupName: 'shared' });
    await seedTrail(seeder, member, { name: 'trail-b', homeRegion: 'us-east-1', multiRegion: false, logGroupName: 'shared' });
    await seedTrail(seeder, member, { name: 'trail-c', homeRegion: 'us-east-1', logGroupName: 'second' });
    await seedChain(seeder, member, 'us-east-1', { logGroupName: 'shared', checks: ['root_usage'] });
    await seedChain(seeder, member, 'us-east-1', { logGroupName: 'second', checks: ['vpc_changes'], namePrefix: 'second-', topic: { name: 'second' } });
    clients = motoClients();
    const session = await sessions(clients)(MEMBER);
    // Act
    const inventory = await collectAccount(clients, session, { regions: TWO_REGIONS });
    // Assess
    expect(inventory.trails.map((t) => t.name).sort()).toEqual(['trail-a', 'trail-b', 'trail-c']);
    expect(Object.keys(inventory.logGroups).sort()).toEqual([
      `arn:aws:logs:us-east-1:${MEMBER}:log-group:second`,
      `arn:aws:logs:us-east-1:${MEMBER}:log-group:shared`,
    ]);
    expect(inventory.apiCalls).toMatchObject({
      'CloudTrail:ListTrails': 1,
      'CloudTrail:DescribeTrails': 1,
      'CloudTrail:GetTrailStatus': 3,
      'CloudTrail:GetEventSelectors': 3,
      'CloudWatchLogs:DescribeMetricFilters': 2,
      'CloudWatch:DescribeAlarms': 1,
      'SNS:GetTopicAttributes': 2,
      'SNS:ListSubscriptionsByTopic': 2,
    });
  });

  it('keeps an alarm on the right metric name in the wrong namespace, and drops alarms on unrelated metrics', async () => {
    // Prepare
    const member = await sessions(seeder)(MEMBER);
    await seedTrail(seeder, member, { name: 'trail', homeRegion: 'us-east-1', logGroupName: 'cloudtrail' });
    await seedChain(seeder, member, 'us-east-1', {
      logGroupName: 'cloudtrail',
      checks: ['root_usage'],
      alarm: { namespace: 'LogMetrics' },
    });
    await seeder.cloudWatch(member, 'us-east-1').send(
      new PutMetricAlarmCommand({
        AlarmName: 'disk-full',
        MetricName: 'DiskUsed',
        Namespace: 'Custom',
        Statistic: 'Maximum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 95,
        ComparisonOperator: 'GreaterThanThreshold',
        AlarmActions: ['arn:aws:sns:us-east-1:111111111111:ops'],
      }),
    );
    clients = motoClients();
    const session = await sessions(clients)(MEMBER);
    // Act
    const inventory = await collectAccount(clients, session, { regions: TWO_REGIONS });
    // Assess
    expect(inventory.alarms['us-east-1']).toEqual([expect.objectContaining({ name: 'cis-root_usage', metricName: 'RootUsage', namespace: 'LogMetrics' })]);
    expect(Object.keys(inventory.topics)).toEqual([`arn:aws:sns:us-east-1:${MEMBER}:cis-alarms`]);
  });

  it('records a topic that does not exist without listing its subscriptions', async () => {
    // Prepare
    const member = await sessions(seeder)(MEMBER);
    const missingTopic = `arn:aws:sns:us-east-1:${MEMBER}:deleted-topic`;
    await seedTrail(seeder, member, { name: 'trail', homeRegion: 'us-east-1', logGroupName: 'cloudtrail' });
    await seedChain(seeder, member, 'us-east-1', { logGroupName: 'cloudtrail', checks: ['root_usage'], alarm: { alarmActions: [missingTopic] } });
    clients = motoClients();
    const session = await sessions(clients)(MEMBER);
    // Act
    const inventory = await collectAccount(clients, session, { regions: TWO_REGIONS });
    // Assess
    expect(inventory.topics).toEqual({ [missingTopic]: { arn: missingTopic, region: 'us-east-1', accountId: MEMBER, exists: false } });
    expect(inventory.apiCalls?.['SNS:ListSubscriptionsByTopic']).toBeUndefined();
    expect(inventory.readErrors).toEqual([]);
  });

  it('records a trail that delivers to no log group without reading filters or alarms', async () => {
    // Prepare
    const member = await sessions(seeder)(MEMBER);
    await seedTrail(seeder, member, { name: 's3-only', homeRegion: 'us-east-1', logging: false });
    clients = motoClients();
    const session = await sessions(clients)(MEMBER);
    // Act
    const inventory = await collectAccount(clients, session, { regions: TWO_REGIONS });
    // Assess
    expect(inventory.trails).toEqual([expect.objectContaining({ name: 's3-only', status: { isLogging: false } })]);
    expect(inventory.trails[0]?.cloudWatchLogsLogGroupArn).toBeUndefined();
    expect(inventory.logGroups).toEqual({});
    expect(inventory.alarms).toEqual({});
    expect(Object.keys(inventory.apiCalls ?? {})).toEqual([
      'STS:AssumeRole',
      'CloudTrail:ListTrails',
      'CloudTrail:DescribeTrails',
      'CloudTrail:GetTrailStatus',
      'CloudTrail:GetEventSelectors',
    ]);
  });

  it('collects several accounts at once with calls counted per account', async () => {
    // Prepare
    const assume = sessions(seeder);
    for (const accountId of [MEMBER, OTHER_MEMBER]) {
      const member = await assume(accountId);
      await seedTrail(seeder, member, { name: 'trail', homeRegion: 'us-east-1', logGroupName: 'cloudtrail' });
      await seedChain(seeder, member, 'us-east-1', { logGroupName: 'cloudtrail' });
    }
    clients = motoClients();
    const session = sessions(clients);
    // Act
    const inventories = await Promise.all([MEMBER, OTHER_MEMBER, MANAGEMENT].map(async (id) => collectAccount(clients, await session(id), { regions: TWO_REGIONS })));
    // Assess
    expect(inventories.map((i) => i.accountId)).toEqual([MEMBER, OTHER_MEMBER, MANAGEMENT]);
    expect(inventories.map((i) => i.alarms['us-east-1']?.length ?? 0)).toEqual([15, 15, 0]);
    expect(inventories[0]?.topics[`arn:aws:sns:us-east-1:${MEMBER}:cis-alarms`]?.subscriptions).toHaveLength(1);
    expect(inventories[1]?.topics[`arn:aws:sns:us-east-1:${OTHER_MEMBER}:cis-alarms`]?.subscriptions).toHaveLength(1);
    expect(inventories[2]?.trails).toEqual([]);
    expect(totalCalls(clients, MANAGEMENT)).toBe(1);
  });
});

describe('collectAccount: calls per account', () => {
  useMoto();
  let seeder: AwsClients;
  beforeEach(() => {
    seeder = motoClients();
  });
  afterEach(() => seeder.destroy());

  /** Discovers the account's regions (all enabled, or the two selected) and collects it on a fresh factory. */
  async function scanOne(accountId: string, selected: string[] | undefined) {
    const clients = new AwsClients({ endpointUrl: motoEndpoint(), credentials: MOTO_CREDENTIALS });
    const session = await sessions(clients)(accountId);
    const scope = await enabledRegions(clients, session, { selected });
    const inventory = await collectAccount(clients, session, { regions: scope.regions });
    clients.destroy();
    return { inventory, calls: clients.callCounter.totalFor(accountId), regions: scope.regions.length };
  }

  it('reads an account with its own complete chain in at most 11 calls, whatever the number of regions', async () => {
    // Prepare
    const member = await sessions(seeder)(MEMBER);
    await seedTrail(seeder, member, { name: 'trail', homeRegion: 'eu-west-1', logGroupName: 'cloudtrail' });
    await seedChain(seeder, member, 'eu-west-1', { logGroupName: 'cloudtrail' });
    // Act
    const two = await scanOne(MEMBER, TWO_REGIONS);
    const all = await scanOne(MEMBER, undefined);
    // Assess: AssumeRole, ListRegions (unavailable in moto) + DescribeRegions, ListTrails, DescribeTrails,
    // GetTrailStatus, GetEventSelectors, DescribeMetricFilters, DescribeAlarms, GetTopicAttributes, ListSubscriptionsByTopic.
    expect(all.regions).toBeGreaterThan(10);
    expect(two.calls).toBeLessThanOrEqual(11);
    expect(all.calls).toBe(two.calls);
    expect(all.inventory.alarms['eu-west-1']).toHaveLength(15);
  });

  it('reads a member that only sees the organization trail in at most 5 calls, whatever the number of regions', async () => {
    // Prepare: moto shows members no organization trail; the proxy adds the shadow AWS shows them.
    const management = { accountId: MANAGEMENT };
    const orgTrail = await seedTrail(seeder, management, { name: 'org-trail', homeRegion: 'us-east-1', organization: true, logGroupName: 'org' });
    await seedChain(seeder, management, 'us-east-1', { logGroupName: 'org' });
    let memberAccessKey: string | undefined;
    const proxy = await startBehaviourProxy(motoEndpoint(), {
      shadowTrails: [
        {
          accessKeyId: () => memberAccessKey,
          trail: {
            TrailARN: orgTrail.arn,
            Name: 'org-trail',
            HomeRegion: 'us-east-1',
            IsMultiRegionTrail: true,
            IsOrganizationTrail: true,
            IncludeGlobalServiceEvents: true,
            CloudWatchLogsLogGroupArn: orgTrail.cloudWatchLogsLogGroupArn,
          },
        },
      ],
    });
    try {
      const scan = async (selected: string[] | undefined) => {
        const clients = new AwsClients({ endpointUrl: proxy.endpoint, credentials: MOTO_CREDENTIALS });
        const session = await sessions(clients)(MEMBER);
        memberAccessKey = (await (session.credentials as () => Promise<{ accessKeyId: string }>)()).accessKeyId;
        const scope = await enabledRegions(clients, session, { selected });
        const inventory = await collectAccount(clients, session, { regions: scope.regions });
        clients.destroy();
        return { inventory, calls: clients.callCounter.totalFor(MEMBER), perOperation: clients.callCounter.forAccount(MEMBER), regions: scope.regions.length };
      };
      // Act
      const two = await scan(TWO_REGIONS);
      const all = await scan(undefined);
      // Assess
      expect(two.inventory.trails).toEqual([
        {
          arn: orgTrail.arn,
          name: 'org-trail',
          homeRegion: 'us-east-1',
          ownerAccountId: MANAGEMENT,
          isMultiRegionTrail: true,
          isOrganizationTrail: true,
          includeGlobalServiceEvents: true,
          cloudWatchLogsLogGroupArn: orgTrail.cloudWatchLogsLogGroupArn,
        },
      ]);
      expect(two.inventory.logGroups).toEqual({});
      expect(two.perOperation).toEqual({
        'STS:AssumeRole': 1,
        'Account:ListRegions': 1,
        'EC2:DescribeRegions': 1,
        'CloudTrail:ListTrails': 1,
        'CloudTrail:DescribeTrails': 1,
      });
      expect(all.regions).toBeGreaterThan(10);
      expect(two.calls).toBeLessThanOrEqual(5);
      expect(all.calls).toBe(two.calls);
    } finally {
      await proxy.close();
    }
  });
});

describe('collectAccount: paging (moto answers in one page; the proxy pages as AWS does)', () => {
  useMoto();
  let proxy: BehaviourProxy;
  let seeder: AwsClients;
  beforeEach(async () => {
    proxy = await startBehaviourProxy(motoEndpoint());
    seeder = motoClients();
  });
  afterEach(async () => {
    seeder.destroy();
    await proxy.close();
  });

  it('reads every metric filter, alarm and subscription when there are more than one page of each', async () => {
    // Prepare: 60 filters (pages of 50), 110 alarms on their metrics (pages of 100), 105 subscriptions (moto pages at 100).
    const member = await sessions(seeder)(MEMBER);
    await seedTrail(seeder, member, { name: 'trail', homeRegion: 'us-east-1', logGroupName: 'busy' });
    const chain = await seedChain(seeder, member, 'us-east-1', {
      logGroupName: 'busy',
      checks: ['root_usage'],
      topic: { subscriptions: Array.from({ length: 105 }, (_, i) => ({ protocol: 'email', endpoint: `person-${i}@example.com` })) },
    });
    const logs = seeder.cloudWatchLogs(member, 'us-east-1');
    const cloudWatch = seeder.cloudWatch(member, 'us-east-1');
    for (let i = 0; i < 59; i += 1) {
      await logs.send(
        new PutMetricFilterCommand({
          logGroupName: 'busy',
          filterName: `extra-${String(i).padStart(2, '0')}`,
          filterPattern: `{ $.eventName = Event${i} }`,
          metricTransformations: [{ metricName: `Extra${i}`, metricNamespace: 'Extra', metricValue: '1' }],
        }),
      );
    }
    for (let i = 0; i < 109; i += 1) {
      await cloudWatch.send(
        new PutMetricAlarmCommand({
          AlarmName: `extra-alarm-${String(i).padStart(3, '0')}`,
          MetricName: `Extra${i % 59}`,
          Namespace: 'Extra',
          Statistic: 'Sum',
          Period: 300,
          EvaluationPeriods: 1,
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          AlarmActions: [chain.topicArn],
        }),
      );
    }
    const clients = new AwsClients({ endpointUrl: proxy.endpoint, credentials: MOTO_CREDENTIALS });
    const session = await sessions(clients)(MEMBER);
    // Act
    const inventory = await collectAccount(clients, session, { regions: TWO_REGIONS });
    clients.destroy();
    // Assess
    const group = inventory.logGroups[`arn:aws:logs:us-east-1:${MEMBER}:log-group:busy`];
    expect(group?.metricFilters).toHaveLength(60);
    expect(inventory.alarms['us-east-1']).toHaveLength(110);
    expect(inventory.topics[chain.topicArn]?.subscriptions).toHaveLength(105);
    expect(inventory.apiCalls).toMatchObject({
      'CloudWatchLogs:DescribeMetricFilters': 2,
      'CloudWatch:DescribeAlarms': 2,
      'SNS:GetTopicAttributes': 1,
      'SNS:ListSubscriptionsByTopic': 2,
    });
    expect(proxy.pagesServed).toEqual({ 'Logs_20140328.DescribeMetricFilters': 2, 'GraniteServiceVersion20100801.DescribeAlarms': 2 });
  });
});

describe('collectAccount: failures (injected into the real clients: moto never refuses)', () => {
  useMoto();
  let seeder: AwsClients;
  beforeEach(async () => {
    seeder = motoClients();
    const member = await sessions(seeder)(MEMBER);
    await seedTrail(seeder, member, { name: 'trail', homeRegion: 'us-east-1', logGroupName: 'cloudtrail' });
    await seedChain(seeder, member, 'us-east-1', { logGroupName: 'cloudtrail', checks: ['root_usage'] });
  });
  afterEach(() => seeder.destroy());

  it('records a denied read as a read error and reads everything else', async () => {
    // Prepare
    const clients = motoClients({
      attemptHooks: [failWhen((info) => info.operation === 'GetEventSelectors', () => awsError('AccessDeniedException', 400, 'not allowed'))],
    });
    const session = await sessions(clients)(MEMBER);
    // Act
    const inventory = await collectAccount(clients, session, { regions: TWO_REGIONS });
    clients.destroy();
    // Assess
    const trailArn = `arn:aws:cloudtrail:us-east-1:${MEMBER}:trail/trail`;
    expect(inventory.readErrors).toEqual([
      { scope: 'eventSelectors', resource: trailArn, region: 'us-east-1', code: 'AccessDenied', message: 'AccessDeniedException: not allowed' },
    ]);
    expect(inventory.trails[0]?.status).toEqual({ isLogging: true });
    expect(inventory.trails[0]?.eventSelectors).toBeUndefined();
    expect(inventory.alarms['us-east-1']).toHaveLength(1);
  });

  it('records throttling that outlasts the retries as a read error, and reads no topic for that region', async () => {
    // Prepare
    const clients = motoClients({
      maxAttempts: 2,
      attemptHooks: [failWhen((info) => info.operation === 'DescribeAlarms', () => awsError('Throttling', 400, 'Rate exceeded'))],
    });
    const session = await sessions(clients)(MEMBER);
    // Act
    const inventory = await collectAccount(clients, session, { regions: TWO_REGIONS });
    clients.destroy();
    // Assess
    expect(inventory.readErrors).toEqual([
      { scope: 'alarms', resource: 'us-east-1', region: 'us-east-1', code: 'Throttled', message: 'Throttling: Rate exceeded' },
    ]);
    expect(inventory.alarms).toEqual({});
    expect(inventory.topics).toEqual({});
    expect(Object.values(inventory.logGroups)[0]?.metricFilters).toHaveLength(1);
  });

  it('records a denied ListTrails as a read error and nothing else', async () => {
    // Prepare
    const clients = motoClients({
      attemptHooks: [failWhen((info) => info.operation === 'ListTrails', () => awsError('AccessDeniedException', 400, 'no cloudtrail:ListTrails'))],
    });
    const session = await sessions(clients)(MEMBER);
    // Act
    const inventory = await collectAccount(clients, session, { regions: TWO_REGIONS, homeRegion: 'us-east-1' });
    clients.destroy();
    // Assess
    expect(inventory.trails).toEqual([]);
    expect(inventory.readErrors).toEqual([
      { scope: 'trails', region: 'us-east-1', code: 'AccessDenied', message: 'AccessDeniedException: no cloudtrail:ListTrails' },
    ]);
  });

  it('raises AccountAccessError when the account refuses the credentials altogether', async () => {
    // Prepare
    const clients = motoClients({
      attemptHooks: [
        failWhen(
          (info) => info.accountId === MEMBER && info.service === 'CloudTrail',
          () => awsError('UnrecognizedClientException', 400, 'The security token included in the request is invalid.'),
        ),
      ],
    });
    const session = await sessions(clients)(MEMBER);
    // Act
    const collecting = collectAccount(clients, session, { regions: TWO_REGIONS });
    // Assess
    await expect(collecting).rejects.toThrow(AccountAccessError);
    await expect(collecting).rejects.toMatchObject({ accountId: MEMBER, reason: expect.stringContaining('UnrecognizedClientException') });
    clients.destroy();
  });

  it('carries the read errors of discovery and the regions not enabled into the inventory', async () => {
    // Prepare
    const clients = motoClients();
    const session = await sessions(clients)(MEMBER);
    const scope = await enabledRegions(clients, session, { selected: ['us-east-1', 'ap-east-1'] });
    const regionsError = { scope: 'regions' as const, code: 'Throttled' as const, message: 'Throttling: Rate exceeded' };
    // Act
    const inventory = await collectAccount(clients, session, { regions: scope.regions, regionsNotEnabled: scope.notEnabled, priorReadErrors: [regionsError] });
    clients.destroy();
    // Assess
    expect(inventory.regions).toEqual(['us-east-1']);
    expect(inventory.regionsNotEnabled).toEqual(['ap-east-1']);
    expect(inventory.readErrors).toEqual([regionsError]);
  });

  it('stops when the scan is aborted', async () => {
    // Prepare
    const clients = motoClients();
    const session = await sessions(clients)(MEMBER);
    const controller = new AbortController();
    controller.abort();
    // Act
    const collecting = collectAccount(clients, session, { regions: TWO_REGIONS, signal: controller.signal });
    // Assess
    await expect(collecting).rejects.toMatchObject({ name: 'AbortError' });
    expect(clients.callCounter.forAccount(MEMBER)).toEqual({ 'STS:AssumeRole': 1 });
    clients.destroy();
  });
});
