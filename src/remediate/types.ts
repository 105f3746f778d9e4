/**
 * Shapes of remediation: the plan (pure data, what to create where and why), its outcomes when
 * applied, and the rollback that removes what trailwatch created.
 */
import type { AccountSession, AwsClients } from '../aws/clients';
import type { BenchmarkId, CheckSlug } from '../controls/types';
import type { BrokenLink } from '../evaluate/types';

/** What a check's own chain is built from: the pattern its filter gets and the metric it counts. */
export interface CheckReference {
  readonly pattern: string;
  readonly metricName: string;
  /** The control number in the selected benchmark, e.g. "4.3", for descriptions. */
  readonly control?: string;
  readonly title?: string;
}

/** The catalogue seen from remediation: a check's reference, or undefined when it has none. */
export type ReferenceLookup = (check: CheckSlug) => CheckReference | undefined;

export const SUBSCRIPTION_PROTOCOLS = ['email', 'https', 'sqs', 'lambda'] as const;
export type SubscriptionProtocol = (typeof SUBSCRIPTION_PROTOCOLS)[number];

/** Who the alert topic notifies. */
export interface AlertSubscription {
  readonly protocol: SubscriptionProtocol;
  readonly endpoint: string;
}

export interface RemediationOptions {
  /** Whose reference patterns the filters get; DEFAULT_BENCHMARK when absent. */
  readonly benchmark?: BenchmarkId;
  /** Overrides the catalogue's references (user-defined controls, tests). */
  readonly references?: ReferenceLookup;
  /** Only these accounts' findings (all when absent). */
  readonly accounts?: readonly string[];
  /** Only these checks (all when absent). */
  readonly checks?: readonly CheckSlug[];
  /** An existing topic to reuse for alarms in its own account and region; elsewhere trailwatch creates `topicName`. */
  readonly alertTopicArn?: string;
  /** The topic trailwatch creates where it has none to reuse; `trailwatch-alerts` by default. */
  readonly topicName?: string;
  /** The endpoint subscribed to the alert topic, when it is not already. */
  readonly subscription?: AlertSubscription;
  /** Re-enable the actions of a disabled alarm instead of adding trailwatch's own. */
  readonly fixAlarms?: boolean;
}

/** Fields every change has: where it acts, for which checks, and how a person could make it. */
interface ChangeBase {
  /** Stable within a plan: account, region, kind and the resource name. */
  readonly id: string;
  readonly accountId: string;
  readonly region: string;
  /** The checks this change serves. */
  readonly checks: CheckSlug[];
  /** The accounts whose findings it repairs (members of an organization trail included). */
  readonly forAccounts: string[];
  /** One line a person reads. */
  readonly summary: string;
  /** The same change as an AWS CLI command. */
  readonly cli: string;
  /** Things worth knowing about it (a queue policy to add, an alarm left alone). */
  readonly notes?: string[];
}

/**
 * Whose topic a change writes to: trailwatch's own (written only while it carries trailwatch's
 * tags) or the one the operator configured (--alert-topic, written as configured).
 */
export type TopicOwner = 'trailwatch' | 'configured';

export interface CreateTopicChange extends ChangeBase {
  readonly kind: 'createTopic';
  readonly topicName: string;
  readonly topicArn: string;
  readonly topicOwner: TopicOwner;
}

export interface AllowCloudWatchPublishChange extends ChangeBase {
  readonly kind: 'allowCloudWatchPublish';
  readonly topicArn: string;
  readonly topicOwner: TopicOwner;
}

export interface SubscribeChange extends ChangeBase {
  readonly kind: 'subscribe';
  readonly topicArn: string;
  readonly topicOwner: TopicOwner;
  readonly protocol: SubscriptionProtocol;
  readonly endpoint: string;
}

export interface PutMetricFilterChange extends ChangeBase {
  readonly kind: 'putMetricFilter';
  readonly check: CheckSlug;
  readonly logGroupName: string;
  readonly logGroupArn: string;
  readonly filterName: string;
  readonly pattern: string;
  readonly metricName: string;
  readonly metricNamespace: string;
}

export interface PutMetricAlarmChange extends ChangeBase {
  readonly kind: 'putMetricAlarm';
  readonly check: CheckSlug;
  readonly alarmName: string;
  readonly description: string;
  readonly metricName: string;
  readonly metricNamespace: string;
  readonly topicArn: string;
  readonly topicOwner: TopicOwner;
}

export interface EnableAlarmActionsChange extends ChangeBase {
  readonly kind: 'enableAlarmActions';
  readonly check: CheckSlug;
  readonly alarmName: string;
  readonly alarmArn: string;
}

export type Change =
  | CreateTopicChange
  | AllowCloudWatchPublishChange
  | SubscribeChange
  | PutMetricFilterChange
  | PutMetricAlarmChange
  | EnableAlarmActionsChange;

export type ChangeKind = Change['kind'];

/** What trailwatch will not do itself, with the exact steps for a person. */
export interface ManualItem {
  readonly id: string;
  readonly accountId: string;
  readonly region?: string;
  readonly checks: CheckSlug[];
  readonly forAccounts: string[];
  /** The link it concerns. */
  readonly link: BrokenLink;
  /** One sentence: what is wrong and why trailwatch leaves it to a person. */
  readonly title: string;
  /** In order; commands are AWS CLI lines with <placeholders> for what only a person knows. */
  readonly steps: string[];
}

/** A subscription that exists but waits for its owner to confirm it. */
export interface PendingSubscription {
  readonly accountId: string;
  readonly topicArn: string;
  readonly protocol: string;
  readonly endpoint: string;
  readonly checks: CheckSlug[];
}

/** A failing finding the plan does nothing about, and why. */
export interface SkippedFinding {
  readonly accountId: string;
  readonly check: CheckSlug;
  readonly reason: string;
}

export interface RemediationPlan {
  /** In the order they must be applied: per account and region, the topic first, then each check's filter and alarm. */
  readonly changes: Change[];
  readonly manual: ManualItem[];
  /** Subscriptions waiting for confirmation: already, or once this plan's email/https subscription is made. */
  readonly pending: PendingSubscription[];
  readonly skipped: SkippedFinding[];
  /** The failing findings the plan was made for, by account. */
  readonly failing: { readonly accountId: string; readonly check: CheckSlug }[];
}

export const ChangeStatus = {
  /** Written in this run. */
  APPLIED: 'APPLIED',
  /** Already as planned: nothing written. */
  UNCHANGED: 'UNCHANGED',
  FAILED: 'FAILED',
  /** Not tried: an earlier change of its account failed, or the run's bound was reached. */
  NOT_ATTEMPTED: 'NOT_ATTEMPTED',
  /**
   * Not made on purpose: its target carries trailwatch's name but not its marks (a look-alike), or
   * depends on one. The look-alike becomes a manual item; nothing is written to it.
   */
  LEFT_ALONE: 'LEFT_ALONE',
} as const;
export type ChangeStatusValue = (typeof ChangeStatus)[keyof typeof ChangeStatus];

export interface ChangeOutcome<C = Change> {
  readonly change: C;
  readonly status: ChangeStatusValue;
  /** Why it failed, was not attempted, or what was found instead. */
  readonly detail?: string;
}

export interface ApplyResult<C = Change> {
  readonly outcomes: ChangeOutcome<C>[];
  /** Changes that wrote something. */
  readonly applied: number;
  readonly failed: number;
  readonly notAttempted: number;
  readonly leftAlone: number;
  /** True when every change is APPLIED or UNCHANGED. */
  readonly complete: boolean;
  readonly pending: PendingSubscription[];
  /** What the run found for a person to decide: the look-alikes it left alone. */
  readonly manual: ManualItem[];
}

export interface ApplyOptions {
  readonly clients: AwsClients;
  /** Credentials for an account: its own for the scanner's account, an assumed role for the others. */
  readonly sessionFor: (accountId: string) => AccountSession | Promise<AccountSession>;
  /** At most this many changes write anything in this run. */
  readonly maxChanges?: number;
  readonly signal?: AbortSignal;
  readonly onOutcome?: (outcome: ChangeOutcome<Change | RollbackChange>) => void;
}

/** Where to look for what trailwatch created in one account. */
export interface RollbackScope {
  readonly accountId: string;
  readonly regions: string[];
  /** Log groups (by region and name) whose filters are read. */
  readonly logGroups: { readonly region: string; readonly name: string }[];
  /** Topics trailwatch may have added a policy statement to (the configured alert topic). */
  readonly topicArns?: string[];
}

interface RollbackChangeBase {
  readonly id: string;
  readonly accountId: string;
  readonly region: string;
  readonly summary: string;
  readonly cli: string;
}

export type RollbackChange =
  | (RollbackChangeBase & { readonly kind: 'deleteAlarm'; readonly alarmName: string; readonly alarmArn: string })
  | (RollbackChangeBase & { readonly kind: 'deleteMetricFilter'; readonly logGroupName: string; readonly filterName: string })
  | (RollbackChangeBase & { readonly kind: 'removePolicyStatement'; readonly topicArn: string })
  | (RollbackChangeBase & { readonly kind: 'deleteTopic'; readonly topicArn: string });

export interface RollbackPlan {
  /** Alarms first, then filters, policy statements and topics last. */
  readonly changes: RollbackChange[];
  /** What could not be read while looking, per account: the rollback may be incomplete there. */
  readonly errors: { readonly accountId: string; readonly region?: string; readonly message: string }[];
  /** What rollback leaves on purpose, and why. */
  readonly notes: string[];
}
