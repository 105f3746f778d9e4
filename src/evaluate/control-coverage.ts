/**
 * "Does this filter catch the control's events?": the one decision both `trailwatch pattern check`
 * and the evaluator's metric-filter link make.
 *
 * A filter passes when it covers ANY accepted reference of the control (see BenchmarkControl). The
 * reference's text is first taken at its word (strict); when that fails, CloudTrail-aware: the
 * filter need only catch the reference's events that are the check's subject (its own service's
 * events, of the event types CloudTrail writes for them: src/controls/cloudtrail.ts), so a filter
 * narrowed by `$.eventSource = iam.amazonaws.com` passes, and a counter-example is an event
 * CloudTrail can emit. `cloudtrailAware` says that knowledge decided the verdict (strict would
 * differ). A covering filter that also matches routine activity (src/controls/routine-events.ts)
 * passes with that event named: its alarm would stay in ALARM and never notify.
 */
import { inScope, ROUTINE_EVENTS, scopeSentence, type RoutineEvent } from '../controls';
import type { BenchmarkControl } from '../controls/types';
import { covers, matchesEvent, parsePattern, WorkLimitExceeded, type CoverageResult, type JsonExpression, type Pattern } from '../pattern';

export interface ControlCoverageOptions {
  /** Take the reference's text at its word: no CloudTrail knowledge (`--strict`, STRICT_PATTERNS=true). */
  readonly strict?: boolean;
  /** The coverage decision to use (the evaluator's memo); the engine's covers() by default. */
  readonly covers?: (candidate: Pattern, reference: string) => CoverageResult;
  /** Look for routine events the filter matches (default true). */
  readonly noise?: boolean;
}

export type ControlCoverage = CoverageResult & {
  /** CloudTrail knowledge decided the verdict: the reference's text alone gives another. */
  readonly cloudtrailAware: boolean;
  /** Why the filter's narrower scope is enough, when cloudtrailAware. */
  readonly scope?: string;
  /** A routine event a covering filter also matches. */
  readonly noise?: RoutineEvent;
};

export function coverageOfControl(candidate: Pattern, control: BenchmarkControl, options: ControlCoverageOptions = {}): ControlCoverage {
  const decide = options.covers ?? covers;
  const strict = anyCovered(control.acceptedPatterns.map((reference) => decide(candidate, reference)), control);
  let result: ControlCoverage = { ...strict, cloudtrailAware: false };
  if (strict.verdict !== 'covered' && options.strict !== true) {
    const aware = anyCovered(control.acceptedPatterns.map((reference) => decide(candidate, inScope(reference, control))), control);
    result =
      aware.verdict === strict.verdict
        ? { ...aware, cloudtrailAware: false }
        : { ...aware, cloudtrailAware: true, scope: scopeSentence(control, referenceEventNames(control)) };
  }
  if (result.verdict !== 'covered' || options.noise === false) return result;
  const noise = routineEventMatched(candidate, control);
  return noise ? { ...result, noise } : result;
}

/** Covering one reference is enough; else "cannot verify" when one is undetermined; else the misses, merged. */
function anyCovered(results: readonly CoverageResult[], control: BenchmarkControl): CoverageResult {
  const covered = results.find((result) => result.verdict === 'covered');
  if (covered) return covered;
  const undetermined = results.filter((result) => result.verdict === 'undetermined');
  if (undetermined.length > 0) {
    return { verdict: 'undetermined', reason: [...new Set(undetermined.map((result) => result.reason))].join('; ') };
  }
  const misses = results.filter((result) => result.verdict === 'not-covered');
  const [first] = misses;
  if (!first) throw new Error(`${control.check} has no reference pattern`);
  const unique = new Map(misses.flatMap((result) => result.counterexamples).map((event) => [JSON.stringify(event), event] as const));
  return { verdict: 'not-covered', counterexamples: [...unique.values()], explanation: first.explanation };
}

/** The first routine event the candidate matches and no accepted reference does. */
function routineEventMatched(candidate: Pattern, control: BenchmarkControl): RoutineEvent | undefined {
  const references = control.acceptedPatterns.map(parseReference);
  return ROUTINE_EVENTS.find((routine) => matchesWithinBudget(candidate, routine.event) && !references.some((reference) => matchesWithinBudget(reference, routine.event)));
}

function matchesWithinBudget(pattern: Pattern, event: unknown): boolean {
  try {
    return matchesEvent(pattern, event);
  } catch (error) {
    // Too costly to tell: no claim either way.
    if (error instanceof WorkLimitExceeded) return false;
    throw error;
  }
}

/** The warning's words, after the filter's name: "also matches routine activity such as ...". */
export function describeNoise(control: BenchmarkControl, routine: RoutineEvent): string {
  return `also matches routine activity such as ${routine.label}, so an alarm on its metric stays in ALARM in any busy account and does not notify of ${control.definition.subject} (an alarm notifies only when its state changes): narrow it to the ${control.benchmark} ${control.control} pattern`;
}

const parsedReferences = new Map<string, Pattern>();

/** The catalogue's references, parsed once (they must parse: a throw is a bug). */
function parseReference(reference: string): Pattern {
  let pattern = parsedReferences.get(reference);
  if (!pattern) {
    pattern = parsePattern(reference);
    parsedReferences.set(reference, pattern);
  }
  return pattern;
}

/** One literal comparison of a reference: `$.eventName = "CreateRoute"` gives ['eventName', 'CreateRoute']. */
interface LiteralComparison {
  readonly path: string;
  readonly operator: '=' | '!=';
  /** The literal pieces of the value, between its wildcards (one piece for a plain string). */
  readonly pieces: readonly string[];
}

function literalComparisons(expression: JsonExpression, found: LiteralComparison[] = []): LiteralComparison[] {
  switch (expression.kind) {
    case 'and':
    case 'or':
      for (const operand of expression.operands) literalComparisons(operand, found);
      return found;
    case 'keyword':
      return found;
    case 'comparison': {
      const { value, operator } = expression;
      if ((operator === '=' || operator === '!=') && value.kind === 'glob') {
        const path = expression.selector.segments.map((segment) => (segment.kind === 'key' ? segment.name : '*')).join('.');
        found.push({ path, operator, pieces: value.pieces });
      }
      return found;
    }
  }
}

function comparisonsOf(reference: string): LiteralComparison[] {
  const pattern = parseReference(reference);
  return pattern.kind === 'json' ? literalComparisons(pattern.body) : [];
}

/** The literal values a reference compares fields with, from its parse: "Root", "ConsoleLogin", "AccessDenied"... */
export function referenceTokens(reference: string): string[] {
  return [...new Set(comparisonsOf(reference).flatMap((comparison) => comparison.pieces.filter((piece) => piece.length > 1)))];
}

/** The event names a reference compares `$.eventName` with (`=`, no wildcard), in its order, once each. */
export function eventNamesOf(reference: string): string[] {
  const names = comparisonsOf(reference)
    .filter((comparison) => comparison.path === 'eventName' && comparison.operator === '=' && comparison.pieces.length === 1)
    .map((comparison) => comparison.pieces[0] as string);
  return [...new Set(names)];
}

/** Every event name of the control's accepted references. */
export function referenceEventNames(control: BenchmarkControl): string[] {
  return [...new Set(control.acceptedPatterns.flatMap(eventNamesOf))];
}
