/**
 * One account's inventory: what AWS said about the links of the monitoring chain, as plain
 * JSON-serialisable data, with nothing decided yet. `collect` fills it; `evaluate` judges it.
 * Field names follow the AWS API shapes in camelCase.
 */

export const INVENTORY_FORMAT_VERSION = 1 as const;

/** Why something could not be read. */
export type ReadErrorCode = 'AccessDenied' | 'Throttled' | 'NotEnabled' | 'NotFound' | 'Timeout' | 'Other';

/** What could not be read, and why, per item; the evaluator turns a needed one into ERROR. */
export interface ReadError {
  /** The kind of read that failed. */
  readonly scope:
    | 'account'
    | 'regions'
    | 'trails'
    | 'trailStatus'
    | 'eventSelectors'
    | 'metricFilters'
    | 'alarms'
    | 'topic'
    | 'subscriptions'
    | 'resourcePolicy';
  /** The resource it concerned: a trail, log group or topic ARN, or a region name. */
  readonly resource?: string;
  readonly region?: string;
  readonly code: ReadErrorCode;
  readonly message: string;
}

export interface BasicEventSelector {
  readonly readWriteType?: 'ReadOnly' | 'WriteOnly' | 'All';
  readonly includeManagementEvents?: boolean;
  readonly excludeManagementEventSources?: string[];
  readonly dataResources?: { type?: string; values?: string[] }[];
}

export interface AdvancedFieldSelector {
  readonly field: string;
  readonly equals?: string[];
  readonly startsWith?: string[];
  readonly endsWith?: string[];
  readonly notEquals?: string[];
  readonly notStartsWith?: string[];
  readonly notEndsWith?: string[];
}

export interface AdvancedEventSelector {
  readonly name?: string;
  readonly fieldSelectors: AdvancedFieldSelector[];
}

export interface TrailRecord {
  readonly arn: string;
  readonly name: string;
  readonly homeRegion: string;
  /** The account that owns the trail (from its ARN): differs from the inventory's for organization trails seen from a member. */
  readonly ownerAccountId: string;
  readonly isMultiRegionTrail?: boolean;
  readonly isOrganizationTrail?: boolean;
  readonly includeGlobalServiceEvents?: boolean;
  /** The CloudWatch Logs log group ARN the trail delivers to (as DescribeTrails gives it, possibly ending in ':*'). */
  readonly cloudWatchLogsLogGroupArn?: string;
  readonly cloudWatchLogsRoleArn?: string;
  /** GetTrailStatus; absent when it was not read (see readErrors). */
  readonly status?: {
    readonly isLogging: boolean;
    readonly latestCloudWatchLogsDeliveryError?: string;
    readonly latestCloudWatchLogsDeliveryTime?: string;
  };
  /** GetEventSelectors; absent when it was not read (see readErrors). Exactly one of the two is set by AWS. */
  readonly eventSelectors?: BasicEventSelector[];
  readonly advancedEventSelectors?: AdvancedEventSelector[];
}

export interface MetricTransformation {
  readonly metricName: string;
  readonly metricNamespace: string;
  /** As AWS stores it: a number as text ("1") or a `$.field` reference. */
  readonly metricValue: string;
  readonly defaultValue?: number;
  readonly dimensions?: Record<string, string>;
  readonly unit?: string;
}

export interface MetricFilterRecord {
  readonly name: string;
  readonly logGroupName: string;
  readonly pattern: string;
  readonly transformations: MetricTransformation[];
}

/** A log group a trail delivers to, keyed by its ARN without the ':*' suffix. */
export interface LogGroupRecord {
  readonly arn: string;
  readonly name: string;
  readonly region: string;
  readonly accountId: string;
  /** Absent when DescribeMetricFilters could not be read (see readErrors). */
  readonly metricFilters?: MetricFilterRecord[];
}

export interface MetricDimension {
  readonly name: string;
  readonly value: string;
}

/** One entry of a metric-math alarm's Metrics list. */
export interface MetricDataQueryRecord {
  readonly id: string;
  readonly expression?: string;
  readonly label?: string;
  readonly returnData?: boolean;
  readonly period?: number;
  readonly metricStat?: {
    readonly metricName: string;
    readonly namespace: string;
    readonly dimensions: MetricDimension[];
    readonly period: number;
    readonly stat: string;
    readonly unit?: string;
  };
}

export interface AlarmRecord {
  readonly name: string;
  readonly arn: string;
  readonly region: string;
  readonly metricName?: string;
  readonly namespace?: string;
  readonly dimensions: MetricDimension[];
  /** Set for metric-math alarms instead of metricName/namespace. */
  readonly metrics?: MetricDataQueryRecord[];
  readonly statistic?: string;
  readonly extendedStatistic?: string;
  readonly period?: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm?: number;
  readonly threshold?: number;
  readonly comparisonOperator: string;
  readonly treatMissingData?: string;
  readonly actionsEnabled: boolean;
  readonly alarmActions: string[];
  /** OK, ALARM or INSUFFICIENT_DATA when read: an alarm notifies only when its state changes. */
  readonly stateValue?: string;
  /** When the state last changed (ISO 8601). */
  readonly stateUpdatedTimestamp?: string;
}

export interface SubscriptionRecord {
  /** As ListSubscriptionsByTopic returns it: 'PendingConfirmation' while unconfirmed. */
  readonly subscriptionArn: string;
  readonly protocol: string;
  /** Redacted where it enters trailwatch (collect/endpoints.ts): never a whole URL, address or number. */
  readonly endpoint: string;
  /** `sha256:<hex>` of the endpoint as SNS holds it, when redaction changed it. */
  readonly endpointSha256?: string;
  readonly owner?: string;
}

export interface TopicRecord {
  readonly arn: string;
  readonly region: string;
  readonly accountId: string;
  /** False when GetTopicAttributes said NotFound. */
  readonly exists: boolean;
  /** The topic policy as JSON text, when set. */
  readonly policy?: string;
  readonly kmsMasterKeyId?: string;
  /** Absent when ListSubscriptionsByTopic could not be read (see readErrors). */
  readonly subscriptions?: SubscriptionRecord[];
}

export type ResourcePolicyKind = 'sqs' | 'lambda' | 'kms';

/**
 * A queue or function a topic's confirmed subscription delivers to, or a KMS key a topic or such
 * a queue is encrypted with, read for its resource policy.
 */
export interface ResourcePolicyRecord {
  /** As the chain names it: the subscription endpoint, or the key as an ARN (a key or an alias). */
  readonly arn: string;
  readonly kind: ResourcePolicyKind;
  /** False when AWS said it does not exist; absent when the read cannot tell (GetPolicy answers alike for no function and no policy). */
  readonly exists?: boolean;
  /** The resource policy as JSON text; absent when it has none. */
  readonly policy?: string;
  /** KMS: the key the ARN names (an alias resolved), who manages it (CUSTOMER or AWS) and its state. */
  readonly key?: { readonly arn: string; readonly manager?: string; readonly state?: string };
  /** SQS: the queue's KMS key, when it is encrypted with one (SSE-KMS). */
  readonly kmsMasterKeyId?: string;
}

export interface AccountInventory {
  readonly formatVersion: typeof INVENTORY_FORMAT_VERSION;
  readonly accountId: string;
  readonly collectedAt: string;
  /** The regions in scope for this account: enabled and selected. */
  readonly regions: string[];
  /** Selected regions not enabled for this account: skipped with a note, not an error. */
  readonly regionsNotEnabled?: string[];
  /** Every trail ListTrails returned, including organization trails owned by another account. */
  readonly trails: TrailRecord[];
  /** Log groups the account's own trails deliver to, by ARN (without ':*'). */
  readonly logGroups: Record<string, LogGroupRecord>;
  /** Alarms per region, for the regions of those log groups. */
  readonly alarms: Record<string, AlarmRecord[]>;
  /** Topics the alarms notify that live in this account, by ARN. */
  readonly topics: Record<string, TopicRecord>;
  /** Queues, functions and keys of this account that the scan's topics depend on, by ARN. */
  readonly resourcePolicies?: Record<string, ResourcePolicyRecord>;
  readonly readErrors: ReadError[];
  /** API calls made to collect this inventory, by "service:Operation". */
  readonly apiCalls?: Record<string, number>;
  /**
   * Set for a member that was not read: the organization trail of this owner settles every check
   * (src/evaluate/organization-coverage.ts). The inventory then holds nothing of the member's own.
   */
  readonly judgedThrough?: { readonly organizationTrailOwner: string; readonly trails: string[] };
}

/** What the organization looks like, for crediting organization trails to members. */
export interface OrganizationContext {
  readonly managementAccountId?: string;
  readonly memberAccountIds: string[];
  /** Each account's root and organizational units, outermost first, when discovery read them (for exceptions naming OUs). */
  readonly accountParents?: Record<string, string[]>;
}
