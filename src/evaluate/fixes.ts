/**
 * The AWS CLI commands a reason offers as its fix. Names come from member accounts: they are
 * quoted, given as `--flag=value` when they start with '-', and never offered where the AWS CLI
 * would read them as a local file (see src/shell.ts).
 */
import { arnName, sqsQueueUrl } from '../arn';
import type { AlarmRecord } from '../collect/inventory';
import { awsCli, localFile, placeholder } from '../shell';

export function startLogging(trailName: string, homeRegion: string): string {
  return awsCli('cloudtrail', 'start-logging', { name: trailName, region: homeRegion });
}

export function makeMultiRegion(trailName: string, homeRegion: string): string {
  return awsCli('cloudtrail', 'update-trail', { name: trailName, 'is-multi-region-trail': true, 'include-global-service-events': true, region: homeRegion });
}

export function includeGlobalServiceEvents(trailName: string, homeRegion: string): string {
  return awsCli('cloudtrail', 'update-trail', { name: trailName, 'include-global-service-events': true, region: homeRegion });
}

export function logAllManagementEvents(trailName: string, homeRegion: string): string {
  const selectors = JSON.stringify([{ ReadWriteType: 'All', IncludeManagementEvents: true }]);
  return awsCli('cloudtrail', 'put-event-selectors', { 'trail-name': trailName, 'event-selectors': selectors, region: homeRegion });
}

export function deliverToCloudWatchLogs(trailName: string, homeRegion: string): string {
  return awsCli('cloudtrail', 'update-trail', {
    name: trailName,
    'cloud-watch-logs-log-group-arn': placeholder('log-group-arn'),
    'cloud-watch-logs-role-arn': placeholder('role-arn'),
    region: homeRegion,
  });
}

export function createTrail(region: string): string {
  return awsCli('cloudtrail', 'create-trail', {
    name: 'cis-trail',
    's3-bucket-name': placeholder('bucket'),
    'is-multi-region-trail': true,
    'include-global-service-events': true,
    'cloud-watch-logs-log-group-arn': placeholder('log-group-arn'),
    'cloud-watch-logs-role-arn': placeholder('role-arn'),
    region,
  });
}

export function putMetricFilter(options: {
  logGroupName: string;
  filterName: string;
  pattern: string;
  metricName: string;
  metricNamespace: string;
  /** The filter's own dimensions, kept so an alarm on them still finds the metric. */
  dimensions?: Readonly<Record<string, string>>;
  region: string;
}): string {
  const dimensions = Object.entries(options.dimensions ?? {});
  const transformation =
    dimensions.length === 0
      ? `metricName=${options.metricName},metricNamespace=${options.metricNamespace},metricValue=1`
      : JSON.stringify([{ metricName: options.metricName, metricNamespace: options.metricNamespace, metricValue: '1', dimensions: Object.fromEntries(dimensions) }]);
  return awsCli('logs', 'put-metric-filter', {
    'log-group-name': options.logGroupName,
    'filter-name': options.filterName,
    'filter-pattern': options.pattern,
    'metric-transformations': transformation,
    region: options.region,
  });
}

export function putMetricAlarm(options: {
  alarmName: string;
  metricName: string;
  namespace: string;
  dimensions?: Record<string, string>;
  topicArns: readonly string[];
  region: string;
  period?: number;
}): string {
  const dimensions = Object.entries(options.dimensions ?? {});
  return awsCli('cloudwatch', 'put-metric-alarm', {
    'alarm-name': options.alarmName,
    'metric-name': options.metricName,
    namespace: options.namespace,
    dimensions: dimensions.length > 0 ? dimensions.map(([name, value]) => `Name=${name},Value=${value}`) : undefined,
    statistic: 'Sum',
    period: String(options.period ?? 300),
    'evaluation-periods': '1',
    'datapoints-to-alarm': '1',
    threshold: '1',
    'comparison-operator': 'GreaterThanOrEqualToThreshold',
    'treat-missing-data': 'notBreaching',
    'alarm-actions': options.topicArns.length > 0 ? options.topicArns : placeholder('sns-topic-arn'),
    region: options.region,
  });
}

/** put-metric-alarm for an existing alarm, keeping its name, metric and SNS actions. */
export function repairAlarm(alarm: AlarmRecord, metric: { name: string; namespace: string; dimensions: Record<string, string> }): string {
  return putMetricAlarm({
    alarmName: alarm.name,
    metricName: metric.name,
    namespace: metric.namespace,
    dimensions: metric.dimensions,
    topicArns: alarm.alarmActions.filter((action) => action.startsWith('arn:') && action.split(':')[2] === 'sns'),
    region: alarm.region,
    ...(alarm.period !== undefined ? { period: alarm.period } : {}),
  });
}

export function enableAlarmActions(alarmName: string, region: string): string {
  return awsCli('cloudwatch', 'enable-alarm-actions', { 'alarm-names': alarmName, region });
}

export function subscribe(topicArn: string, region: string): string {
  return awsCli('sns', 'subscribe', { 'topic-arn': topicArn, protocol: 'email', 'notification-endpoint': placeholder('address'), region });
}

export function createTopic(name: string, region: string): string {
  return awsCli('sns', 'create-topic', { name, region });
}

export function allowCloudWatchToPublish(topicArn: string, region: string): string {
  return awsCli('sns', 'set-topic-attributes', { 'topic-arn': topicArn, 'attribute-name': 'Policy', 'attribute-value': localFile('policy.json'), region });
}

export function useCustomerManagedKey(topicArn: string, region: string): string {
  return awsCli('sns', 'set-topic-attributes', {
    'topic-arn': topicArn,
    'attribute-name': 'KmsMasterKeyId',
    'attribute-value': placeholder('customer-managed-key-arn'),
    region,
  });
}

export function allowSnsToSendToQueue(queueArn: string, region: string): string {
  return awsCli('sqs', 'set-queue-attributes', { 'queue-url': sqsQueueUrl(queueArn), attributes: localFile('queue-policy.json'), region });
}

export function allowSnsToInvoke(functionArn: string, topicArn: string, region: string): string {
  return awsCli('lambda', 'add-permission', {
    'function-name': functionArn,
    'statement-id': `sns-${arnName(topicArn)}`,
    action: 'lambda:InvokeFunction',
    principal: 'sns.amazonaws.com',
    'source-arn': topicArn,
    region,
  });
}

export function putKeyPolicy(keyArn: string, region: string): string {
  return awsCli('kms', 'put-key-policy', { 'key-id': keyArn, 'policy-name': 'default', policy: localFile('key-policy.json'), region });
}

export function enableKey(keyArn: string, region: string): string {
  return awsCli('kms', 'enable-key', { 'key-id': keyArn, region });
}

export function cancelKeyDeletion(keyArn: string, region: string): string {
  return awsCli('kms', 'cancel-key-deletion', { 'key-id': keyArn, region });
}

export function resetAlarmState(alarmName: string, region: string): string {
  return awsCli('cloudwatch', 'set-alarm-state', { 'alarm-name': alarmName, 'state-value': 'OK', 'state-reason': 'reset after checking why it stayed in ALARM', region });
}
