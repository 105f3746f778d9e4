/**
 * What apply and rollback read before they write: a resource's current state and the marks that
 * say whether trailwatch made it (the tags of alarms and topics; a filter's name and namespace).
 * Apart from apply's and rollback's writes, so each mode's module holds only its own calls.
 */
import { DescribeAlarmsCommand, ListTagsForResourceCommand as ListAlarmTagsCommand, type MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { DescribeMetricFiltersCommand, type MetricFilter } from '@aws-sdk/client-cloudwatch-logs';
import {
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListTagsForResourceCommand as ListTopicTagsCommand,
  type Subscription,
} from '@aws-sdk/client-sns';
import { isManagedByTrailwatch, isTrailwatchFilter } from './naming';
import type { StepContext } from './runner';

function errorName(error: unknown): string | undefined {
  return (error as { name?: string } | undefined)?.name;
}

export function isNotFound(error: unknown): boolean {
  return ['NotFoundException', 'NotFound', 'ResourceNotFoundException', 'ResourceNotFound'].includes(errorName(error) ?? '');
}

/** The topic's attributes, or undefined when it does not exist. */
export async function readTopicAttributes(context: StepContext, region: string, topicArn: string): Promise<Record<string, string> | undefined> {
  try {
    const out = await context.clients.sns(context.session, region).send(new GetTopicAttributesCommand({ TopicArn: topicArn }));
    return out.Attributes ?? {};
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

export async function listTopicSubscriptions(context: StepContext, region: string, topicArn: string): Promise<Subscription[]> {
  const sns = context.clients.sns(context.session, region);
  const all: Subscription[] = [];
  let NextToken: string | undefined;
  do {
    const page = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken }));
    all.push(...(page.Subscriptions ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return all;
}

/** The filters of a log group whose name starts with `prefix`. */
export async function describeFilters(context: StepContext, region: string, logGroupName: string, prefix: string): Promise<MetricFilter[]> {
  const logs = context.clients.cloudWatchLogs(context.session, region);
  const all: MetricFilter[] = [];
  let nextToken: string | undefined;
  do {
    const page = await logs.send(new DescribeMetricFiltersCommand({ logGroupName, filterNamePrefix: prefix, nextToken }));
    all.push(...(page.metricFilters ?? []).filter((f) => f.logGroupName === logGroupName));
    nextToken = page.nextToken;
  } while (nextToken);
  return all;
}

export async function describeFiltersNamed(context: StepContext, region: string, logGroupName: string, filterName: string): Promise<MetricFilter[]> {
  return (await describeFilters(context, region, logGroupName, filterName)).filter((f) => f.filterName === filterName);
}

export async function describeMetricAlarm(context: StepContext, region: string, alarmName: string): Promise<MetricAlarm | undefined> {
  const out = await context.clients.cloudWatch(context.session, region).send(new DescribeAlarmsCommand({ AlarmNames: [alarmName] }));
  return (out.MetricAlarms ?? []).find((a) => a.AlarmName === alarmName);
}

export async function alarmIsTrailwatchs(context: StepContext, region: string, alarmArn: string): Promise<boolean> {
  const out = await context.clients.cloudWatch(context.session, region).send(new ListAlarmTagsCommand({ ResourceARN: alarmArn }));
  return isManagedByTrailwatch(out.Tags);
}

export async function topicIsTrailwatchs(context: StepContext, region: string, topicArn: string): Promise<boolean> {
  const out = await context.clients.sns(context.session, region).send(new ListTopicTagsCommand({ ResourceArn: topicArn }));
  return isManagedByTrailwatch(out.Tags);
}

export function filterIsTrailwatchs(filter: Pick<MetricFilter, 'filterName' | 'metricTransformations'>): boolean {
  return isTrailwatchFilter(filter.filterName, (filter.metricTransformations ?? []).map((t) => t.metricNamespace));
}
