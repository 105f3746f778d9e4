/**
 * Filters judged name by name, for checks whose reference lists CloudTrail event names
 * (`$.eventName = X || ...`): which of the check's names a filter catches. A failing filter's
 * missed names are then listed whole, or the rest counted ("and 9 more"); and when no filter on
 * the log group is meant for the check, the one catching most of its names is named, and its fix
 * rewrites that filter with its own metric, so the alarm on the metric keeps working.
 *
 * "Catches name E" is decided by the pattern engine (src/pattern, through the context's memo): the
 * filter covers the reference narrowed to `$.eventName = E`.
 */
import type { MetricFilterRecord } from '../../collect/inventory';
import type { BenchmarkControl } from '../../controls/types';
import type { Pattern } from '../../pattern';
import type { EvaluationContext } from '../context';
import { eventNamesOf } from '../control-coverage';

/** Missed names listed before "and N more". */
export const MISSED_NAMES_LISTED = 5;

export { eventNamesOf } from '../control-coverage';

export interface EventNameCoverage {
  readonly caught: readonly string[];
  readonly missed: readonly string[];
}

/**
 * Which of the check's event names the pattern catches; undefined for checks that list fewer than
 * two (root usage, console sign-in...), where counting names says nothing.
 */
export function eventNameCoverage(candidate: Pattern, control: BenchmarkControl, ctx: EvaluationContext): EventNameCoverage | undefined {
  return ctx.perPatternMemo(candidate, `event names ${control.benchmark} ${control.check}`, () => eventNameCoverageOnce(candidate, control, ctx));
}

function eventNameCoverageOnce(candidate: Pattern, control: BenchmarkControl, ctx: EvaluationContext): EventNameCoverage | undefined {
  const reference = control.referencePattern.trim();
  const names = eventNamesOf(reference);
  if (names.length < 2 || !reference.startsWith('{') || !reference.endsWith('}')) return undefined;
  const body = reference.slice(1, -1);
  const caught: string[] = [];
  const missed: string[] = [];
  for (const name of names) {
    // Undetermined counts as missed: a name is caught only when the engine is sure.
    // Narrowed to the check's CloudTrail subject too, as the filter's own verdict is (unless strict).
    const result = ctx.covers(candidate, ctx.scoped(`{ ($.eventName = "${name}") && (${body}) }`, control));
    (result.verdict === 'covered' ? caught : missed).push(name);
  }
  return { caught, missed };
}

/** "catches 2 of 16 event names; misses DeleteGroupPolicy, DeleteRolePolicy, ... and 9 more" */
export function describeEventNameCoverage(coverage: EventNameCoverage): string {
  const total = coverage.caught.length + coverage.missed.length;
  const listed = coverage.missed.slice(0, MISSED_NAMES_LISTED).join(', ');
  const more = coverage.missed.length - MISSED_NAMES_LISTED;
  return `catches ${coverage.caught.length} of ${total} event names; misses ${listed}${more > 0 ? ` and ${more} more` : ''}`;
}

/**
 * The engine's explanation, unless its "misses ..." part (drawn from a few counter-examples) leaves
 * out missed names without saying so: then that part becomes the complete name count, and the
 * other parts (conditions the filter adds) are kept.
 */
export function withEventNameMisses(explanation: string, coverage: EventNameCoverage | undefined): string {
  if (!coverage || coverage.missed.length === 0) return explanation;
  const parts = explanation.split('; ');
  const misses = parts.find((part) => part.startsWith('misses ')) ?? '';
  const named = new Set([...misses.matchAll(/eventName = ([A-Za-z0-9_.-]+)/g)].map((match) => match[1]));
  if (!/ and \d+ more$/.test(misses) && coverage.missed.every((name) => named.has(name))) return explanation;
  return [describeEventNameCoverage(coverage), ...parts.filter((part) => part !== misses)].join('; ');
}

export interface NearestFilter<T> {
  readonly candidate: T;
  readonly coverage: EventNameCoverage;
}

/**
 * Of filters none of which is meant for the check, the one catching most of its event names (at
 * least one; the first of equals). A filter that covers another check is that check's and never
 * the nearest: rewriting it would break the other check.
 */
export function nearestFilter<T extends { readonly filter: MetricFilterRecord }>(
  candidates: readonly T[],
  control: BenchmarkControl,
  ctx: EvaluationContext,
): NearestFilter<T> | undefined {
  let best: NearestFilter<T> | undefined;
  for (const candidate of candidates) {
    const parsed = ctx.parseCandidate(candidate.filter.pattern);
    if (!parsed.ok || ctx.coversAnotherCheck(parsed.pattern, control)) continue;
    const coverage = eventNameCoverage(parsed.pattern, control, ctx);
    if (!coverage || coverage.caught.length === 0) continue;
    if (!best || coverage.caught.length > best.coverage.caught.length) best = { candidate, coverage };
  }
  return best;
}

