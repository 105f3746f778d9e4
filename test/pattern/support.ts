import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import cisPatterns from './fixtures/cis-patterns.json';
import { COVERAGE_STEPS, Work } from '../../src/pattern';

/** A tree without positions or source text, for comparing trees that came from different texts. */
export function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'start' && key !== 'end' && !(key === 'source' && isPatternRoot(value)))
      .map(([key, child]) => [key, shape(child)]),
  );
}

function isPatternRoot(value: object): boolean {
  const kind = (value as { kind?: unknown }).kind;
  return kind === 'json' || kind === 'terms' || kind === 'delimited';
}

export interface CisControl {
  readonly check: string;
  readonly control: string;
  readonly pattern: string;
}

/** The 15 CIS v4.0.0 reference patterns (copied into this test's fixtures). */
export const CIS_V4: readonly CisControl[] = cisPatterns.controls;
/** Other reference texts the samples are labelled with. */
export const CIS_VARIANTS: readonly { readonly label: string; readonly pattern: string }[] = cisPatterns.variants;

export interface CloudTrailSample {
  readonly eventName: string;
  readonly event: Record<string, unknown>;
  readonly cis_expected: readonly string[];
  readonly note: string;
}

export function cloudTrailSamples(): CloudTrailSample[] {
  return readFileSync(join(__dirname, 'fixtures', 'cloudtrail-samples.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as CloudTrailSample);
}

/**
 * The engine's steps (every Work's, the decision's, its explanation's and its witnesses'), counted
 * while `decide` runs: what a decision costs, the same on every machine and under any load. Time
 * is the bench's to measure (`npm run bench` prints the coverage CPU), never a test's.
 */
export function stepsOf<T>(decide: () => T): { value: T; steps: number } {
  let steps = 0;
  const spend = Work.prototype.spend;
  const spy = jest.spyOn(Work.prototype, 'spend').mockImplementation(function (this: Work, amount = 1) {
    steps += amount;
    spend.call(this, amount);
  });
  try {
    return { value: decide(), steps };
  } finally {
    spy.mockRestore();
  }
}

/**
 * The most one covers() may spend, as stepsOf counts: its decision's budget twice (work done on a
 * field's own Work is charged back to the decision, so the spy sees it twice), the fixed budgets of
 * its witnesses and its explanation, room for two of the regex samples an explanation draws
 * (100,000 each, and each regex's sample is cached), and one last charge past a limit.
 */
export const DECISION_STEPS = 2 * COVERAGE_STEPS + 4 * 100_000 + 20_000;
