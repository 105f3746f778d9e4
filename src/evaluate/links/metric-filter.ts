/**
 * Metric filter rules: the filter's pattern covers one of the check's accepted references (by
 * what it matches: the pattern engine decides), and each matching event adds a positive number
 * to its metric.
 */
import type { LogGroupRecord, MetricFilterRecord, MetricTransformation } from '../../collect/inventory';
import type { BenchmarkControl } from '../../controls/types';
import { numberOfText } from '../../pattern/number';
import type { EvaluationContext } from '../context';
import * as fixes from '../fixes';
import { command, named } from '../text';
import { fail, pass, unknown, type LinkVerdict } from '../verdict';
import { describeNoise, referenceTokens } from '../control-coverage';
import { eventNameCoverage, withEventNameMisses } from './event-names';
import { firstProblem } from './trail';

/** What a filter publishes for the alarm to watch. */
export interface PublishedMetric {
  readonly name: string;
  readonly namespace: string;
  readonly dimensions: Readonly<Record<string, string>>;
  /** What one matching event adds; undefined when the value comes from the event (`$.field`). */
  readonly value?: number;
  readonly defaultValue?: number;
  readonly filterName: string;
  readonly region: string;
  readonly accountId: string;
}

export interface FilterLink {
  readonly filter: MetricFilterRecord;
  readonly verdict: LinkVerdict;
  /** How much the filter looks like it is meant for this check (0..1), to name the closest one when none works. */
  readonly relevance: number;
  readonly metric?: PublishedMetric;
  /** Why the filter's narrower scope was enough, when CloudTrail knowledge decided its verdict (findings say so). */
  readonly scope?: string;
}

export function filterText(filter: MetricFilterRecord, logGroup: LogGroupRecord, viewer: string): string {
  return `${named('filter', filter.name)} on ${named('log group', logGroup.name, { accountId: logGroup.accountId, region: logGroup.region, viewer })}`;
}

function relevance(filter: MetricFilterRecord, control: BenchmarkControl, ctx: EvaluationContext): number {
  if (filter.transformations.some((transformation) => transformation.metricName === control.definition.metric.name)) return 1;
  // Another check's filter is never "the closest" one: rewriting it would break that check.
  const parsed = ctx.parseCandidate(filter.pattern);
  if (parsed.ok && ctx.coversAnotherCheck(parsed.pattern, control)) return 0;
  // The reference's literal values, read by its parser: a filter naming most of them is likely meant for the check.
  const tokens = referenceTokens(control.referencePattern);
  if (tokens.length === 0) return 0;
  return tokens.filter((token) => filter.pattern.includes(token)).length / tokens.length;
}

function coverageVerdict(filter: MetricFilterRecord, logGroup: LogGroupRecord, control: BenchmarkControl, ctx: EvaluationContext, viewer: string): { verdict: LinkVerdict; scope?: string } {
  const text = filterText(filter, logGroup, viewer);
  const parsed = ctx.parseCandidate(filter.pattern);
  if (!parsed.ok) {
    return { verdict: unknown('metricFilter', `trailwatch cannot read the pattern of ${text} (${parsed.error.message}), so it cannot verify what it catches`) };
  }
  const coverage = ctx.coverageOfControl(parsed.pattern, control);
  const scope = coverage.cloudtrailAware && coverage.scope !== undefined ? { scope: `CloudTrail-aware: ${coverage.scope}` } : {};
  if (coverage.verdict === 'covered') return { verdict: pass(coverage.noise ? [`${text} ${describeNoise(control, coverage.noise)}`] : []), ...scope };
  if (coverage.verdict === 'undetermined') {
    return { verdict: unknown('metricFilter', `trailwatch cannot verify that ${text} catches every event of ${control.definition.subject}: ${coverage.reason}`), ...scope };
  }
  const explained = coverage.explanation;
  // Name by name where the check lists event names: the missed ones whole, or counted.
  const explanation = withEventNameMisses(explained, eventNameCoverage(parsed.pattern, control, ctx));
  const metric = filter.transformations[0];
  const fix = fixes.putMetricFilter({
    logGroupName: logGroup.name,
    filterName: filter.name,
    pattern: control.referencePattern,
    metricName: metric?.metricName ?? control.definition.metric.name,
    metricNamespace: metric?.metricNamespace ?? control.definition.metric.namespace,
    ...(metric?.dimensions ? { dimensions: metric.dimensions } : {}),
    region: logGroup.region,
  });
  return { verdict: fail('metricFilter', `${text} ${explanation}: give it the ${control.benchmark} ${control.control} pattern with ${command(fix)}`, fix), ...scope };
}

function valueVerdict(filter: MetricFilterRecord, transformation: MetricTransformation, logGroup: LogGroupRecord, viewer: string): { verdict: LinkVerdict; value?: number } {
  const text = filterText(filter, logGroup, viewer);
  const raw = transformation.metricValue.trim();
  const fix = fixes.putMetricFilter({
    logGroupName: logGroup.name,
    filterName: filter.name,
    pattern: filter.pattern,
    metricName: transformation.metricName,
    metricNamespace: transformation.metricNamespace,
    region: logGroup.region,
  });
  const value = numberOfText(raw);
  if (value !== undefined) {
    if (value > 0) return { verdict: pass(), value };
    return { verdict: fail('metricFilter', `${text} adds ${raw} to metric ${transformation.metricName} for each event, so its alarm never sees one: set metricValue to 1 with ${command(fix)}`, fix), value };
  }
  const what = raw.startsWith('$.') ? `the event's ${raw}` : `'${raw}'`;
  return {
    verdict: unknown('metricFilter', `${text} adds ${what} to metric ${transformation.metricName} for each event, so trailwatch cannot verify that a single matching event reaches the alarm: set metricValue to 1 with ${command(fix)}`, fix),
  };
}

/** One verdict per metric the filter publishes (AWS allows one transformation; an empty list is a failure). */
export function filterLinks(filter: MetricFilterRecord, logGroup: LogGroupRecord, control: BenchmarkControl, ctx: EvaluationContext, viewer: string): FilterLink[] {
  const { verdict: coverage, scope } = coverageVerdict(filter, logGroup, control, ctx, viewer);
  const score = coverage.outcome === 'pass' ? 1 : relevance(filter, control, ctx);
  const scoped = scope !== undefined ? { scope } : {};
  if (filter.transformations.length === 0) {
    return [{ filter, relevance: score, ...scoped, verdict: firstProblem([coverage, fail('metricFilter', `${filterText(filter, logGroup, viewer)} publishes no metric: add a metric transformation`)]) }];
  }
  return filter.transformations.map((transformation) => {
    const value = valueVerdict(filter, transformation, logGroup, viewer);
    return {
      filter,
      relevance: score,
      ...scoped,
      verdict: firstProblem([coverage, value.verdict]),
      metric: {
        name: transformation.metricName,
        namespace: transformation.metricNamespace,
        dimensions: transformation.dimensions ?? {},
        ...(value.value !== undefined ? { value: value.value } : {}),
        ...(transformation.defaultValue !== undefined ? { defaultValue: transformation.defaultValue } : {}),
        filterName: filter.name,
        region: logGroup.region,
        accountId: logGroup.accountId,
      },
    };
  });
}

/** The reason when no filter on the log group is even close to the check. */
export function missingFilter(logGroup: LogGroupRecord, control: BenchmarkControl, viewer: string): LinkVerdict {
  const fix = fixes.putMetricFilter({
    logGroupName: logGroup.name,
    filterName: control.check.replace(/_/g, '-'),
    pattern: control.referencePattern,
    metricName: control.definition.metric.name,
    metricNamespace: control.definition.metric.namespace,
    region: logGroup.region,
  });
  const group = named('log group', logGroup.name, { accountId: logGroup.accountId, region: logGroup.region, viewer });
  return fail('metricFilter', `no metric filter on ${group} catches ${control.definition.subject}: create one with ${command(fix)}`, fix);
}
