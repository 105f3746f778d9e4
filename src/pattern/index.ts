/**
 * The CloudWatch Logs filter-pattern language. PLACEHOLDER API: the engine (parser, matcher,
 * printer, coverage) replaces these bodies; the exported names and signatures are the contract
 * the rest of trailwatch codes against.
 */
import { TrailwatchError } from '../errors';

/** A pattern that does not parse; `offset` is the 0-based character position of the problem. */
export class PatternSyntaxError extends TrailwatchError {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** A parsed pattern (the engine gives it its real tree). */
export interface Pattern {
  readonly source: string;
}

export type CoverageResult =
  | { readonly verdict: 'covered' }
  | {
      readonly verdict: 'not-covered';
      /** CloudTrail-shaped events the reference matches and the candidate does not. */
      readonly counterexamples: Record<string, unknown>[];
      /** One line a person can act on, e.g. "misses eventName = DetachGroupPolicy". */
      readonly explanation: string;
    }
  | { readonly verdict: 'undetermined'; readonly reason: string };

/** Parses a filter pattern; throws PatternSyntaxError and nothing else. */
export function parsePattern(text: string): Pattern {
  if (text.length > 1024) throw new PatternSyntaxError('a filter pattern has at most 1024 characters', 1024);
  return { source: text };
}

/** Does the pattern match this event (a parsed JSON value, or a raw log line)? */
export function matchesEvent(_pattern: Pattern | string, _event: unknown): boolean {
  throw new TrailwatchError('pattern matching is not implemented yet');
}

/** Does `candidate` match every event `reference` matches? Throws PatternSyntaxError when either does not parse. */
export function covers(candidate: Pattern | string, reference: Pattern | string): CoverageResult {
  const text = (p: Pattern | string) => (typeof p === 'string' ? p : p.source).replace(/\s+/g, '');
  return text(candidate) === text(reference)
    ? { verdict: 'covered' }
    : { verdict: 'undetermined', reason: 'placeholder engine: only identical patterns are decided' };
}
