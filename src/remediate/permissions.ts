/**
 * The IAM actions remediation needs beyond the scanner's reads, per mode, and the resources each
 * is scoped to. The deployment templates grant exactly this, and tests hold them to it:
 *
 * - `apply` (REMEDIATE=apply, `remediate --apply`): serverless.yml's `trailwatch-remediation`
 *   policy on the function's role; deploy/member-role.yml's with EnableRemediation. No delete.
 * - `fix-alarms` (`--fix-alarms`, remediationFixAlarms): a statement added only when it is on.
 * - `rollback` (`remediate --rollback`, the CLI only): deploy/member-role.yml's separate rollback
 *   role, created only when RollbackPrincipalArn names who may use it. The function never gets it:
 *   its role may assume only the read role, which the rollback role is not.
 *
 * A test bundles each mode's module (as the Lambda is bundled) and holds the SDK calls it can make
 * to this list, so an action granted and never used, or used and not granted, fails the tests.
 */

export const PERMISSION_USES = ['apply', 'fix-alarms', 'rollback'] as const;
export type PermissionUse = (typeof PERMISSION_USES)[number];

export interface RemediationPermission {
  /** The statement's Sid in the templates. */
  readonly sid: string;
  readonly actions: readonly string[];
  /** One resource ARN pattern; `${AWS::Partition}` and `${AWS::AccountId}` as CloudFormation's Fn::Sub reads them. */
  readonly resource: string;
  readonly use: PermissionUse;
  readonly why: string;
}

export const ALERT_TOPIC_RESOURCE = 'arn:${AWS::Partition}:sns:*:${AWS::AccountId}:trailwatch-alerts';
const TRAILWATCH_TOPICS = 'arn:${AWS::Partition}:sns:*:${AWS::AccountId}:trailwatch-*';
const TRAILWATCH_ALARMS = 'arn:${AWS::Partition}:cloudwatch:*:${AWS::AccountId}:alarm:trailwatch-*';
const ANY_ALARM = 'arn:${AWS::Partition}:cloudwatch:*:${AWS::AccountId}:alarm:*';
const ANY_LOG_GROUP = 'arn:${AWS::Partition}:logs:*:${AWS::AccountId}:log-group:*';

export const REMEDIATION_PERMISSIONS: readonly RemediationPermission[] = [
  {
    sid: 'TrailLogGroupFilters',
    actions: ['logs:PutMetricFilter'],
    resource: ANY_LOG_GROUP,
    use: 'apply',
    why: "a metric filter is no resource of its own: it is scoped by its log group. PutMetricFilter creates trailwatch's filter or replaces it in place, so apply deletes nothing",
  },
  {
    sid: 'TrailwatchAlarms',
    actions: ['cloudwatch:ListTagsForResource', 'cloudwatch:PutMetricAlarm', 'cloudwatch:TagResource'],
    resource: TRAILWATCH_ALARMS,
    use: 'apply',
    why: "trailwatch's own alarms; their tags tell them from a look-alike of the same name",
  },
  {
    sid: 'TrailwatchAlertTopic',
    actions: ['sns:CreateTopic', 'sns:ListTagsForResource', 'sns:SetTopicAttributes', 'sns:Subscribe', 'sns:TagResource'],
    resource: ALERT_TOPIC_RESOURCE,
    use: 'apply',
    why: "trailwatch's own alert topic (not the deployment's findings topic); its tags tell it from a look-alike",
  },
  {
    sid: 'FixAlarms',
    actions: ['cloudwatch:EnableAlarmActions'],
    resource: ANY_ALARM,
    use: 'fix-alarms',
    why: "--fix-alarms re-enables the actions of a person's alarm, whatever its name",
  },
  {
    sid: 'FindTrailwatchTopics',
    actions: ['sns:ListTopics'],
    resource: '*',
    use: 'rollback',
    why: 'ListTopics takes no resource; rollback keeps the topics named trailwatch-* that carry its tags',
  },
  {
    sid: 'ReadTrailwatchTopicMarks',
    actions: ['sns:ListTagsForResource'],
    resource: TRAILWATCH_TOPICS,
    use: 'rollback',
    why: 'the tags of every topic named trailwatch-* tell trailwatch its own',
  },
  {
    sid: 'RemoveTrailwatchFilters',
    actions: ['logs:DeleteMetricFilter'],
    resource: ANY_LOG_GROUP,
    use: 'rollback',
    why: "a metric filter is scoped by its log group; rollback deletes only filters named trailwatch-* counting into namespace trailwatch",
  },
  {
    sid: 'RemoveTrailwatchAlarms',
    actions: ['cloudwatch:DeleteAlarms', 'cloudwatch:ListTagsForResource'],
    resource: TRAILWATCH_ALARMS,
    use: 'rollback',
    why: "trailwatch's own alarms only, re-checked by their tags right before each delete",
  },
  {
    sid: 'RemoveTrailwatchAlertTopic',
    actions: ['sns:DeleteTopic'],
    resource: ALERT_TOPIC_RESOURCE,
    use: 'rollback',
    why: "trailwatch's own alert topic only",
  },
];

/** On the operator's configured topic (--alert-topic; the templates' RemediationAlertTopicArn), per mode. */
export const REUSED_TOPIC_ACTIONS: Readonly<Record<PermissionUse, readonly string[]>> = {
  apply: ['sns:SetTopicAttributes', 'sns:Subscribe'],
  'fix-alarms': [],
  rollback: ['sns:SetTopicAttributes'],
};

/**
 * Actions a call needs besides its own: tags given on creation need the service's TagResource.
 * Keyed by the action that needs them.
 */
export const IMPLIED_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  'sns:CreateTopic': ['sns:TagResource'],
  'cloudwatch:PutMetricAlarm': ['cloudwatch:TagResource'],
};

/** Reads apply and rollback make that the scanner's read-only policy already grants. */
export const SCANNER_READS_USED = ['logs:DescribeMetricFilters', 'cloudwatch:DescribeAlarms', 'sns:GetTopicAttributes', 'sns:ListSubscriptionsByTopic'] as const;

export function permissionsFor(use: PermissionUse): RemediationPermission[] {
  return REMEDIATION_PERMISSIONS.filter((p) => p.use === use);
}

/** Every action of the given uses (all when none are given), once, sorted. */
export function remediationActions(...uses: PermissionUse[]): string[] {
  const wanted = uses.length === 0 ? PERMISSION_USES : uses;
  return [...new Set(REMEDIATION_PERMISSIONS.filter((p) => wanted.includes(p.use)).flatMap((p) => p.actions))].sort();
}

/** The IAM action an SDK call needs: `CloudWatchLogs:PutMetricFilter` -> `logs:PutMetricFilter`. */
export function iamActionFor(service: string, operation: string): string {
  const prefix: Record<string, string> = { CloudWatchLogs: 'logs', CloudWatch: 'cloudwatch', SNS: 'sns', STS: 'sts' };
  return `${prefix[service] ?? service.toLowerCase()}:${operation}`;
}
