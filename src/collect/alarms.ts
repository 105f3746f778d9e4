/**
 * Alarms, read once per region where a trail's log group lives. Only the alarms that watch a
 * metric some collected filter publishes (by metric name, so an alarm in the wrong namespace
 * is still there to be named) are kept: the rest cannot be part of a chain.
 */
import { DescribeAlarmsCommand, type MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { compact } from './compact';
import type { AlarmRecord, LogGroupRecord, MetricDataQueryRecord } from './inventory';
import { readAllPages } from './paging';
import { isAbort, toReadError } from './read-errors';
import type { ReadContext } from './types';

/** DescribeAlarms' largest page. */
const PAGE_SIZE = 100;

function alarmRecord(a: MetricAlarm, region: string): AlarmRecord {
  const metrics: MetricDataQueryRecord[] = (a.Metrics ?? []).map((m) =>
    compact({
      id: m.Id ?? '',
      expression: m.Expression,
      label: m.Label,
      returnData: m.ReturnData,
      period: m.Period,
      metricStat: m.MetricStat
        ? compact({
            metricName: m.MetricStat.Metric?.MetricName ?? '',
            namespace: m.MetricStat.Metric?.Namespace ?? '',
            dimensions: (m.MetricStat.Metric?.Dimensions ?? []).map((d) => ({ name: d.Name ?? '', value: d.Value ?? '' })),
            period: m.MetricStat.Period ?? 0,
            stat: m.MetricStat.Stat ?? '',
            unit: m.MetricStat.Unit,
          })
        : undefined,
    }),
  );
  return compact({
    name: a.AlarmName ?? '',
    arn: a.AlarmArn ?? '',
    region,
    metricName: a.MetricName,
    namespace: a.Namespace,
    dimensions: (a.Dimensions ?? []).map((d) => ({ name: d.Name ?? '', value: d.Value ?? '' })),
    metrics: metrics.length > 0 ? metrics : undefined,
    statistic: a.Statistic,
    extendedStatistic: a.ExtendedStatistic,
    period: a.Period,
    evaluationPeriods: a.EvaluationPeriods ?? 0,
    datapointsToAlarm: a.DatapointsToAlarm,
    threshold: a.Threshold,
    comparisonOperator: a.ComparisonOperator ?? '',
    treatMissingData: a.TreatMissingData,
    actionsEnabled: a.ActionsEnabled !== false,
    alarmActions: a.AlarmActions ?? [],
    stateValue: a.StateValue,
    stateUpdatedTimestamp: a.StateUpdatedTimestamp?.toISOString(),
  });
}

/** The metric names the region's filters publish; undefined when a log group's filters could not be read. */
function publishedMetricNames(logGroups: LogGroupRecord[]): Set<string> | undefined {
  const names = new Set<string>();
  for (const group of logGroups) {
    if (!group.metricFilters) return undefined;
    for (const filter of group.metricFilters) for (const t of filter.transformations) names.add(t.metricName);
  }
  return names;
}

function watches(alarm: AlarmRecord, metricNames: Set<string>): boolean {
  if (alarm.metricName !== undefined && metricNames.has(alarm.metricName)) return true;
  return (alarm.metrics ?? []).some((m) => m.metricStat !== undefined && metricNames.has(m.metricStat.metricName));
}

/** The region's alarms that could belong to a chain; undefined when DescribeAlarms failed (see readErrors). */
export async function readAlarms(ctx: ReadContext, region: string, logGroups: LogGroupRecord[]): Promise<AlarmRecord[] | undefined> {
  const client = ctx.clients.cloudWatch(ctx.session, region);
  let alarms: MetricAlarm[];
  try {
    alarms = await readAllPages(async (token) => {
      const page = await ctx.limit(() =>
        client.send(new DescribeAlarmsCommand({ MaxRecords: PAGE_SIZE, NextToken: token }), { abortSignal: ctx.signal }),
      );
      return { items: page.MetricAlarms, next: page.NextToken };
    });
  } catch (error) {
    if (isAbort(error)) throw error;
    ctx.readErrors.push(toReadError('alarms', error, { resource: region, region }));
    return undefined;
  }
  // Sorted by name, as AWS lists them: inventories of the same account compare equal.
  const records = alarms.map((a) => alarmRecord(a, region)).sort((a, b) => a.name.localeCompare(b.name));
  const metricNames = publishedMetricNames(logGroups);
  return metricNames ? records.filter((a) => watches(a, metricNames)) : records;
}
