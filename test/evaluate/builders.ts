/**
 * Small builders for inventory fixtures: a complete, working chain per check (what the JSON
 * fixtures were made from), records with sensible defaults, and `edit` to change a copy of a
 * fixture in place so each test shows only what it breaks.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  AccountInventory,
  AlarmRecord,
  OrganizationContext,
  LogGroupRecord,
  MetricFilterRecord,
  SubscriptionRecord,
  TopicRecord,
  TrailRecord,
} from '../../src/collect/inventory';
import { parseInventoryFile } from '../../src/collect/inventory-file';
import { controlsFor } from '../../src/controls';
import type { BenchmarkId, CheckSlug } from '../../src/controls/types';
import { evaluate, type Finding } from '../../src/evaluate';

type Draft<T> = T extends readonly (infer U)[] ? Draft<U>[] : T extends object ? { -readonly [K in keyof T]: Draft<T[K]> } : T;

/** A changed deep copy: `edit(fixture, (draft) => { alarm(draft, 'root-usage').actionsEnabled = false; })`. */
export function edit<T>(value: T, change: (draft: Draft<T>) => void): T {
  const draft = structuredClone(value) as Draft<T>;
  change(draft);
  return draft as T;
}

export function loadFixture(name: string): AccountInventory[] {
  return parseInventoryFile(readFileSync(join(__dirname, 'fixtures', `${name}.json`), 'utf8'));
}

export function dashed(slug: CheckSlug): string {
  return slug.replace(/_/g, '-');
}

export function trailArn(accountId: string, region: string, name: string): string {
  return `arn:aws:cloudtrail:${region}:${accountId}:trail/${name}`;
}

export function logGroupArn(accountId: string, region: string, name: string): string {
  return `arn:aws:logs:${region}:${accountId}:log-group:${name}`;
}

export function topicArn(accountId: string, region: string, name: string): string {
  return `arn:aws:sns:${region}:${accountId}:${name}`;
}

export function defaultTopicPolicy(arn: string, ownerAccountId: string): string {
  return JSON.stringify({
    Version: '2008-10-17',
    Id: '__default_policy_ID',
    Statement: [
      {
        Sid: '__default_statement_ID',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: ['SNS:GetTopicAttributes', 'SNS:SetTopicAttributes', 'SNS:AddPermission', 'SNS:RemovePermission', 'SNS:DeleteTopic', 'SNS:Subscribe', 'SNS:ListSubscriptionsByTopic', 'SNS:Publish'],
        Resource: arn,
        Condition: { StringEquals: { 'AWS:SourceOwner': ownerAccountId } },
      },
    ],
  });
}

export function trail(options: { accountId: string; name: string; homeRegion: string; logGroup?: string; logGroupRegion?: string } & Partial<TrailRecord>): TrailRecord {
  const { accountId, name, homeRegion, logGroup, logGroupRegion, ...rest } = options;
  return {
    arn: trailArn(accountId, homeRegion, name),
    name,
    homeRegion,
    ownerAccountId: accountId,
    isMultiRegionTrail: true,
    isOrganizationTrail: false,
    includeGlobalServiceEvents: true,
    ...(logGroup !== undefined
      ? {
          cloudWatchLogsLogGroupArn: `${logGroupArn(accountId, logGroupRegion ?? homeRegion, logGroup)}:*`,
          cloudWatchLogsRoleArn: `arn:aws:iam::${accountId}:role/CloudTrail_CloudWatchLogs_Role`,
        }
      : {}),
    status: { isLogging: true, latestCloudWatchLogsDeliveryTime: '2025-01-15T10:00:00.000Z' },
    eventSelectors: [{ readWriteType: 'All', includeManagementEvents: true, excludeManagementEventSources: [], dataResources: [] }],
    ...rest,
  };
}

export function metricFilter(options: { name: string; logGroupName: string; pattern: string; metricName: string } & Partial<MetricFilterRecord>): MetricFilterRecord {
  const { name, logGroupName, pattern, metricName, ...rest } = options;
  return { name, logGroupName, pattern, transformations: [{ metricName, metricNamespace: 'CISBenchmark', metricValue: '1' }], ...rest };
}

export function alarm(options: { accountId: string; region: string; name: string; metricName: string; topicArns: string[] } & Partial<AlarmRecord>): AlarmRecord {
  const { accountId, region, name, metricName, topicArns, ...rest } = options;
  return {
    name,
    arn: `arn:aws:cloudwatch:${region}:${accountId}:alarm:${name}`,
    region,
    metricName,
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
    alarmActions: topicArns,
    ...rest,
  };
}

export function confirmedSubscription(arn: string, endpoint = 'security@example.com'): SubscriptionRecord {
  return { subscriptionArn: `${arn}:5f3c6a1e-8d2b-4c7a-9f10-2b3c4d5e6f70`, protocol: 'email', endpoint, owner: arn.split(':')[4] };
}

export function topic(options: { accountId: string; region: string; name: string } & Partial<TopicRecord>): TopicRecord {
  const { accountId, region, name, ...rest } = options;
  const arn = topicArn(accountId, region, name);
  return { arn, region, accountId, exists: true, policy: defaultTopicPolicy(arn, accountId), subscriptions: [confirmedSubscription(arn)], ...rest };
}

/** Filters and alarms for these checks, as remediation would create them: the reference pattern, the default metric, Sum >= 1. */
export function monitoringFor(options: { accountId: string; region: string; logGroupName: string; topicArn: string; benchmark: BenchmarkId; checks?: CheckSlug[] }): {
  filters: MetricFilterRecord[];
  alarms: AlarmRecord[];
} {
  const controls = controlsFor(options.benchmark, options.checks);
  return {
    filters: controls.map((control) =>
      metricFilter({ name: dashed(control.check), logGroupName: options.logGroupName, pattern: control.referencePattern, metricName: control.definition.metric.name }),
    ),
    alarms: controls.map((control) =>
      alarm({ accountId: options.accountId, region: options.region, name: dashed(control.check), metricName: control.definition.metric.name, topicArns: [options.topicArn] }),
    ),
  };
}

export function logGroup(options: { accountId: string; region: string; name: string; metricFilters?: MetricFilterRecord[] }): LogGroupRecord {
  return { arn: logGroupArn(options.accountId, options.region, options.name), name: options.name, region: options.region, accountId: options.accountId, metricFilters: options.metricFilters ?? [] };
}

export function inventory(options: { accountId: string; regions: string[] } & Partial<AccountInventory>): AccountInventory {
  const { accountId, regions, ...rest } = options;
  return { formatVersion: 1, accountId, collectedAt: '2025-01-15T12:00:00.000Z', regions, trails: [], logGroups: {}, alarms: {}, topics: {}, readErrors: [], ...rest };
}

/** An account with one trail and a complete chain for every check of the benchmark. */
export function healthyAccount(options: {
  accountId: string;
  regions: string[];
  benchmark?: BenchmarkId;
  trailName?: string;
  homeRegion?: string;
  logGroupName?: string;
  topicName?: string;
  organizationTrail?: boolean;
}): AccountInventory {
  const home = options.homeRegion ?? 'us-east-1';
  const groupName = options.logGroupName ?? 'cloudtrail-logs';
  const topicRecord = topic({ accountId: options.accountId, region: home, name: options.topicName ?? 'cis-alarms' });
  const monitoring = monitoringFor({ accountId: options.accountId, region: home, logGroupName: groupName, topicArn: topicRecord.arn, benchmark: options.benchmark ?? 'cis-aws-v4.0.0' });
  const group = logGroup({ accountId: options.accountId, region: home, name: groupName, metricFilters: monitoring.filters });
  return inventory({
    accountId: options.accountId,
    regions: options.regions,
    trails: [trail({ accountId: options.accountId, name: options.trailName ?? 'main', homeRegion: home, logGroup: groupName, isOrganizationTrail: options.organizationTrail ?? false })],
    logGroups: { [group.arn]: group },
    alarms: { [home]: monitoring.alarms },
    topics: { [topicRecord.arn]: topicRecord },
  });
}

// ---- finders for edits ----

function found<T>(item: T | undefined, what: string): T {
  if (item === undefined) throw new Error(`fixture has no ${what}`);
  return item;
}

export function findTrail<T extends { trails: readonly { name: string }[] }>(account: T, name: string): T['trails'][number] {
  return found(account.trails.find((candidate) => candidate.name === name), `trail ${name}`);
}

export function findAlarm<T extends { alarms: Record<string, readonly { name: string }[]> }>(account: T, name: string): NonNullable<T['alarms'][string]>[number] {
  return found(
    Object.values(account.alarms)
      .flat()
      .find((candidate) => candidate.name === name),
    `alarm ${name}`,
  ) as NonNullable<T['alarms'][string]>[number];
}

export function findLogGroup<T extends { logGroups: Record<string, { name: string }> }>(account: T, name: string): T['logGroups'][string] {
  return found(
    Object.values(account.logGroups).find((candidate) => candidate.name === name),
    `log group ${name}`,
  ) as T['logGroups'][string];
}

export function findFilter<T extends { logGroups: Record<string, { metricFilters?: readonly { name: string }[] }> }>(
  account: T,
  name: string,
): NonNullable<T['logGroups'][string]['metricFilters']>[number] {
  return found(
    Object.values(account.logGroups)
      .flatMap((group) => group.metricFilters ?? [])
      .find((candidate) => candidate.name === name),
    `filter ${name}`,
  ) as NonNullable<T['logGroups'][string]['metricFilters']>[number];
}

export function findTopic<T extends { topics: Record<string, { arn: string }> }>(account: T, name: string): T['topics'][string] {
  return found(
    Object.values(account.topics).find((candidate) => candidate.arn.endsWith(`:${name}`)),
    `topic ${name}`,
  ) as T['topics'][string];
}

// ---- evaluating one check ----

/** The finding of `accountId` (the first inventory's account by default) for one check. */
export function findingFor(
  inventories: AccountInventory | readonly AccountInventory[],
  check: CheckSlug,
  options: { benchmark?: BenchmarkId; accountId?: string; organization?: OrganizationContext; failedAccounts?: { accountId: string; error: string }[]; strictPatterns?: boolean } = {},
): Finding {
  const list = Array.isArray(inventories) ? (inventories as readonly AccountInventory[]) : [inventories as AccountInventory];
  const accountId = options.accountId ?? list[0]?.accountId;
  const findings = evaluate(list, {
    benchmark: options.benchmark ?? 'cis-aws-v4.0.0',
    checks: [check],
    ...(options.organization ? { organization: options.organization } : {}),
    ...(options.failedAccounts ? { failedAccounts: options.failedAccounts } : {}),
    ...(options.strictPatterns ? { strictPatterns: true } : {}),
  });
  const finding = findings.find((candidate) => candidate.accountId === accountId);
  if (!finding) throw new Error(`no finding for account ${accountId}`);
  return finding;
}

/** The healthy single-account fixture (account 111111111111, us-east-1 and eu-west-1, every v4.0.0 check complete). */
export function healthy(): AccountInventory {
  const [account] = loadFixture('single-account');
  if (!account) throw new Error('single-account fixture is empty');
  return account;
}
