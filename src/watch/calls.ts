/**
 * The API calls that can break a link of the monitoring chain: what the member accounts forward
 * (deploy/member-events.yml's rule is tested against this list) and which link each one touches.
 */
import type { BrokenLink } from '../evaluate/types';

export interface WatchedCall {
  readonly eventSource: string;
  readonly eventName: string;
  /** The link the call can break (or repair). */
  readonly link: BrokenLink;
  /** Why it matters, for people reading the plan. */
  readonly touches: string;
}

const call = (eventSource: string, link: BrokenLink, touches: string, ...names: string[]): WatchedCall[] =>
  names.map((eventName) => ({ eventSource, eventName, link, touches }));

export const WATCHED_CALLS: readonly WatchedCall[] = [
  ...call('cloudtrail.amazonaws.com', 'trail', 'the trail', 'StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors'),
  ...call('logs.amazonaws.com', 'logGroup', 'the log group', 'DeleteLogGroup'),
  ...call('logs.amazonaws.com', 'metricFilter', 'a metric filter', 'DeleteMetricFilter', 'PutMetricFilter'),
  ...call('monitoring.amazonaws.com', 'alarm', 'an alarm', 'DeleteAlarms', 'PutMetricAlarm', 'DisableAlarmActions'),
  ...call('sns.amazonaws.com', 'topic', 'the topic', 'DeleteTopic', 'SetTopicAttributes', 'RemovePermission'),
  ...call('sns.amazonaws.com', 'subscription', 'a subscription', 'Unsubscribe', 'SetSubscriptionAttributes'),
  ...call('iam.amazonaws.com', 'trail', "the trail's CloudWatch Logs delivery role", 'DeleteRole', 'DeleteRolePolicy', 'PutRolePolicy', 'DetachRolePolicy', 'UpdateAssumeRolePolicy'),
  ...call('kms.amazonaws.com', 'topic', "a topic's KMS key", 'DisableKey', 'ScheduleKeyDeletion', 'PutKeyPolicy'),
  ...call('organizations.amazonaws.com', 'trail', 'the organization trail', 'DisableAWSServiceAccess', 'RemoveAccountFromOrganization', 'LeaveOrganization'),
];

/** Sources whose calls CloudTrail records in us-east-1 only (global services): their rule is deployed there. */
export const GLOBAL_EVENT_SOURCES: readonly string[] = ['iam.amazonaws.com', 'organizations.amazonaws.com'];

/** EventBridge's `source` for a CloudTrail eventSource: aws.<service>, CloudWatch's being aws.cloudwatch. */
export function eventBridgeSource(eventSource: string): string {
  const service = eventSource.replace(/\.amazonaws\.com$/, '');
  return service === 'monitoring' ? 'aws.cloudwatch' : `aws.${service}`;
}

export function watchedCall(eventSource: string, eventName: string): WatchedCall | undefined {
  return WATCHED_CALLS.find((c) => c.eventSource === eventSource && c.eventName === eventName);
}

/** The event pattern a member account's rule needs: every watched call, grouped by source. */
export function memberEventPattern(calls: readonly WatchedCall[] = WATCHED_CALLS): {
  source: string[];
  'detail-type': string[];
  detail: { eventSource: string[]; eventName: string[] };
} {
  const sources = [...new Set(calls.map((c) => c.eventSource))];
  return {
    source: sources.map(eventBridgeSource),
    'detail-type': ['AWS API Call via CloudTrail'],
    detail: { eventSource: sources, eventName: [...new Set(calls.map((c) => c.eventName))] },
  };
}
