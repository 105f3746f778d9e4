/**
 * A stand-in for the pattern engine's coverage while main still has the placeholder (which only
 * decides identical text and calls everything else undetermined): identical text (spacing aside)
 * is covered, anything else is not. That is what the real engine answers for the patterns these
 * fixtures use (the CIS references, copied exactly), so the evaluator tests hold with either.
 * Tests that need the real engine's judgement (reformatted or broken patterns) do not use it.
 */
import type * as Engine from '../../../src/pattern';

const actual = jest.requireActual<typeof Engine>('../../../src/pattern');

export const { parsePattern, matchesEvent, PatternSyntaxError } = actual;
export type { CoverageResult, Pattern } from '../../../src/pattern';

/** Set by a test to answer coverage its own way (reset it in afterEach). */
export const coverageOverride: { covers?: typeof Engine.covers } = {};

export function covers(candidate: Engine.Pattern | string, reference: Engine.Pattern | string): Engine.CoverageResult {
  if (coverageOverride.covers) return coverageOverride.covers(candidate, reference);
  const text = (pattern: Engine.Pattern | string) => (typeof pattern === 'string' ? pattern : pattern.source).replace(/\s+/g, '');
  if (text(candidate) === text(reference)) return { verdict: 'covered' };
  return { verdict: 'not-covered', counterexamples: [], explanation: 'does not match every event the reference matches' };
}
