/**
 * Reusable seeding of monitoring chains into moto with the real SDK: a trail delivering to a
 * log group, and on that log group a metric filter, an alarm and a topic per check. The demo,
 * the integration tests and the benchmark (many synthetic accounts) build on these.
 * Only ever pointed at moto.
 */
import { CreateTrailCommand, PutEventSelectorsCommand, StartLoggingCommand, type EventSelector } from '@aws-sdk/client-cloudtrail';
import { PutMetricAlarmCommand, type ComparisonOperator, type Statistic } from '@aws-sdk/client-cloudwatch';
import { CreateLogGroupCommand, PutMetricFilterCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateBucketCommand, type BucketLocationConstraint } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SetTopicAttributesCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import pLimit from 'p-limit';
import type { AccountSession, AwsClients } from '../aws/clients';
import { CHECK_SLUGS, checkDefinition, type CheckSlug } from '../controls';
import { REFERENCE_PATTERNS_V4 } from './patterns';

/** Calls in flight at once while seeding one account. */
const SEED_CONCURRENCY = 8;

function alreadyExists(error: unknown): boolean {
  const name = (error as Error)?.name ?? '';
  return name === 'ResourceAlreadyExistsException' || name === 'BucketAlreadyOwnedByYou' || name === 'BucketAlreadyExists';
}

async function ignoringExisting(call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (error) {
    if (!alreadyExists(error)) throw error;
  }
}

export function logGroupArnOf(accountId: string, region: string, logGroupName: string): string {
  return `arn:aws:logs:${region}:${accountId}:log-group:${logGroupName}`;
}

export async function seedLogGroup(clients: AwsClients, session: AccountSession, region: string, logGroupName: string): Promise<string> {
  await ignoringExisting(() => clients.cloudWatchLogs(session, region).send(new CreateLogGroupCommand({ logGroupName })));
  return logGroupArnOf(session.accountId, region, logGroupName);
}

export interface SeedTrailOptions {
  readonly name: string;
  readonly homeRegion: string;
  /** Default true. */
  readonly multiRegion?: boolean;
  /** Default false. */
  readonly organization?: boolean;
  /** Default true: StartLogging after creation. */
  readonly logging?: boolean;
  /** Default true. */
  readonly includeGlobalServiceEvents?: boolean;
  /** A log group in the home region (created when missing) the trail delivers to; S3 only when absent. */
  readonly logGroupName?: string;
  /** Default: all management events, read and write. */
  readonly eventSelectors?: EventSelector[];
}

export interface SeededTrail {
  readonly arn: string;
  readonly name: string;
  readonly homeRegion: string;
  readonly bucketName: string;
  /** As DescribeTrails shows it, ending in ':*'. */
  readonly cloudWatchLogsLogGroupArn?: string;
  /** Without ':*': the key of the inventory's logGroups. */
  readonly logGroupArn?: string;
}

export async function seedTrail(clients: AwsClients, session: AccountSession, options: SeedTrailOptions): Promise<SeededTrail> {
  const { name, homeRegion } = options;
  const accountId = session.accountId;
  const bucketName = `trailwatch-demo-${accountId}-${homeRegion}-${name}`.toLowerCase().slice(0, 63);
  await ignoringExisting(() =>
    clients.s3(session, homeRegion).send(
      new CreateBucketCommand({
        Bucket: bucketName,
        ...(homeRegion === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: homeRegion as BucketLocationConstraint } }),
      }),
    ),
  );
  const logGroupArn = options.logGroupName ? await seedLogGroup(clients, session, homeRegion, options.logGroupName) : undefined;
  const cloudWatchLogsLogGroupArn = logGroupArn ? `${logGroupArn}:*` : undefined;
  const cloudTrail = clients.cloudTrail(session, homeRegion);
  const created = await cloudTrail.send(
    new CreateTrailCommand({
      Name: name,
      S3BucketName: bucketName,
      IsMultiRegionTrail: options.multiRegion ?? true,
      IsOrganizationTrail: options.organization ?? false,
      IncludeGlobalServiceEvents: options.includeGlobalServiceEvents ?? true,
      ...(cloudWatchLogsLogGroupArn
        ? { CloudWatchLogsLogGroupArn: cloudWatchLogsLogGroupArn, CloudWatchLogsRoleArn: `arn:aws:iam::${accountId}:role/CloudTrail_CloudWatchLogs_Role` }
        : {}),
    }),
  );
  await cloudTrail.send(
    new PutEventSelectorsCommand({
      TrailName: name,
      EventSelectors: options.eventSelectors ?? [{ ReadWriteType: 'All', IncludeManagementEvents: true }],
    }),
  );
  if (options.logging ?? true) await cloudTrail.send(new StartLoggingCommand({ Name: name }));
  return {
    arn: created.TrailARN ?? `arn:aws:cloudtrail:${homeRegion}:${accountId}:trail/${name}`,
    name,
    homeRegion,
    bucketName,
    ...(cloudWatchLogsLogGroupArn ? { cloudWatchLogsLogGroupArn, logGroupArn } : {}),
  };
}

/** How an alarm is set up; the defaults fire on one event and notify the chain's topic. */
export interface SeedAlarmOptions {
  /** Default true. */
  readonly actionsEnabled?: boolean;
  /** Default Sum. */
  readonly statistic?: Statistic;
  /** Default 300. */
  readonly period?: number;
  /** Default 1. */
  readonly threshold?: number;
  /** Default 1. */
  readonly evaluationPeriods?: number;
  /** Default 1. */
  readonly datapointsToAlarm?: number;
  /** Default GreaterThanOrEqualToThreshold. */
  readonly comparisonOperator?: ComparisonOperator;
  /** Default notBreaching. */
  readonly treatMissingData?: string;
  /** Watch this namespace instead of the filter's (to seed a near miss). */
  readonly namespace?: string;
  /** Notify these instead of the chain's topic. */
  readonly alarmActions?: string[];
  /** No alarm at all for the check. */
  readonly omit?: boolean;
}

export interface SeedSubscription {
  readonly protocol: string;
  readonly endpoint: string;
}

export interface SeedChainOptions {
  /** The log group the filters go on (created when missing), in `region`. */
  readonly logGroupName: string;
  /** Default: every check. */
  readonly checks?: readonly CheckSlug[];
  /** Per-check pattern instead of the CIS v4.0.0 reference pattern. */
  readonly patterns?: Partial<Record<CheckSlug, string>>;
  /** Filter and alarm names are `<prefix><check>`. Default 'cis-'. */
  readonly namePrefix?: string;
  /** Instead of the catalogue's namespace (CISBenchmark). */
  readonly metricNamespace?: string;
  /** For every alarm, then per check. */
  readonly alarm?: SeedAlarmOptions & { readonly perCheck?: Partial<Record<CheckSlug, SeedAlarmOptions>> };
  readonly topic?: {
    /** Default 'cis-alarms'. */
    readonly name?: string;
    /** Use this topic (e.g. one in another account) instead of creating one. */
    readonly arn?: string;
    /** Default one email subscription; [] for a topic nobody listens to. Ignored with `arn`. */
    readonly subscriptions?: readonly SeedSubscription[];
    /** Add a topic-policy statement letting CloudWatch publish. Default true. Ignored with `arn`. */
    readonly allowCloudWatch?: boolean;
  };
}

export interface SeededCheck {
  readonly filterName: string;
  readonly pattern: string;
  readonly metricName: string;
  readonly metricNamespace: string;
  readonly alarmName?: string;
  readonly alarmArn?: string;
}

export interface SeededChain {
  readonly accountId: string;
  readonly region: string;
  readonly logGroupName: string;
  readonly logGroupArn: string;
  readonly topicArn: string;
  readonly subscriptions: readonly SeedSubscription[];
  readonly checks: Partial<Record<CheckSlug, SeededCheck>>;
}

export const DEFAULT_SUBSCRIPTIONS: readonly SeedSubscription[] = [{ protocol: 'email', endpoint: 'security@example.com' }];

function topicPolicy(topicArn: string, accountId: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'OwnerManages',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${accountId}:root` },
        Action: ['SNS:GetTopicAttributes', 'SNS:SetTopicAttributes', 'SNS:Subscribe', 'SNS:ListSubscriptionsByTopic', 'SNS:Publish'],
        Resource: topicArn,
      },
      {
        Sid: 'CloudWatchAlarmsPublish',
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'SNS:Publish',
        Resource: topicArn,
      },
    ],
  });
}

async function seedTopic(clients: AwsClients, session: AccountSession, region: string, options: SeedChainOptions['topic'] = {}) {
  if (options.arn) return { topicArn: options.arn, subscriptions: [] as readonly SeedSubscription[] };
  const sns = clients.sns(session, region);
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: options.name ?? 'cis-alarms' }));
  const topicArn = TopicArn as string;
  if (options.allowCloudWatch ?? true) {
    await sns.send(
      new SetTopicAttributesCommand({ TopicArn: topicArn, AttributeName: 'Policy', AttributeValue: topicPolicy(topicArn, session.accountId) }),
    );
  }
  const subscriptions = options.subscriptions ?? DEFAULT_SUBSCRIPTIONS;
  for (const s of subscriptions) await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: s.protocol, Endpoint: s.endpoint }));
  return { topicArn, subscriptions };
}

/** Seeds, in one account and region, a filter and an alarm per check on a log group, and the topic they notify. */
export async function seedChain(clients: AwsClients, session: AccountSession, region: string, options: SeedChainOptions): Promise<SeededChain> {
  const checks = options.checks ?? CHECK_SLUGS;
  const prefix = options.namePrefix ?? 'cis-';
  const logGroupArn = await seedLogGroup(clients, session, region, options.logGroupName);
  const { topicArn, subscriptions } = await seedTopic(clients, session, region, options.topic);
  const logs = clients.cloudWatchLogs(session, region);
  const cloudWatch = clients.cloudWatch(session, region);
  const limit = pLimit(SEED_CONCURRENCY);
  const seeded: Partial<Record<CheckSlug, SeededCheck>> = {};

  await Promise.all(
    checks.map((check) =>
      limit(async () => {
        const filterName = `${prefix}${check}`;
        const pattern = options.patterns?.[check] ?? REFERENCE_PATTERNS_V4[check];
        const metric = checkDefinition(check).metric;
        const metricName = metric.name;
        const metricNamespace = options.metricNamespace ?? metric.namespace;
        await logs.send(
          new PutMetricFilterCommand({
            logGroupName: options.logGroupName,
            filterName,
            filterPattern: pattern,
            metricTransformations: [{ metricName, metricNamespace, metricValue: '1' }],
          }),
        );
        const alarm = { ...options.alarm, ...options.alarm?.perCheck?.[check] };
        if (alarm.omit) {
          seeded[check] = { filterName, pattern, metricName, metricNamespace };
          return;
        }
        const alarmName = `${prefix}${check}`;
        await cloudWatch.send(
          new PutMetricAlarmCommand({
            AlarmName: alarmName,
            MetricName: metricName,
            Namespace: alarm.namespace ?? metricNamespace,
            Statistic: alarm.statistic ?? 'Sum',
            Period: alarm.period ?? 300,
            EvaluationPeriods: alarm.evaluationPeriods ?? 1,
            DatapointsToAlarm: alarm.datapointsToAlarm ?? 1,
            Threshold: alarm.threshold ?? 1,
            ComparisonOperator: alarm.comparisonOperator ?? 'GreaterThanOrEqualToThreshold',
            TreatMissingData: alarm.treatMissingData ?? 'notBreaching',
            ActionsEnabled: alarm.actionsEnabled ?? true,
            AlarmActions: alarm.alarmActions ?? [topicArn],
          }),
        );
        const alarmArn = `arn:aws:cloudwatch:${region}:${session.accountId}:alarm:${alarmName}`;
        seeded[check] = { filterName, pattern, metricName, metricNamespace, alarmName, alarmArn };
      }),
    ),
  );
  // Insertion order follows `checks`, not completion order.
  const ordered: Partial<Record<CheckSlug, SeededCheck>> = {};
  for (const check of checks) if (seeded[check]) ordered[check] = seeded[check];
  return { accountId: session.accountId, region, logGroupName: options.logGroupName, logGroupArn, topicArn, subscriptions, checks: ordered };
}
