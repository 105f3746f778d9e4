/** The control catalogue as the CLI needs it; the one place the commands touch src/controls. */
import { checkDefinition, controlsFor, resolveBenchmark } from '../controls';
import type { BenchmarkId, CheckSlug } from '../controls/types';
import { UsageError } from '../errors';

/** One check of one benchmark, as `trailwatch controls` lists it. */
export interface ControlListing {
  readonly control: string;
  readonly check: CheckSlug;
  readonly title: string;
  readonly level: number;
  /** The accepted reference patterns; a filter passes when it covers one of them. */
  readonly referencePatterns: readonly string[];
  /** Where the benchmark's own text was wrong and what the catalogue holds instead. */
  readonly notes: readonly string[];
}

export function benchmarkFrom(input: string): BenchmarkId {
  return resolveBenchmark(input);
}

export function checkFrom(input: string): CheckSlug {
  return checkDefinition(input).slug;
}

export function listControls(benchmark: BenchmarkId): ControlListing[] {
  return controlsFor(benchmark).map(toListing);
}

/** The check in this benchmark; a UsageError when the benchmark has no such check. */
export function controlOf(check: CheckSlug, benchmark: BenchmarkId): ControlListing {
  const [control] = controlsFor(benchmark, [check]);
  if (!control) throw new UsageError(`${benchmark} has no check ${check}`);
  return toListing(control);
}

function toListing(control: ReturnType<typeof controlsFor>[number]): ControlListing {
  return {
    control: control.control,
    check: control.check,
    title: control.title,
    level: control.level,
    referencePatterns: control.referencePatterns,
    notes: control.notes,
  };
}
