/**
 * Inventory and finding fixtures for remediation tests, shaped as the collector and the evaluator
 * produce them.
 */
import type { AccountInventory, AlarmRecord, MetricFilterRecord, TopicRecord, TrailRecord } from '../../src/collect/inventory';
import type { CheckSlug } from '../../src/controls/types';
import type { BrokenLink, Finding, FindingEvidence } from '../../src/evaluate/types';
import { catalogueReferences, type ReferenceLookup } from '../../src/remediate';

export const MANAGEMENT = '111111111111';
export const MEMBER = '222222222222';
export const STANDALONE = '333333333333';
export const OWN = '123456789012';

/** The catalogue's references in the default benchmark (cis-aws-v4.0.0). */
export const references: ReferenceLookup = catalogueReferences('cis-aws-v4.0.0');

export function logGroupArn(accountId: string, region: string, name: string): string {
  return `arn:aws:logs:${region}:${accountId}:log-group:${name}`;
}

export function trail(accountId: string, overrides: Partial<TrailRecord> = {}): TrailRecord {
  const homeRegion = overrides.homeRegion ?? 'us-east-1';
  const name = overrides.name ?? 'main';
  return {
    arn: `arn:aws:cloudtrail:${homeRegion}:${accountId}:trail/${name}`,
    name,
    homeRegion,
    ownerAccountId: accountId,
    isMultiRegionTrail: true,
    isOrganizationTrail: false,
    includeGlobalServiceEvents: true,
    cloudWatchLogsLogGroupArn: `${logGroupArn(accountId, homeRegion, 'cloudtrail')}:*`,
    cloudWatchLogsRoleArn: `arn:aws:iam::${accountId}:role/cloudtrail-logs`,
    status: { isLogging: true },
    eventSelectors: [{ readWriteType: 'All', includeManagementEvents: true }],
    ...overrides,
  };
}

export function inventory(
  accountId: string,
  options: {
    trails?: TrailRecord[];
    filters?: MetricFilterRecord[];
    alarms?: AlarmRecord[];
    topics?: TopicRecord[];
    region?: string;
    logGroupName?: string;
  } = {},
): AccountInventory {
  const region = options.region ?? 'us-east-1';
  const logGroupName = options.logGroupName ?? 'cloudtrail';
  const trails = options.trails ?? [trail(accountId)];
  const ownsLogGroup = trails.some((t) => t.ownerAccountId === accountId && t.cloudWatchLogsLogGroupArn);
  const arn = logGroupArn(accountId, region, logGroupName);
  return {
    formatVersion: 1,
    accountId,
    collectedAt: '2025-01-01T00:00:00.000Z',
    regions: ['us-east-1', 'eu-west-1'],
    trails,
    logGroups: ownsLogGroup ? { [arn]: { arn, name: logGroupName, region, accountId, metricFilters: options.filters ?? [] } } : {},
    alarms: { [region]: options.alarms ?? [] },
    topics: Object.fromEntries((options.topics ?? []).map((t) => [t.arn, t])),
    readErrors: [],
  };
}

export function finding(
  accountId: string,
  check: CheckSlug,
  brokenLink: BrokenLink | null,
  options: { status?: Finding['status']; evidence?: FindingEvidence; reason?: string } = {},
): Finding {
  const status = options.status ?? (brokenLink === null ? 'PASS' : 'FAIL');
  return {
    accountId,
    check,
    control: references(check)?.control ?? '4.0',
    status,
    coveredRegions: status === 'PASS' ? ['us-east-1', 'eu-west-1'] : [],
    uncoveredRegions: status === 'PASS' ? [] : ['us-east-1', 'eu-west-1'],
    brokenLink: status === 'PASS' ? null : brokenLink,
    reason: options.reason ?? (status === 'PASS' ? 'the chain works' : `the ${brokenLink ?? 'chain'} is broken`),
    evidence: options.evidence ?? {},
  };
}

export function userFilter(name: string, pattern: string, logGroupName = 'cloudtrail'): MetricFilterRecord {
  return {
    name,
    logGroupName,
    pattern,
    transformations: [{ metricName: name, metricNamespace: 'CISBenchmark', metricValue: '1' }],
  };
}

export function alarm(accountId: string, name: string, overrides: Partial<AlarmRecord> = {}): AlarmRecord {
  const region = overrides.region ?? 'us-east-1';
  return {
    name,
    arn: `arn:aws:cloudwatch:${region}:${accountId}:alarm:${name}`,
    region,
    metricName: name,
    namespace: 'CISBenchmark',
    dimensions: [],
    statistic: 'Sum',
    period: 300,
    evaluationPeriods: 1,
    threshold: 1,
    comparisonOperator: 'GreaterThanOrEqualToThreshold',
    actionsEnabled: true,
    alarmActions: [`arn:aws:sns:${region}:${accountId}:security`],
    ...overrides,
  };
}

export function topic(arn: string, overrides: Partial<TopicRecord> = {}): TopicRecord {
  const [, , , region = 'us-east-1', accountId = OWN] = arn.split(':');
  return { arn, region, accountId, exists: true, subscriptions: [], ...overrides };
}
