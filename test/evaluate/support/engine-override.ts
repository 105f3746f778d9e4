/**
 * The real pattern engine, with a hook for a test to answer coverage its own way (an
 * "undetermined" verdict is hard to provoke on purpose and the engine's choice of where to give
 * up may change). Use with
 * `jest.mock('../../src/pattern', () => jest.requireActual('./support/engine-override'))`.
 */
import type * as Engine from '../../../src/pattern';

const actual = jest.requireActual<typeof Engine>('../../../src/pattern');

/** Set by a test to answer coverage its own way; reset it in afterEach. */
export const coverageOverride: { covers?: typeof Engine.covers } = {};

export const {
  parsePattern,
  matchesEvent,
  PatternSyntaxError,
  printPattern,
  tryParsePattern,
  MAX_PATTERN_LENGTH,
  numberOfText,
  isNumberText,
  Work,
  WorkLimitExceeded,
  COVERAGE_STEPS,
  MATCH_STEPS,
} = actual;

export function covers(candidate: Engine.Pattern | string, reference: Engine.Pattern | string): Engine.CoverageResult {
  return (coverageOverride.covers ?? actual.covers)(candidate, reference);
}
