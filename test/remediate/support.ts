/** Sessions, seeding and read-back helpers for remediation tests against moto. */
import {
  DescribeAlarmsCommand,
  type CloudWatchClient,
  ListTagsForResourceCommand as ListAlarmTagsCommand,
  PutMetricAlarmCommand,
  type MetricAlarm,
} from '@aws-sdk/client-cloudwatch';
import { CreateLogGroupCommand, DescribeMetricFiltersCommand, PutMetricFilterCommand, type MetricFilter } from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateTopicCommand,
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListTagsForResourceCommand as ListTopicTagsCommand,
  ListTopicsCommand,
} from '@aws-sdk/client-sns';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import type { AccountSession, AwsClients } from '../../src/aws/clients';
import { OWN } from './fixtures';

/** The scanner's own account uses its own credentials; any other is reached through AssumeRole, as discovery does. */
export function sessions(clients: AwsClients): (accountId: string) => Promise<AccountSession> {
  const cache = new Map<string, AccountSession>();
  return async (accountId) => {
    if (accountId === OWN) return { accountId };
    const cached = cache.get(accountId);
    if (cached) return cached;
    const out = await clients.sts({ accountId: OWN }, 'us-east-1').send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/trailwatch`, RoleSessionName: 'trailwatch' }),
    );
    const c = out.Credentials!;
    const session = { accountId, credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! } };
    cache.set(accountId, session);
    return session;
  };
}

export interface AccountState {
  readonly filters: MetricFilter[];
  readonly alarms: (MetricAlarm & { tags: Record<string, string> })[];
  readonly topics: { arn: string; tags: Record<string, string>; policy?: string; subscriptions: { protocol?: string; endpoint?: string }[] }[];
}

/** Everything remediation may touch in one account and region, read back for assertions. */
export async function readState(clients: AwsClients, session: AccountSession, region: string, logGroupName = 'cloudtrail'): Promise<AccountState> {
  const filters = (await clients.cloudWatchLogs(session, region).send(new DescribeMetricFiltersCommand({ logGroupName }))).metricFilters ?? [];
  const cw = clients.cloudWatch(session, region);
  const alarms = await Promise.all(
    ((await cw.send(new DescribeAlarmsCommand({}))).MetricAlarms ?? []).map(async (a) => {
      const tags = (await cw.send(new ListAlarmTagsCommand({ ResourceARN: a.AlarmArn }))).Tags ?? [];
      return { ...a, tags: Object.fromEntries(tags.map((t) => [t.Key, t.Value])) };
    }),
  );
  const sns = clients.sns(session, region);
  const topics = await Promise.all(
    ((await sns.send(new ListTopicsCommand({}))).Topics ?? []).map(async ({ TopicArn }) => {
      const tags = (await sns.send(new ListTopicTagsCommand({ ResourceArn: TopicArn }))).Tags ?? [];
      const attributes = (await sns.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes ?? {};
      const subscriptions = (await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }))).Subscriptions ?? [];
      return {
        arn: TopicArn!,
        tags: Object.fromEntries(tags.map((t) => [t.Key, t.Value])),
        policy: attributes.Policy,
        subscriptions: subscriptions.map((s) => ({ protocol: s.Protocol, endpoint: s.Endpoint })),
      };
    }),
  );
  return { filters, alarms, topics };
}

export async function createLogGroup(clients: AwsClients, session: AccountSession, region: string, name = 'cloudtrail'): Promise<void> {
  await clients.cloudWatchLogs(session, region).send(new CreateLogGroupCommand({ logGroupName: name }));
}

/** A person's own filter, alarm and topic on the trail's log group, in the CIS walkthrough's style. */
export async function seedUserChain(clients: AwsClients, session: AccountSession, region: string, pattern: string): Promise<string> {
  const topic = await clients.sns(session, region).send(new CreateTopicCommand({ Name: 'security' }));
  await clients.cloudWatchLogs(session, region).send(
    new PutMetricFilterCommand({
      logGroupName: 'cloudtrail',
      filterName: 'root-usage',
      filterPattern: pattern,
      metricTransformations: [{ metricName: 'RootUsage', metricNamespace: 'CISBenchmark', metricValue: '1' }],
    }),
  );
  await clients.cloudWatch(session, region).send(
    new PutMetricAlarmCommand({
      AlarmName: 'root-usage',
      MetricName: 'RootUsage',
      Namespace: 'CISBenchmark',
      Statistic: 'Sum',
      Period: 300,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      ActionsEnabled: false,
      AlarmActions: [topic.TopicArn!],
    }),
  );
  return topic.TopicArn!;
}

/**
 * moto 5.2.1 has no EnableAlarmActions: answer it on this client the way AWS does, by re-putting
 * each named alarm exactly as stored with ActionsEnabled true.
 */
export function emulateEnableAlarmActions(cloudWatch: CloudWatchClient): void {
  cloudWatch.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'EnableAlarmActionsCommand') return next(args);
      const names = (args.input as { AlarmNames?: string[] }).AlarmNames ?? [];
      const alarms = (await cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: names }))).MetricAlarms ?? [];
      for (const a of alarms) {
        await cloudWatch.send(
          new PutMetricAlarmCommand({
            AlarmName: a.AlarmName,
            AlarmDescription: a.AlarmDescription,
            MetricName: a.MetricName,
            Namespace: a.Namespace,
            Dimensions: a.Dimensions,
            Statistic: a.Statistic,
            Period: a.Period,
            EvaluationPeriods: a.EvaluationPeriods,
            DatapointsToAlarm: a.DatapointsToAlarm,
            Threshold: a.Threshold,
            ComparisonOperator: a.ComparisonOperator,
            TreatMissingData: a.TreatMissingData,
            AlarmActions: a.AlarmActions,
            OKActions: a.OKActions,
            InsufficientDataActions: a.InsufficientDataActions,
            ActionsEnabled: true,
          }),
        );
      }
      return { output: { $metadata: {} }, response: {} } as never;
    },
    { step: 'initialize', name: 'emulateEnableAlarmActions' },
  );
}
