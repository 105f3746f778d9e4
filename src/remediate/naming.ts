/** How trailwatch marks what it creates: names, tags, the metric namespace and the policy statement id. */
import type { CheckSlug } from '../controls/types';

export const NAME_PREFIX = 'trailwatch-';
export const MANAGED_BY_TAG = { key: 'managed-by', value: 'trailwatch' } as const;
export const CHECK_TAG_KEY = 'trailwatch:check';
/** The check tag of resources every check shares (the alert topic); SNS tag values allow no '*'. */
export const SHARED_CHECK_TAG_VALUE = 'all';
export const DEFAULT_TOPIC_NAME = 'trailwatch-alerts';
/** trailwatch's filters count into their own namespace, so its metrics never mix with a person's. */
export const METRIC_NAMESPACE = 'trailwatch';
/** The Sid of the topic-policy statement that lets CloudWatch alarms publish. */
export const POLICY_STATEMENT_SID = 'TrailwatchCloudWatchPublish';

export function filterNameFor(check: CheckSlug): string {
  return `${NAME_PREFIX}${check}`;
}

export function alarmNameFor(check: CheckSlug): string {
  return `${NAME_PREFIX}${check}`;
}

export function tagsFor(check: CheckSlug | typeof SHARED_CHECK_TAG_VALUE): { Key: string; Value: string }[] {
  return [
    { Key: MANAGED_BY_TAG.key, Value: MANAGED_BY_TAG.value },
    { Key: CHECK_TAG_KEY, Value: check },
  ];
}

/**
 * Made by remediation: tagged managed-by=trailwatch AND with a check tag. The deployment's own
 * resources (the findings topic, the member role) may carry managed-by too, never a check tag,
 * so rollback can never take them for its own.
 */
export function isManagedByTrailwatch(tags: readonly { Key?: string; Value?: string }[] | undefined): boolean {
  const list = tags ?? [];
  return list.some((tag) => tag.Key === MANAGED_BY_TAG.key && tag.Value === MANAGED_BY_TAG.value) && list.some((tag) => tag.Key === CHECK_TAG_KEY && !!tag.Value);
}

/**
 * Filters carry no tags: a filter is trailwatch's when it has trailwatch's name and counts only
 * into trailwatch's namespace.
 */
export function isTrailwatchFilter(name: string | undefined, namespaces: readonly (string | undefined)[]): boolean {
  return (name ?? '').startsWith(NAME_PREFIX) && namespaces.length > 0 && namespaces.every((namespace) => namespace === METRIC_NAMESPACE);
}

/** The alarm trailwatch puts on its metric: one event in five minutes raises it. */
export const ALARM_SETTINGS = {
  statistic: 'Sum',
  period: 300,
  evaluationPeriods: 1,
  datapointsToAlarm: 1,
  threshold: 1,
  comparisonOperator: 'GreaterThanOrEqualToThreshold',
  treatMissingData: 'notBreaching',
} as const;
