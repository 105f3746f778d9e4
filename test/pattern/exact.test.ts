import fc from 'fast-check';
import { covers, matchesEvent, tryParsePattern } from '../../src/pattern';
import { comparisonAutomaton, NUMBER_TEXTS, type Comparison } from '../../src/pattern/number-text';
import { MATCH_STEPS, Work } from '../../src/pattern/work';

/**
 * Coverage of one field's text and number conditions, against brute force: every string over
 * {a, b, 1, .} up to 4 characters and a spread of numbers. A value the brute force finds that the
 * reference matches and the candidate misses must make the verdict not-covered; a covered verdict
 * must survive every value; 'undetermined' only ever means the work budget ran out, or the one
 * documented gap: every number text the conditions allow has more significant digits than a
 * double prints with (e.g. `$.f != "11*1"` beside `$.f < 1e21`: only texts of 22 or more digits are left).
 */
const ALPHABET = ['a', 'b', '1', '.'];
const STRINGS: string[] = [''];
for (let length = 1, layer = ['']; length <= 4; length += 1) {
  layer = layer.flatMap((prefix) => ALPHABET.map((character) => prefix + character));
  STRINGS.push(...layer);
}
const NUMBERS = [-1e21, -12, -5.5, -1, -0.5, 0, 0.5, 1, 1.5, 2, 5, 5.5, 6, 10, 11, 11.5, 100, 1e21, 1.5e21, 1e-7, 0.000001, 12345.678];
const VALUES: unknown[] = [...STRINGS, ...NUMBERS, true, false, null];

const regexToken = fc.constantFrom('a', 'b', '1', '.', '[ab]', '[^a]', '\\d', '\\w', '\\.', '\\x61', '*', '+', '?', '{1,2}', '{2}', '^', '$', '|');
const regex = fc.array(regexToken, { minLength: 1, maxLength: 6 }).map((tokens) => `%${tokens.join('')}%`);
const glob = fc.array(fc.constantFrom('a', 'b', '1', '*'), { minLength: 1, maxLength: 4 }).map((parts) => `"${parts.join('')}"`);
const number = fc.constantFrom('0', '1', '5', '5.5', '11', '-1', '1e21');
const condition = fc.oneof(
  fc.tuple(fc.constantFrom('=', '!='), fc.oneof(regex, glob, number)).map(([operator, value]) => `$.f ${operator} ${value}`),
  fc.tuple(fc.constantFrom('<', '<=', '>', '>='), number).map(([operator, value]) => `$.f ${operator} ${value}`),
  fc.constant('$.f NOT EXISTS'),
);
const body = fc
  .tuple(fc.array(condition, { minLength: 1, maxLength: 3 }), fc.constantFrom(' && ', ' || '), fc.option(condition, { nil: undefined }))
  .map(([conditions, join, extra]) => `(${conditions.join(join)})${extra ? ` ${join === ' && ' ? '||' : '&&'} ${extra}` : ''}`);
const pattern = body.map((text) => `{ ${text} }`).filter((text) => tryParsePattern(text).ok);

/** The two reasons the README gives for 'cannot verify' on these patterns. */
function expectDocumentedUndetermined(result: { workLimit?: boolean; reason?: string }): void {
  if (result.workLimit !== true) expect(result.reason).toMatch(/are not how any JSON number prints \(too many significant digits\)/);
}

function separating(candidate: string, reference: string): unknown[] {
  const events = [{}, ...VALUES.map((value) => ({ f: value }))];
  return events.filter((event) => matchesEvent(reference, event) && !matchesEvent(candidate, event));
}

describe('exact coverage of text and number conditions', () => {
  it('agrees with brute force over short strings and a spread of numbers', () => {
    fc.assert(
      fc.property(pattern, pattern, (candidate, reference) => {
        const result = covers(candidate, reference);
        const found = separating(candidate, reference);
        if (result.verdict === 'undetermined') {
          expectDocumentedUndetermined(result);
          return;
        }
        if (found.length > 0) expect(result.verdict).toBe('not-covered');
        if (result.verdict === 'not-covered') {
          for (const event of result.counterexamples) {
            expect(matchesEvent(reference, event)).toBe(true);
            expect(matchesEvent(candidate, event)).toBe(false);
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it('says why it cannot decide the documented gap', () => {
    const result = covers('{ ($.f < 1e21) || $.f != "11*1" }', '{ ($.f = "a" && $.f NOT EXISTS) || $.f > 0 }');
    expect(result.verdict).toBe('undetermined');
    if (result.verdict === 'undetermined') expectDocumentedUndetermined(result);
  });

  it('finds a number in exponent notation whose text holds a point (no mantissa ends in a zero)', () => {
    // A random seed found this one 'cannot verify': the search stopped at "1.0e+21", which no number prints as.
    const candidate = '{ ($.f >= 0 || $.f NOT EXISTS) && $.f != %\\.% }';
    const reference = '{ ($.f != "a" || $.f < 0) && $.f >= 1e21 }';
    const result = covers(candidate, reference);
    expect(result.verdict).toBe('not-covered');
    if (result.verdict !== 'not-covered') return;
    expect(result.counterexamples[0]).toHaveProperty('f', 1.1e21);
    for (const event of result.counterexamples) expect([matchesEvent(reference, event), matchesEvent(candidate, event)]).toEqual([true, false]);
  });

  it('decides a pattern against itself widened by one alternative', () => {
    const widened = fc.tuple(pattern, condition).filter(([reference, extra]) => tryParsePattern(`{ ${reference.slice(1, -1)} || ${extra} }`).ok);
    fc.assert(
      fc.property(widened, ([reference, extra]) => {
        const result = covers(`{ ${reference.slice(1, -1)} || ${extra} }`, reference);
        if (result.verdict === 'undetermined') expectDocumentedUndetermined(result);
        else expect(result).toEqual({ verdict: 'covered' });
      }),
      { numRuns: 200 },
    );
  });
});

describe('number texts', () => {
  const accepts = (automaton: typeof NUMBER_TEXTS, text: string) => new Work(100 * MATCH_STEPS).automaton(automaton).accepts(text);
  const doubles = fc.oneof(
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer({ min: -1000, max: 1000 }).map((n) => n / 8),
    fc.constantFrom(0, -0, 1e21, 1e-6, 1e-7, 5, 5.5, -5.5, 1.2345678901234568e20, Number.MAX_VALUE, Number.MIN_VALUE),
  );

  it('holds the text JavaScript prints for every number', () => {
    fc.assert(
      fc.property(doubles, (value) => {
        expect(accepts(NUMBER_TEXTS, String(value))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('tells every printed number on the right side of a bound', () => {
    fc.assert(
      fc.property(doubles, doubles, fc.constantFrom<Comparison>('<', '<=', '>', '>='), (value, bound, comparison) => {
        const expected = comparison === '<' ? value < bound : comparison === '<=' ? value <= bound : comparison === '>' ? value > bound : value >= bound;
        const accepted = accepts(comparisonAutomaton(comparison, bound), String(value));
        // Every printed text it holds is on that side; it holds every positional one on that side.
        if (accepted) expect(expected).toBe(true);
        if (expected && !String(value).includes('e')) expect(accepted).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});
