/** The control catalogue as the CLI needs it; the one place the commands touch src/controls. */
import { type BenchmarkControl, controlsFor, crosswalkFor, type CrosswalkEntry, parseCheckSlugs, resolveBenchmark } from '../controls';
import type { BenchmarkId, CheckSlug } from '../controls/types';
import { UsageError } from '../errors';

/** One check of one benchmark, as `trailwatch controls` lists it. */
export interface ControlListing {
  readonly control: string;
  readonly check: CheckSlug;
  readonly title: string;
  readonly level: number;
  /** Every accepted reference pattern, the primary first; a filter passes when it covers one of them. */
  readonly referencePatterns: readonly string[];
  /** The benchmark's own text, where the catalogue corrects it. */
  readonly printedPattern?: string;
  /** Corrections and quirks of the benchmark's text. */
  readonly notes: readonly string[];
  /** Related requirements of other frameworks, each with its source, or why none is mapped. */
  readonly crosswalk: readonly CrosswalkEntry[];
}

export function benchmarkFrom(input: string): BenchmarkId {
  return resolveBenchmark(input);
}

/** Exactly one check slug (case and `-` for `_` forgiven). */
export function checkFrom(input: string): CheckSlug {
  const [check, ...more] = parseCheckSlugs(input);
  if (!check || more.length > 0) throw new UsageError(`give one check, not ${[check, ...more].join(', ')}`);
  return check;
}

export function listControls(benchmark: BenchmarkId): ControlListing[] {
  return controlsFor(benchmark).map(toListing);
}

/** The check in this benchmark; a usage error when the benchmark has no such check. */
export function controlOf(check: CheckSlug, benchmark: BenchmarkId): ControlListing {
  const [control] = controlsFor(benchmark, [check]);
  if (!control) throw new UsageError(`${benchmark} has no ${check} control`);
  return toListing(control);
}

/** The check in this benchmark as the evaluator sees it (for decisions shared with it); a usage error when the benchmark has no such check. */
export function benchmarkControlOf(check: CheckSlug, benchmark: BenchmarkId): BenchmarkControl {
  const [control] = controlsFor(benchmark, [check]);
  if (!control) throw new UsageError(`${benchmark} has no ${check} control`);
  return control;
}

function toListing(control: BenchmarkControl): ControlListing {
  return {
    control: control.control,
    check: control.check,
    title: control.title,
    level: control.level,
    referencePatterns: control.acceptedPatterns,
    ...(control.printedPattern !== undefined ? { printedPattern: control.printedPattern } : {}),
    notes: control.notes,
    crosswalk: crosswalkFor(control.check),
  };
}
