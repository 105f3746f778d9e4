/**
 * The pattern engine under hostile input, at high run counts: whatever text arrives (a filter
 * someone typed, a pattern read from an account), parsing either gives a tree or throws its own
 * PatternSyntaxError — never another error, never the parser's "could not be read" fallback
 * (which would hide a crash), never a hang — and matching and coverage decisions on whatever
 * parses stay within their work budgets (coverage as the evaluator asks it: the account's pattern
 * against the catalogue's reference). Pathological shapes (deep nesting, wildcard runs, long
 * selectors, regexes that backtrack) are tried one by one. Matching and coverage are held to their
 * steps, which are the same on every machine; parsing spends no steps, so it has a hang guard, far
 * above any parse (a few ms) and far below a hang. How fast things are is the bench's to say.
 */
import fc from 'fast-check';
import { CHECK_SLUGS, controlsFor } from '../../src/controls';
import { covers, matchesEvent, MATCH_STEPS, MAX_PATTERN_LENGTH, parsePattern, PatternSyntaxError, tryParsePattern, type Pattern } from '../../src/pattern';
import { DECISION_STEPS, stepsOf } from '../pattern/support';

/** Parsing's hang guard: a parse takes a few ms; a hang takes minutes. */
const PARSE_HANG_MS = 10_000;
/** One match's budget, plus one last charge past it. */
const MATCH_LIMIT = MATCH_STEPS + 20_000;

const REFERENCES = controlsFor('cis-aws-v4.0.0').map((c) => c.referencePattern);

function timed<T>(what: string, work: () => T): T {
  const started = performance.now();
  const value = work();
  const elapsed = performance.now() - started;
  if (elapsed > PARSE_HANG_MS) throw new Error(`${what} took ${elapsed.toFixed(0)} ms (a hang: parsing spends a few ms)`);
  return value;
}

/** Parses, and holds the parser to its contract: a tree, or a PatternSyntaxError with an offset inside the text. */
function parseOrSyntaxError(text: string): Pattern | undefined {
  try {
    return timed(`parsing ${JSON.stringify(text.slice(0, 60))}`, () => parsePattern(text));
  } catch (error) {
    if (!(error instanceof PatternSyntaxError)) throw error;
    expect(error.message).not.toMatch(/could not be read/);
    expect(error.offset).toBeGreaterThanOrEqual(0);
    expect(error.offset).toBeLessThanOrEqual(text.length);
    return undefined;
  }
}

const EVENT = {
  eventVersion: '1.08',
  eventName: 'DetachGroupPolicy',
  eventSource: 'iam.amazonaws.com',
  eventType: 'AwsApiCall',
  errorCode: 'AccessDenied',
  userIdentity: { type: 'Root', arn: 'arn:aws:iam::111111111111:root', sessionContext: { attributes: { mfaAuthenticated: 'false' } } },
  additionalEventData: { MFAUsed: 'No' },
  requestParameters: { groupName: 'a'.repeat(2000), list: [1, 'a', null, { b: 'c' }] },
  sourceIPAddress: '203.0.113.7',
  readOnly: false,
};

/** A match within its budget: a boolean, nothing thrown. */
function matchWithinBudget(pattern: Pattern, event: Record<string, unknown> | string): boolean {
  const { value, steps } = stepsOf(() => matchesEvent(pattern, event));
  expect(steps).toBeLessThan(MATCH_LIMIT);
  return value;
}

/** A coverage decision within its budgets: a verdict, nothing thrown. */
function decideWithinBudget(candidate: Pattern, reference: string): void {
  const { value: result, steps } = stepsOf(() => covers(candidate, reference));
  expect(steps).toBeLessThan(DECISION_STEPS);
  expect(['covered', 'not-covered', 'undetermined']).toContain(result.verdict);
}

/** Matching and coverage on a pattern that parsed. */
function exercise(pattern: Pattern, withCoverage: boolean): void {
  expect(typeof matchWithinBudget(pattern, EVENT)).toBe('boolean');
  expect(typeof matchWithinBudget(pattern, JSON.stringify(EVENT))).toBe('boolean');
  if (!withCoverage) return;
  // As the evaluator asks: the account's pattern as the candidate, the catalogue's as the reference.
  for (const reference of [REFERENCES[0] as string, REFERENCES[3] as string]) decideWithinBudget(pattern, reference);
}

const PIECES = [
  '{', '}', '(', ')', '[', ']', ',', '...', ' ', '  ', '\t', '\n', '$', '.', '$.', '$.a', '$.eventName', '$.a.b', '$.a[0]', '$.a[*]', '$.*', "$.['x.y']",
  '$.["q"]', '[0]', '[-1]', '[99999999999999999999]', '=', '!=', '==', '<', '>', '<=', '>=', '&&', '||', '&', '|', '!', '"', '""', '"x"', '"a\\"b"', '"\\u0041"',
  "'", '*', '**', '"*"', '%', '%a%', '%(a+)+%', '%[%', 'IS', 'NULL', 'NOT', 'EXISTS', 'TRUE', 'FALSE', 'true', '?', '-', '+', 'a', 'ERROR', '1', '-1', '1.5',
  '1e3', '1e999', '0x10', 'NaN', '\\', '\u0000', 'é', '😀', '\u200b',
];

const soup = (maxLength: number) => fc.array(fc.constantFrom(...PIECES), { maxLength }).map((parts) => parts.join(''));

/** Near-valid JSON patterns: real selectors, operators and values, nested deep, with a mistake now and then. */
const mistake = <T>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<T>) => fc.oneof({ weight: 12, arbitrary: valid }, { weight: 1, arbitrary: invalid });
const selector = fc.constantFrom('$.eventName', '$.userIdentity.type', '$.a[0].b', '$.requestParameters.groupName', '$.errorCode', "$.['dotted.key']", '$.x.y.z');
const value = mistake(
  fc.oneof(
    fc.constantFrom('"DetachGroupPolicy"', 'Root', '"*Unauthorized*"', '"a*b*c"', '"*"', '1', '-2.5', '"é😀"'),
    fc.string({ maxLength: 8 }).map((text) => JSON.stringify(text)),
    fc.array(fc.constantFrom('*', 'a', 'b', '\\*'), { minLength: 1, maxLength: 10 }).map((parts) => `"${parts.join('')}"`),
  ),
  fc.constantFrom('"unterminated', 'x y', '', '%^Delete.*%', '%(a+)+$%'),
);
const condition = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(selector, mistake(fc.constantFrom('=', '!='), fc.constantFrom('==', '<', '>=')), value).map((parts) => parts.join(' ')) },
  { weight: 2, arbitrary: fc.tuple(selector, fc.constantFrom('IS NULL', 'NOT EXISTS', 'IS TRUE', 'IS FALSE', '= *')).map((parts) => parts.join(' ')) },
  { weight: 1, arbitrary: fc.tuple(selector, fc.constantFrom('<', '<=', '>', '>='), fc.integer({ min: -5, max: 5 })).map((parts) => parts.join(' ')) },
  { weight: 1, arbitrary: fc.constantFrom('$.a[*] = "x"', '$.userIdentity.* = "y*"') },
);

const { expression } = fc.letrec<{ expression: string }>((tie) => ({
  expression: fc.oneof(
    { depthSize: 'medium', withCrossShrink: true },
    { weight: 3, arbitrary: condition },
    tie('expression').map((e) => `(${e})`),
    fc.array(tie('expression'), { minLength: 2, maxLength: 4 }).map((operands) => operands.join(' && ')),
    fc.array(tie('expression'), { minLength: 2, maxLength: 4 }).map((operands) => operands.join(' || ')),
  ),
}));
const nearValid = fc.tuple(expression, mistake(fc.constant(''), fc.constantFrom(')', '&&', '}'))).map(([body, stray]) => `{ ${body} }${stray}`);

describe('pattern engine under hostile input', () => {
  it.each([
    ['arbitrary unicode text', fc.string({ unit: 'grapheme', maxLength: 80 }), 5000],
    ['binary text', fc.string({ unit: 'binary', maxLength: 200 }), 3000],
    ['a soup of pattern pieces', soup(60), 10_000],
    ['long soups near the length limit', soup(400).map((s) => s.slice(0, MAX_PATTERN_LENGTH + 2)), 1000],
  ])('parses %s into a tree or a PatternSyntaxError, in time', (_name, text, numRuns) => {
    fc.assert(
      fc.property(text, (input) => {
        const pattern = parseOrSyntaxError(input);
        if (pattern) expect(typeof matchWithinBudget(pattern, EVENT)).toBe('boolean');
      }),
      { numRuns },
    );
  });

  it('matches and decides coverage on near-valid JSON patterns without a throw or a hang', () => {
    let parsed = 0;
    fc.assert(
      fc.property(nearValid, (input) => {
        const pattern = parseOrSyntaxError(input);
        if (pattern) {
          parsed += 1;
          exercise(pattern, true);
        }
      }),
      { numRuns: 2000 },
    );
    // Most of them must parse, or the matcher and the coverage search were hardly tried.
    expect(parsed).toBeGreaterThan(1000);
  });

  const deep = (n: number) => `{ ${'('.repeat(n)}$.a = 1${')'.repeat(n)} }`;
  const PATHOLOGICAL: [string, string][] = [
    ['parentheses nested to the length limit', deep(505)],
    ['parentheses nested past the length limit', deep(2000)],
    ['unbalanced opening parentheses', `{ ${'('.repeat(1000)}`],
    ['braces nested', '{'.repeat(1000)],
    ['alternatives by the hundred', `{ ${Array.from({ length: 80 }, (_, i) => `$.e = "n${i}"`).join(' || ')} }`],
    ['conjunctions of wildcards on one field', `{ ${Array.from({ length: 40 }, (_, i) => `$.e = "*${i}*"`).join(' && ')} }`],
    ['alternating wildcards and letters', `{ $.requestParameters.groupName = "${'*a'.repeat(300)}b" }`],
    ['a run of wildcards', `{ $.eventName = "${'*'.repeat(900)}" }`],
    ['escaped wildcards', `{ $.eventName = "${'\\*a'.repeat(200)}" }`],
    ['negated wildcards on many fields', `{ ${Array.from({ length: 30 }, (_, i) => `$.f${i} != "*a*b*"`).join(' && ')} }`],
    ['a selector of 400 segments', `{ $${'.a'.repeat(400)} = 1 }`],
    ['a selector of 200 indexes', `{ $.a${'[0]'.repeat(200)} = 1 }`],
    ['wildcard selectors everywhere', '{ $.a[*].b.*.c[*] = "x" && $.*.* = "y" || $.z[*][*] = 1 }'],
    ['a backtracking regex', '{ $.requestParameters.groupName = %(a+)+b% }'],
    ['a nested-star regex', '{ $.requestParameters.groupName = %(a*)*$% }'],
    ['an alternation regex', '{ $.requestParameters.groupName = %(a|aa)*c% }'],
    ['a counted regex at its cap', '{ $.requestParameters.groupName = %a{1000}% }'],
    ['a counted regex past its cap', '{ $.requestParameters.groupName = %(a{1000}){1000}% }'],
    ['huge numbers', '{ $.a > 1e308 && $.b < -1e999 && $.c = 0.000000000000000000000000000001 }'],
    ['an unterminated string', `{ $.a = "${'x'.repeat(1000)}`],
    ['backslashes', `{ $.a = "${'\\\\'.repeat(400)}" }`],
    ['three hundred terms', Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? `?t${i}` : i % 3 === 1 ? `-t${i}` : `t${i}`)).join(' ')],
    ['a quoted phrase of wildcards', `"${'* '.repeat(400)}"`],
    ['a space-delimited pattern of 150 fields', `[${Array.from({ length: 150 }, (_, i) => (i % 10 === 0 ? '...' : `f${i}=*x*`)).join(', ')}]`],
    ['space-delimited conditions chained', `[a, b = ${Array.from({ length: 100 }, (_, i) => `"v${i}*"`).join(' || b = ')}]`],
  ];

  it.each(PATHOLOGICAL)('stays within its budgets on %s', (_name, text) => {
    const pattern = parseOrSyntaxError(text);
    if (pattern) exercise(pattern, true);
  });

  it('stays within its budgets when every CIS reference is checked against a pathological candidate', () => {
    // Prepare
    const candidates = PATHOLOGICAL.map(([, text]) => tryParsePattern(text)).flatMap((outcome) => (outcome.ok ? [outcome.pattern] : []));
    expect(candidates.length).toBeGreaterThanOrEqual(10);
    expect(REFERENCES).toHaveLength(CHECK_SLUGS.length);
    // Act, Assess
    for (const candidate of candidates) for (const reference of REFERENCES) decideWithinBudget(candidate, reference);
  });
});
