/**
 * The catalogue of CIS monitoring controls: benchmarks, checks and their reference patterns.
 * Pure data and lookups; no AWS.
 */
import { BENCHMARKS, CHECKS, CHECKS_BY_SLUG, benchmarkInfo } from './catalogue';
import { CheckNotInBenchmarkError, UnknownBenchmarkError, UnknownCheckError } from './errors';
import {
  BENCHMARK_IDS,
  CHECK_SLUGS,
  type BenchmarkControl,
  type BenchmarkId,
  type CheckDefinition,
  type CheckRecord,
  type CheckSlug,
} from './types';

export { BENCHMARKS, CHECKS, benchmarkInfo } from './catalogue';
export { CheckNotInBenchmarkError, UnknownBenchmarkError, UnknownCheckError } from './errors';
export { BENCHMARK_IDS, CHECK_SLUGS, DEFAULT_BENCHMARK } from './types';
export {
  CLOUDTRAIL_SUBJECTS,
  EVENT_TYPES,
  SHARED_EVENT_NAMES,
  USER_IDENTITY_TYPES,
  inScope,
  scopeSentence,
  subjectCondition,
} from './cloudtrail';
export type { CloudTrailSubject, EventType, UserIdentityType } from './cloudtrail';
export { ROUTINE_EVENTS } from './routine-events';
export type { RoutineEvent } from './routine-events';
export { CROSSWALK, CROSSWALK_SOURCES, FRAMEWORKS, FRAMEWORK_IDS, crosswalkFor, frameworkFrom, relatedRequirements } from './crosswalk';
export type { CrosswalkEntry, CrosswalkMapping, CrosswalkSourceId, FrameworkId, FrameworkInfo } from './crosswalk';
export type {
  Assessment,
  BenchmarkControl,
  BenchmarkId,
  BenchmarkInfo,
  CheckDefinition,
  CheckRecord,
  CheckSlug,
  ControlRecord,
  EventScope,
  Level,
} from './types';

/**
 * Reads a benchmark name as people write it: `cis-aws-v4.0.0`, `v4.0.0`, `4.0.0`, `4.0`, `4`
 * (case and surrounding space ignored). A prefix of a version picks it when it is the only match.
 */
export function resolveBenchmark(input: string): BenchmarkId {
  const text = input.trim().toLowerCase();
  const valid = BENCHMARK_IDS.join(', ');
  const version = /^(?:cis-aws-)?v?(\d+(?:\.\d+){0,2})$/.exec(text)?.[1];
  if (version === undefined) {
    throw new UnknownBenchmarkError(input, [], `unknown benchmark '${input}': use one of ${valid} (or a short form such as 4.0)`);
  }
  const wanted = version.split('.');
  const candidates = BENCHMARKS.filter((benchmark) => {
    const parts = benchmark.version.split('.');
    return wanted.every((part, index) => Number(part) === Number(parts[index]));
  }).map((benchmark) => benchmark.id);
  const [only] = candidates;
  if (candidates.length === 1 && only) return only;
  if (candidates.length > 1) {
    throw new UnknownBenchmarkError(input, candidates, `benchmark '${input}' is ambiguous: it could be ${candidates.join(', ')}`);
  }
  throw new UnknownBenchmarkError(input, [], `unknown benchmark '${input}': use one of ${valid} (or a short form such as 4.0)`);
}

function isCheckSlug(text: string): text is CheckSlug {
  return (CHECK_SLUGS as readonly string[]).includes(text);
}

function checkRecord(slug: CheckSlug): CheckRecord {
  const record = CHECKS_BY_SLUG.get(slug);
  if (!record) throw new UnknownCheckError(slug, `unknown check '${slug}': use one of ${CHECK_SLUGS.join(', ')}`);
  return record;
}

/** What a check is, whatever the benchmark: metric, event sources, where its events are recorded. */
export function checkDefinition(slug: CheckSlug): CheckDefinition {
  const { controls: _controls, ...definition } = checkRecord(slug);
  return definition;
}

/**
 * Reads a list of check slugs: a comma- or space-separated text, or a list. Case is ignored and
 * `-` may stand for `_`; duplicates are dropped, order is kept. Unknown slugs are a clear error.
 */
export function parseCheckSlugs(input: string | readonly string[]): CheckSlug[] {
  const items = (typeof input === 'string' ? input.split(/[\s,]+/) : input.flatMap((item) => item.split(/[\s,]+/)))
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
  if (items.length === 0) throw new UnknownCheckError('', `no checks given: use one or more of ${CHECK_SLUGS.join(', ')}`);
  const slugs: CheckSlug[] = [];
  const unknown: string[] = [];
  for (const item of items) {
    const normalised = item.toLowerCase().replace(/-/g, '_');
    if (!isCheckSlug(normalised)) unknown.push(item);
    else if (!slugs.includes(normalised)) slugs.push(normalised);
  }
  if (unknown.length > 0) {
    const names = unknown.map((item) => `'${item}'`).join(', ');
    throw new UnknownCheckError(unknown.join(','), `unknown check${unknown.length > 1 ? 's' : ''} ${names}: use one or more of ${CHECK_SLUGS.join(', ')}`);
  }
  return slugs;
}

function compareControlIds(a: string, b: string): number {
  const left = a.split('.').map(Number);
  const right = b.split('.').map(Number);
  for (let index = 0; index < Math.max(left.length, right.length); index += 1) {
    const difference = (left[index] ?? 0) - (right[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/**
 * The controls of a benchmark, ordered by control number: all of them, or the selected checks.
 * Selecting a check the benchmark does not have is a CheckNotInBenchmarkError.
 */
export function controlsFor(benchmark: BenchmarkId, checks?: readonly CheckSlug[]): BenchmarkControl[] {
  benchmarkInfo(benchmark);
  const selected = checks === undefined ? CHECKS.map((check) => check.slug) : [...new Set(checks)];
  const missing = selected.filter((slug) => checkRecord(slug).controls[benchmark] === undefined);
  if (missing.length > 0 && checks !== undefined) {
    const available = CHECKS.filter((check) => check.controls[benchmark]).map((check) => check.slug);
    throw new CheckNotInBenchmarkError(
      benchmark,
      missing,
      `${benchmark} has no ${missing.join(', ')} control: pick another benchmark or one of ${available.join(', ')}`,
    );
  }
  const controls: BenchmarkControl[] = [];
  for (const slug of selected) {
    const record = checkRecord(slug);
    const control = record.controls[benchmark];
    if (!control) continue;
    const { controls: _controls, ...definition } = record;
    controls.push({
      benchmark,
      check: slug,
      control: control.id,
      title: control.title,
      level: control.level,
      assessment: control.assessment,
      referencePattern: control.pattern,
      acceptedPatterns: [control.pattern, ...(control.alternatives ?? [])],
      ...(control.printedPattern !== undefined ? { printedPattern: control.printedPattern } : {}),
      corrected: control.printedPattern !== undefined,
      notes: control.notes ?? [],
      definition,
    });
  }
  return controls.sort((a, b) => compareControlIds(a.control, b.control));
}
