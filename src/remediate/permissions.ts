/**
 * The IAM actions remediation needs beyond the scanner's reads, and the resources each is scoped
 * to. serverless.yml grants the `apply` ones to the function when REMEDIATE=apply;
 * deploy/member-role.yml grants `apply` and `rollback` ones to the member role when its
 * remediation policy is enabled. Tests hold both templates, and what apply and rollback really
 * call against moto, to this list.
 */

export interface RemediationPermission {
  readonly sid: string;
  readonly actions: readonly string[];
  /** Resource ARN patterns; `${AWS::Partition}` and `${AWS::AccountId}` as CloudFormation's Fn::Sub reads them. */
  readonly resources: readonly string[];
  /** apply: the Lambda and `remediate --apply`; rollback: `remediate --rollback` only. */
  readonly use: 'apply' | 'rollback';
  readonly why: string;
}

export const ALERT_TOPIC_RESOURCE = 'arn:${AWS::Partition}:sns:*:${AWS::AccountId}:trailwatch-alerts';

export const REMEDIATION_PERMISSIONS: readonly RemediationPermission[] = [
  {
    sid: 'ReadRemediationMarks',
    actions: ['cloudwatch:ListTagsForResource'],
    resources: ['*'],
    use: 'apply',
    why: 'the managed-by tag tells trailwatch its alarms from a person\'s of the same name',
  },
  {
    sid: 'TrailLogGroupFilters',
    actions: ['logs:PutMetricFilter', 'logs:DeleteMetricFilter'],
    resources: ['arn:${AWS::Partition}:logs:*:${AWS::AccountId}:log-group:*'],
    use: 'apply',
    why: 'a metric filter is no resource of its own: it is scoped by its log group (a stale trailwatch filter is replaced by delete and put)',
  },
  {
    sid: 'TrailwatchAlarms',
    actions: ['cloudwatch:PutMetricAlarm', 'cloudwatch:TagResource'],
    resources: ['arn:${AWS::Partition}:cloudwatch:*:${AWS::AccountId}:alarm:trailwatch-*'],
    use: 'apply',
    why: "trailwatch's own alarms only",
  },
  {
    sid: 'FixAlarms',
    actions: ['cloudwatch:EnableAlarmActions'],
    resources: ['arn:${AWS::Partition}:cloudwatch:*:${AWS::AccountId}:alarm:*'],
    use: 'apply',
    why: "--fix-alarms re-enables the actions of a person's alarm",
  },
  {
    sid: 'TrailwatchAlertTopic',
    actions: ['sns:CreateTopic', 'sns:TagResource', 'sns:SetTopicAttributes', 'sns:Subscribe'],
    resources: [ALERT_TOPIC_RESOURCE],
    use: 'apply',
    why: "trailwatch's own alert topic (not the deployment's findings topic)",
  },
  {
    sid: 'FindTrailwatchResources',
    actions: ['sns:ListTopics', 'sns:ListTagsForResource'],
    resources: ['*'],
    use: 'rollback',
    why: 'rollback finds its topics by name and tag',
  },
  {
    sid: 'RemoveTrailwatchAlarms',
    actions: ['cloudwatch:DeleteAlarms'],
    resources: ['arn:${AWS::Partition}:cloudwatch:*:${AWS::AccountId}:alarm:trailwatch-*'],
    use: 'rollback',
    why: "trailwatch's own alarms only",
  },
  {
    sid: 'RemoveTrailwatchAlertTopic',
    actions: ['sns:DeleteTopic'],
    resources: [ALERT_TOPIC_RESOURCE],
    use: 'rollback',
    why: "trailwatch's own alert topic only",
  },
];

/** On a reused (--alert-topic) topic: the CloudWatch publish statement and the subscription, added on apply, the statement removed on rollback. */
export const REUSED_TOPIC_ACTIONS = ['sns:SetTopicAttributes', 'sns:Subscribe'] as const;

/** Reads apply and rollback make that the scanner's read-only policy already grants. */
export const SCANNER_READS_USED = ['logs:DescribeMetricFilters', 'cloudwatch:DescribeAlarms', 'sns:GetTopicAttributes', 'sns:ListSubscriptionsByTopic'] as const;

/** Every action for a use, once, sorted. */
export function remediationActions(use?: RemediationPermission['use']): string[] {
  return [...new Set(REMEDIATION_PERMISSIONS.filter((p) => use === undefined || p.use === use).flatMap((p) => p.actions))].sort();
}

/** The IAM action an SDK call needs: `CloudWatchLogs:PutMetricFilter` -> `logs:PutMetricFilter`. */
export function iamActionFor(service: string, operation: string): string {
  const prefix: Record<string, string> = { CloudWatchLogs: 'logs', CloudWatch: 'cloudwatch', SNS: 'sns', STS: 'sts' };
  return `${prefix[service] ?? service.toLowerCase()}:${operation}`;
}
