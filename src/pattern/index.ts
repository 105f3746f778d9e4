/**
 * The CloudWatch Logs filter-pattern language: parse (with offsets and clear errors), print,
 * match events, and decide whether one pattern covers another.
 */
export { PatternSyntaxError } from './errors';
export { parsePattern, tryParsePattern, MAX_PATTERN_LENGTH } from './parse';
export { printPattern } from './print';
export { matchesEvent } from './match';
export { isNumberText, numberOfText } from './number';
export { covers, decideCoverage } from './coverage';
export { COVERAGE_STEPS, MATCH_STEPS, Work, WorkLimitExceeded } from './work';
export type {
  CoverageResult,
  ComparisonOperator,
  DelimitedField,
  DelimitedPattern,
  FieldCondition,
  JsonCondition,
  JsonExpression,
  JsonPattern,
  KeywordTest,
  ParseOutcome,
  Pattern,
  Selector,
  SelectorSegment,
  Term,
  TermPattern,
  Value,
} from './types';
