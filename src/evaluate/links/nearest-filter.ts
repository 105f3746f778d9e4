/**
 * When no filter on the log group is meant for a check, the one catching most of its event names
 * is named, and its fix rewrites that filter (see event-names.ts).
 */
import type { LogGroupRecord } from '../../collect/inventory';
import type { BenchmarkControl } from '../../controls/types';
import type { EvaluationContext } from '../context';
import * as fixes from '../fixes';
import { command } from '../text';
import { fail } from '../verdict';
import { describeEventNameCoverage, nearestFilter } from './event-names';
import { filterText, type FilterLink } from './metric-filter';

/**
 * The links of the nearest filter when none on the log group is meant for the check, failing with
 * what it catches and misses; its fix gives it the reference pattern and keeps its own metric
 * (name, namespace, dimensions), so an alarm on that metric keeps working. Undefined when no
 * filter catches any of the check's event names (the check then needs a filter of its own).
 */
export function nearestFilterLink(
  links: readonly FilterLink[],
  logGroup: LogGroupRecord,
  control: BenchmarkControl,
  ctx: EvaluationContext,
  viewer: string,
): FilterLink[] | undefined {
  const nearest = nearestFilter(links, control, ctx);
  if (!nearest) return undefined;
  const { filter } = nearest.candidate;
  const ofFilter = links.filter((link) => link.filter === filter);
  const total = nearest.coverage.caught.length + nearest.coverage.missed.length;
  return ofFilter.map((link) => {
    const metric = link.metric;
    const fix = fixes.putMetricFilter({
      logGroupName: logGroup.name,
      filterName: filter.name,
      pattern: control.referencePattern,
      metricName: metric?.name ?? control.definition.metric.name,
      metricNamespace: metric?.namespace ?? control.definition.metric.namespace,
      ...(metric && Object.keys(metric.dimensions).length > 0 ? { dimensions: metric.dimensions } : {}),
      region: logGroup.region,
    });
    const reason =
      `no metric filter on the log group catches every event of ${control.definition.subject}; the nearest, ` +
      `${filterText(filter, logGroup, viewer)}, ${describeEventNameCoverage(nearest.coverage)}: ` +
      `give it the ${control.benchmark} ${control.control} pattern with ${command(fix)}`;
    return { ...link, relevance: nearest.coverage.caught.length / total, verdict: fail('metricFilter', reason, fix) };
  });
}
