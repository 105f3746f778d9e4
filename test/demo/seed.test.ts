import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeMetricFiltersCommand } from '@aws-sdk/client-cloudwatch-logs';
import { ListTopicsCommand } from '@aws-sdk/client-sns';
import { DescribeTrailsCommand, GetTrailStatusCommand } from '@aws-sdk/client-cloudtrail';
import type { AwsClients } from '../../src/aws/clients';
import { seedChain, seedTrail } from '../../src/demo';
import { motoClients, useMoto } from '../support/moto';

const ACCOUNT = { accountId: '123456789012' };

describe('seedChain and seedTrail', () => {
  useMoto();
  let clients: AwsClients;
  beforeEach(() => {
    clients = motoClients();
  });
  afterEach(() => clients.destroy());

  it('seeds a filter per check and skips the alarm of a check marked omit', async () => {
    // Act
    const chain = await seedChain(clients, ACCOUNT, 'eu-west-1', {
      logGroupName: 'logs',
      checks: ['root_usage', 'vpc_changes'],
      alarm: { threshold: 5, perCheck: { vpc_changes: { omit: true } } },
    });
    // Assess
    const filters = await clients.cloudWatchLogs(ACCOUNT, 'eu-west-1').send(new DescribeMetricFiltersCommand({ logGroupName: 'logs' }));
    const alarms = await clients.cloudWatch(ACCOUNT, 'eu-west-1').send(new DescribeAlarmsCommand({}));
    expect(filters.metricFilters?.map((f) => f.filterName).sort()).toEqual(['cis-root_usage', 'cis-vpc_changes']);
    expect(alarms.MetricAlarms?.map((a) => [a.AlarmName, a.Threshold, a.AlarmActions])).toEqual([['cis-root_usage', 5, [chain.topicArn]]]);
    expect(chain.checks.vpc_changes?.alarmName).toBeUndefined();
    expect(chain.checks.root_usage?.alarmArn).toBe('arn:aws:cloudwatch:eu-west-1:123456789012:alarm:cis-root_usage');
  });

  it('points the alarms at a given topic without creating one', async () => {
    // Act
    const chain = await seedChain(clients, ACCOUNT, 'us-east-1', {
      logGroupName: 'logs',
      checks: ['root_usage'],
      topic: { arn: 'arn:aws:sns:us-east-1:999999999999:central' },
    });
    // Assess
    const topics = await clients.sns(ACCOUNT, 'us-east-1').send(new ListTopicsCommand({}));
    expect(topics.Topics ?? []).toEqual([]);
    expect(chain.topicArn).toBe('arn:aws:sns:us-east-1:999999999999:central');
  });

  it('seeds a trail that is not logging when asked', async () => {
    // Act
    const trail = await seedTrail(clients, ACCOUNT, { name: 'stopped', homeRegion: 'eu-west-1', logging: false, multiRegion: false, logGroupName: 'stopped' });
    // Assess
    const cloudTrail = clients.cloudTrail(ACCOUNT, 'eu-west-1');
    const status = await cloudTrail.send(new GetTrailStatusCommand({ Name: trail.arn }));
    const { trailList } = await cloudTrail.send(new DescribeTrailsCommand({ includeShadowTrails: false }));
    expect(status.IsLogging).toBe(false);
    expect(trailList?.[0]).toMatchObject({ Name: 'stopped', IsMultiRegionTrail: false, CloudWatchLogsLogGroupArn: 'arn:aws:logs:eu-west-1:123456789012:log-group:stopped:*' });
  });
});
