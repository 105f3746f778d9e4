/**
 * The parsed form of a CloudWatch Logs filter pattern: a `readonly kind` union whose nodes keep the
 * `start`/`end` offsets (0-based, end exclusive) of the text they came from.
 *
 * Trees are semantic: quoting, redundant parentheses and whitespace are not kept, and `&&`/`||`
 * chains are n-ary (`a && (b && c)` is one `and` with three operands), so printing a tree and
 * parsing the text back gives an equal tree.
 */
import type { PatternSyntaxError } from './errors';

interface Span {
  readonly start: number;
  readonly end: number;
}

/** One step of a JSON selector: `.name` / `['name']`, `[n]`, `.*`, `[*]`. */
export type SelectorSegment =
  | { readonly kind: 'key'; readonly name: string }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'anyKey' }
  | { readonly kind: 'anyIndex' };

export interface Selector extends Span {
  readonly kind: 'selector';
  readonly segments: readonly SelectorSegment[];
}

/**
 * A string value with `*` wildcards: the literal pieces between the wildcards. `"abc"` is
 * `['abc']`, `"Access*"` is `['Access', '']`, `*` alone is `['', '']`. Runs of `*` are one wildcard
 * and empty middle pieces are dropped, so equal globs have equal pieces.
 */
export interface GlobValue extends Span {
  readonly kind: 'glob';
  readonly pieces: readonly string[];
}

/** An unquoted number: `400`, `-1.5`, `+1000`, `10e-3`. `text` is kept for printing. */
export interface NumberValue extends Span {
  readonly kind: 'number';
  readonly value: number;
  readonly text: string;
}

/** `%regex%`: `source` is the text between the percent signs. */
export interface RegexValue extends Span {
  readonly kind: 'regex';
  readonly source: string;
}

export type Value = GlobValue | NumberValue | RegexValue;

export const COMPARISON_OPERATORS = ['=', '!=', '<', '<=', '>', '>='] as const;
export type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number];

export const KEYWORD_TESTS = ['IS NULL', 'IS TRUE', 'IS FALSE', 'NOT EXISTS'] as const;
export type KeywordTest = (typeof KEYWORD_TESTS)[number];

export interface JsonComparison extends Span {
  readonly kind: 'comparison';
  readonly selector: Selector;
  readonly operator: ComparisonOperator;
  readonly value: Value;
}

export interface JsonKeywordTest extends Span {
  readonly kind: 'keyword';
  readonly selector: Selector;
  readonly test: KeywordTest;
}

export type JsonCondition = JsonComparison | JsonKeywordTest;

export interface JsonLogical extends Span {
  readonly kind: 'and' | 'or';
  readonly operands: readonly JsonExpression[];
}

export type JsonExpression = JsonCondition | JsonLogical;

/** `{ ... }`: matches JSON log events. */
export interface JsonPattern extends Span {
  readonly kind: 'json';
  readonly source: string;
  readonly body: JsonExpression;
}

/** A term of an unstructured pattern: plain words and `"phrases"` are both `text`. */
export interface Term extends Span {
  readonly kind: 'term';
  /** `require`: must appear; `optional`: `?term`; `exclude`: `-term`. */
  readonly mode: 'require' | 'optional' | 'exclude';
  readonly value: { readonly kind: 'text'; readonly text: string } | RegexValue;
}

/** `ERROR -Exiting ?WARN "a phrase"`: matches raw log lines; no terms matches every event. */
export interface TermPattern extends Span {
  readonly kind: 'terms';
  readonly source: string;
  readonly terms: readonly Term[];
}

export interface FieldComparison extends Span {
  readonly kind: 'fieldComparison';
  readonly field: string;
  readonly operator: ComparisonOperator;
  readonly value: Value;
}

export interface FieldLogical extends Span {
  readonly kind: 'and' | 'or';
  readonly operands: readonly FieldCondition[];
}

export type FieldCondition = FieldComparison | FieldLogical;

/** `...` skips any number of fields; a field named '' (a trailing comma) is one unnamed field. */
export type DelimitedField =
  | ({ readonly kind: 'skip' } & Span)
  | ({ readonly kind: 'field'; readonly name: string; readonly condition?: FieldCondition } & Span);

/** `[ip, user, ..., status_code = 4*, bytes > 1000]`: matches space-delimited log lines. */
export interface DelimitedPattern extends Span {
  readonly kind: 'delimited';
  readonly source: string;
  readonly fields: readonly DelimitedField[];
}

export type Pattern = JsonPattern | TermPattern | DelimitedPattern;

export type CoverageResult =
  | { readonly verdict: 'covered' }
  | {
      readonly verdict: 'not-covered';
      /** CloudTrail-shaped events the reference matches and the candidate does not. */
      readonly counterexamples: Record<string, unknown>[];
      /** One line a person can act on, e.g. "misses eventName = DetachGroupPolicy". */
      readonly explanation: string;
    }
  | {
      readonly verdict: 'undetermined';
      readonly reason: string;
      /** Set when the work budget ran out ("the pattern is too complex to decide"). */
      readonly workLimit?: true;
    };

export type ParseOutcome = { readonly ok: true; readonly pattern: Pattern } | { readonly ok: false; readonly error: PatternSyntaxError };
