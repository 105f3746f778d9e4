/**
 * Alarm rules: an alarm in the metric's account and region, on the same metric name AND
 * namespace, with dimensions consistent with the filter's, that fires on a single matching event
 * (statistic, threshold and comparison reachable by one event in one period, one datapoint to
 * alarm), with actions enabled and an SNS topic among its alarm actions. An alarm notifies only
 * when its state changes, so one in ALARM for more than a day earns a warning: the next event
 * will not notify.
 */
import type { AccountInventory, AlarmRecord, MetricDimension } from '../../collect/inventory';
import { snsTopicArn } from '../../arn';
import { describeReadError, findReadError } from '../context';
import * as fixes from '../fixes';
import { command, named } from '../text';
import { fail, pass, unknown, type LinkVerdict } from '../verdict';
import type { PublishedMetric } from './metric-filter';
import { firstProblem } from './trail';

export type AlarmSearch = { readonly alarms: readonly AlarmRecord[] } | { readonly verdict: LinkVerdict };

export function alarmText(alarm: AlarmRecord, viewer: string, accountId: string): string {
  return named('alarm', alarm.name, { accountId, region: alarm.region, viewer });
}

function metricText(metric: PublishedMetric): string {
  return `${metric.namespace}/${metric.name}`;
}

/** The alarms of the metric's region that watch a metric of that name, in any namespace (a wrong namespace is a finding too). */
export function alarmsOnMetric(metric: PublishedMetric, inventory: AccountInventory, viewer: string): AlarmSearch {
  const alarms = inventory.alarms[metric.region];
  if (alarms === undefined) {
    const error = findReadError(inventory, 'alarms', { region: metric.region });
    const where = named('region', metric.region, { accountId: metric.accountId, viewer });
    return { verdict: unknown('alarm', `trailwatch could not read the alarms of ${where} (${error ? describeReadError(error) : 'they were not collected'})`) };
  }
  const watching = alarms.filter((alarm) => alarm.metricName === metric.name || (alarm.metrics ?? []).some((query) => query.metricStat?.metricName === metric.name));
  if (watching.length > 0) return { alarms: watching };
  const fix = fixes.putMetricAlarm({
    alarmName: metric.filterName,
    metricName: metric.name,
    namespace: metric.namespace,
    dimensions: metric.dimensions,
    topicArns: [],
    region: metric.region,
  });
  const where = named('region', metric.region, { accountId: metric.accountId, viewer });
  return { verdict: fail('alarm', `no alarm in ${where} watches metric ${metricText(metric)} of ${named('filter', metric.filterName)}: create one with ${command(fix)}`, fix) };
}

interface WatchedMetric {
  readonly namespace: string;
  readonly dimensions: readonly MetricDimension[];
  readonly statistic?: string;
}

function watchedMetric(alarm: AlarmRecord, metric: PublishedMetric): WatchedMetric | string {
  if (alarm.metrics === undefined || alarm.metrics.length === 0) {
    return {
      namespace: alarm.namespace ?? '',
      dimensions: alarm.dimensions,
      ...((alarm.statistic ?? alarm.extendedStatistic) !== undefined ? { statistic: alarm.statistic ?? alarm.extendedStatistic } : {}),
    };
  }
  // Metric math: only the plain case (one query, the metric itself, returned) says how it fires.
  const [query] = alarm.metrics;
  if (alarm.metrics.length === 1 && query?.metricStat && query.metricStat.metricName === metric.name && query.returnData !== false && query.expression === undefined) {
    return { namespace: query.metricStat.namespace, dimensions: query.metricStat.dimensions, statistic: query.metricStat.stat };
  }
  const expressions = alarm.metrics.flatMap((entry) => (entry.expression !== undefined ? [entry.expression] : []));
  return expressions.length > 0 ? `it uses metric math (${expressions.map((expression) => `'${expression}'`).join(', ')})` : 'it combines several metric queries';
}

function describeDimensions(dimensions: Readonly<Record<string, string>>): string {
  const entries = Object.entries(dimensions);
  return entries.length === 0 ? 'no dimensions' : `dimensions ${entries.map(([name, value]) => `${name}=${value}`).join(', ')}`;
}

/** What one matching event makes the statistic in its period, or a problem. */
function oneEventStatistic(statistic: string, metric: PublishedMetric): { value?: number } | { problem: string } {
  const value = metric.value;
  const defaultValue = metric.defaultValue;
  switch (statistic) {
    case 'Sum':
      return value === undefined ? {} : { value };
    case 'SampleCount':
      return { value: 1 };
    case 'Maximum':
      return value === undefined ? {} : { value: defaultValue === undefined ? value : Math.max(value, defaultValue) };
    default:
      // Minimum, Average and percentiles see one event as it is only when no default value dilutes it.
      if (defaultValue !== undefined) {
        return { problem: `uses statistic ${statistic}, but filter '${metric.filterName}' also emits its default value ${defaultValue} for every other log event, which dilutes a single matching event` };
      }
      return value === undefined ? {} : { value };
  }
}

export interface AlarmLink {
  readonly verdict: LinkVerdict;
  /** The SNS topics among its alarm actions. */
  readonly topicArns: readonly string[];
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The warning for an alarm that has been in ALARM for more than a day when it was read (`readAt`,
 * the inventory's collection time: evaluation reads no clock), or undefined.
 */
export function stuckInAlarm(alarm: AlarmRecord, text: string, readAt: string | undefined): string | undefined {
  if (alarm.stateValue !== 'ALARM' || alarm.stateUpdatedTimestamp === undefined || readAt === undefined) return undefined;
  const since = Date.parse(alarm.stateUpdatedTimestamp);
  const at = Date.parse(readAt);
  if (!Number.isFinite(since) || !Number.isFinite(at) || at - since <= DAY_MS) return undefined;
  const days = Math.floor((at - since) / DAY_MS);
  const stamp = `${new Date(since).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  const why =
    alarm.treatMissingData === 'breaching'
      ? ' (it treats missing data as breaching, so it stays in ALARM while no event comes)'
      : alarm.treatMissingData === 'ignore'
        ? ' (it ignores missing data, so nothing brings it back to OK)'
        : ' (its filter keeps matching, or its data keeps it there)';
  const fix = fixes.resetAlarmState(alarm.name, alarm.region);
  return (
    `${text} has been in ALARM since ${stamp}, ${days} day${days === 1 ? '' : 's'} before this scan${why}, and an alarm notifies only when its state changes: ` +
    `the next matching event will notify nobody. Find out why it stays in ALARM, then reset it with ${command(fix)}`
  );
}

export function alarmLink(alarm: AlarmRecord, metric: PublishedMetric, viewer: string, readAt?: string): AlarmLink {
  const text = alarmText(alarm, viewer, metric.accountId);
  const topicArns = alarm.alarmActions.filter((action) => snsTopicArn(action) !== undefined);
  const repair = fixes.repairAlarm(alarm, metric);
  const problems: LinkVerdict[] = [];

  const watched = watchedMetric(alarm, metric);
  if (typeof watched === 'string') {
    problems.push(unknown('alarm', `trailwatch cannot verify that ${text} fires on a single event: ${watched}`));
  } else {
    if (watched.namespace !== metric.namespace) {
      problems.push(fail('alarm', `${text} watches ${metric.name} in namespace '${watched.namespace}', but ${named('filter', metric.filterName)} publishes it in '${metric.namespace}': point the alarm at ${metricText(metric)} with ${command(repair)}`, repair));
    }
    const alarmDimensions = Object.fromEntries(watched.dimensions.map((dimension) => [dimension.name, dimension.value]));
    const filterNames = Object.keys(metric.dimensions).sort().join(',');
    const alarmNames = Object.keys(alarmDimensions).sort().join(',');
    if (filterNames !== alarmNames) {
      problems.push(fail('alarm', `${text} watches ${metric.name} with ${describeDimensions(alarmDimensions)}, but ${named('filter', metric.filterName)} publishes it with ${describeDimensions(metric.dimensions)}, so the alarm sees none of its data: match the filter's dimensions with ${command(repair)}`, repair));
    } else if (filterNames !== '') {
      problems.push(unknown('alarm', `${text} watches one set of dimension values (${describeDimensions(alarmDimensions)}) of a metric ${named('filter', metric.filterName)} publishes per event field, so trailwatch cannot verify that it sees every matching event`));
    }
    if (watched.statistic === undefined) {
      problems.push(unknown('alarm', `trailwatch cannot tell which statistic ${text} uses`));
    } else {
      const statistic = oneEventStatistic(watched.statistic, metric);
      if ('problem' in statistic) {
        problems.push(fail('alarm', `${text} ${statistic.problem}: use Sum with ${command(repair)}`, repair));
      } else {
        problems.push(thresholdVerdict(alarm, text, watched.statistic, statistic.value, repair));
      }
    }
  }

  const needed = alarm.datapointsToAlarm ?? alarm.evaluationPeriods;
  if (needed > 1) {
    problems.push(fail('alarm', `${text} needs ${needed} breaching periods out of ${alarm.evaluationPeriods} before it fires, so a single event never fires it: set datapoints-to-alarm to 1 with ${command(repair)}`, repair));
  }
  if (!alarm.actionsEnabled) {
    const fix = fixes.enableAlarmActions(alarm.name, alarm.region);
    problems.push(fail('alarm', `${text} has actions disabled: enable them with ${command(fix)}`, fix));
  }
  if (topicArns.length === 0) {
    problems.push(fail('alarm', `${text} notifies no SNS topic when it fires: add one to its alarm actions with ${command(repair)}`, repair));
  }
  const stuck = stuckInAlarm(alarm, text, readAt);
  if (stuck !== undefined) problems.push(pass([stuck]));
  return { verdict: firstProblem(problems.length > 0 ? problems : [pass()]), topicArns };
}

function thresholdVerdict(alarm: AlarmRecord, text: string, statistic: string, oneEvent: number | undefined, repair: string): LinkVerdict {
  const threshold = alarm.threshold;
  const operator = alarm.comparisonOperator;
  if (operator === 'LessThanThreshold' || operator === 'LessThanOrEqualToThreshold') {
    return fail('alarm', `${text} fires when the metric falls ${operator === 'LessThanThreshold' ? 'below' : 'to or below'} ${threshold ?? 'its threshold'}, but matching events raise it: use GreaterThanOrEqualToThreshold with ${command(repair)}`, repair);
  }
  if ((operator !== 'GreaterThanOrEqualToThreshold' && operator !== 'GreaterThanThreshold') || threshold === undefined) {
    return unknown('alarm', `trailwatch cannot verify that ${text} fires on a single event: it compares with ${operator}${threshold === undefined ? ' and no fixed threshold' : ''}`);
  }
  if (oneEvent === undefined) return pass();
  const reached = operator === 'GreaterThanOrEqualToThreshold' ? oneEvent >= threshold : oneEvent > threshold;
  if (reached) return pass();
  const sign = operator === 'GreaterThanOrEqualToThreshold' ? '>=' : '>';
  const accumulates = statistic === 'Sum' || statistic === 'SampleCount';
  const events = operator === 'GreaterThanOrEqualToThreshold' ? Math.ceil(threshold / oneEvent) : Math.floor(threshold / oneEvent) + 1;
  const needs = accumulates && oneEvent > 0 ? `${events} matching events in one period` : `more than the ${oneEvent} one event gives`;
  return fail('alarm', `${text} fires only when ${statistic} ${sign} ${threshold}, which takes ${needs}: set the threshold to 1 with ${command(repair)}`, repair);
}
