/**
 * The IAM actions remediation needs, beyond the scanner's read-only ones, and the resources each
 * can be scoped to. serverless.yml and deploy/member-role.yml grant exactly these when
 * remediation is enabled; a test holds them to what apply and rollback really call.
 */

export interface RemediationPermission {
  readonly actions: readonly string[];
  /** Resource ARN patterns, `${partition}` and `${account}` to be filled in by the template. */
  readonly resources: readonly string[];
  readonly why: string;
}

export const REMEDIATION_PERMISSIONS: readonly RemediationPermission[] = [
  {
    actions: ['logs:DescribeMetricFilters', 'logs:PutMetricFilter', 'logs:DeleteMetricFilter'],
    resources: ['arn:${partition}:logs:*:${account}:log-group:*'],
    why: 'metric filters are not resources of their own: they are scoped by the log group they sit on',
  },
  {
    actions: ['cloudwatch:DescribeAlarms', 'cloudwatch:ListTagsForResource'],
    resources: ['*'],
    why: 'reads before writes, and the managed-by tag that tells trailwatch its alarms',
  },
  {
    actions: ['cloudwatch:PutMetricAlarm', 'cloudwatch:DeleteAlarms', 'cloudwatch:TagResource'],
    resources: ['arn:${partition}:cloudwatch:*:${account}:alarm:trailwatch-*'],
    why: "trailwatch's own alarms only",
  },
  {
    actions: ['cloudwatch:EnableAlarmActions'],
    resources: ['arn:${partition}:cloudwatch:*:${account}:alarm:*'],
    why: '--fix-alarms re-enables the actions of a person\'s alarm',
  },
  {
    actions: ['sns:ListTopics', 'sns:GetTopicAttributes', 'sns:ListSubscriptionsByTopic', 'sns:ListTagsForResource'],
    resources: ['*'],
    why: 'reads before writes; rollback finds its topics by name and tag',
  },
  {
    actions: ['sns:CreateTopic', 'sns:DeleteTopic', 'sns:TagResource', 'sns:SetTopicAttributes', 'sns:Subscribe'],
    resources: ['arn:${partition}:sns:*:${account}:trailwatch-*'],
    why: "trailwatch's own alert topic",
  },
  {
    actions: ['sns:SetTopicAttributes', 'sns:Subscribe'],
    resources: ['<the configured alert topic ARN, when one is reused>'],
    why: 'a reused alert topic gets the CloudWatch publish statement and the subscription',
  },
];

/** Every action, once. */
export function remediationActions(): string[] {
  return [...new Set(REMEDIATION_PERMISSIONS.flatMap((p) => p.actions))].sort();
}

/** The IAM action an SDK call needs: `CloudWatchLogs:PutMetricFilter` -> `logs:PutMetricFilter`. */
export function iamActionFor(service: string, operation: string): string {
  const prefix: Record<string, string> = { CloudWatchLogs: 'logs', CloudWatch: 'cloudwatch', SNS: 'sns', STS: 'sts' };
  return `${prefix[service] ?? service.toLowerCase()}:${operation}`;
}
