/** The AWS CLI commands a reason offers as its fix. */
import type { AlarmRecord } from '../collect/inventory';
import { shellQuote } from './text';

const q = shellQuote;

export function startLogging(trailName: string, homeRegion: string): string {
  return `aws cloudtrail start-logging --name ${q(trailName)} --region ${homeRegion}`;
}

export function makeMultiRegion(trailName: string, homeRegion: string): string {
  return `aws cloudtrail update-trail --name ${q(trailName)} --is-multi-region-trail --include-global-service-events --region ${homeRegion}`;
}

export function includeGlobalServiceEvents(trailName: string, homeRegion: string): string {
  return `aws cloudtrail update-trail --name ${q(trailName)} --include-global-service-events --region ${homeRegion}`;
}

export function logAllManagementEvents(trailName: string, homeRegion: string): string {
  const selectors = JSON.stringify([{ ReadWriteType: 'All', IncludeManagementEvents: true }]);
  return `aws cloudtrail put-event-selectors --trail-name ${q(trailName)} --event-selectors ${q(selectors)} --region ${homeRegion}`;
}

export function deliverToCloudWatchLogs(trailName: string, homeRegion: string): string {
  return `aws cloudtrail update-trail --name ${q(trailName)} --cloud-watch-logs-log-group-arn <log-group-arn> --cloud-watch-logs-role-arn <role-arn> --region ${homeRegion}`;
}

export function createTrail(region: string): string {
  return `aws cloudtrail create-trail --name cis-trail --s3-bucket-name <bucket> --is-multi-region-trail --include-global-service-events --cloud-watch-logs-log-group-arn <log-group-arn> --cloud-watch-logs-role-arn <role-arn> --region ${region}`;
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
  return (
    `aws logs put-metric-filter --log-group-name ${q(options.logGroupName)} --filter-name ${q(options.filterName)}` +
    ` --filter-pattern ${q(options.pattern)} --metric-transformations ${q(transformation)} --region ${options.region}`
  );
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
  return [
    `aws cloudwatch put-metric-alarm --alarm-name ${q(options.alarmName)}`,
    `--metric-name ${q(options.metricName)} --namespace ${q(options.namespace)}`,
    ...(dimensions.length > 0 ? [`--dimensions ${dimensions.map(([name, value]) => q(`Name=${name},Value=${value}`)).join(' ')}`] : []),
    `--statistic Sum --period ${options.period ?? 300} --evaluation-periods 1 --datapoints-to-alarm 1`,
    '--threshold 1 --comparison-operator GreaterThanOrEqualToThreshold --treat-missing-data notBreaching',
    `--alarm-actions ${options.topicArns.length > 0 ? options.topicArns.map(q).join(' ') : '<sns-topic-arn>'}`,
    `--region ${options.region}`,
  ].join(' ');
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
  return `aws cloudwatch enable-alarm-actions --alarm-names ${q(alarmName)} --region ${region}`;
}

export function subscribe(topicArn: string, region: string): string {
  return `aws sns subscribe --topic-arn ${q(topicArn)} --protocol email --notification-endpoint <address> --region ${region}`;
}

export function createTopic(name: string, region: string): string {
  return `aws sns create-topic --name ${q(name)} --region ${region}`;
}

export function allowCloudWatchToPublish(topicArn: string, region: string): string {
  return `aws sns set-topic-attributes --topic-arn ${q(topicArn)} --attribute-name Policy --attribute-value file://policy.json --region ${region}`;
}

export function useCustomerManagedKey(topicArn: string, region: string): string {
  return `aws sns set-topic-attributes --topic-arn ${q(topicArn)} --attribute-name KmsMasterKeyId --attribute-value <customer-managed-key-arn> --region ${region}`;
}
