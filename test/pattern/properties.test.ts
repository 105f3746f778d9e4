import fc from 'fast-check';
import { shape } from './support';
import { jsonBody, render, reversed } from './rewrites';
import { PatternSyntaxError, covers, matchesEvent, parsePattern, printPattern, tryParsePattern } from '../../src/pattern';

/**
 * Patterns and events over a small vocabulary, so that conditions collide on the same fields and
 * values (and the search has real work to do): paths that nest and index into each other, glob
 * values over {a, b, *}, events whose fields are missing, null, scalars, objects or arrays.
 */
const PATHS = ['$.eventName', '$.eventSource', '$.userIdentity', '$.userIdentity.type', '$.a', '$.a[0]', '$.a[1]', '$.a[0].c', '$.b.c'];

const globText = fc.array(fc.constantFrom('a', 'b', '*'), { maxLength: 4 }).map((parts) => parts.join(''));

/** Conditions of the exact fragment: =, != and presence tests over literal and wildcard values. */
const exactCondition = fc.oneof(
  fc.tuple(fc.constantFrom(...PATHS), fc.constantFrom('=', '!='), globText).map(([path, operator, value]) => `${path} ${operator} "${value}"`),
  fc.tuple(fc.constantFrom(...PATHS), fc.constantFrom('= *', 'NOT EXISTS', 'IS NULL', 'IS TRUE', '= 1', '!= 1')).map(([path, test]) => `${path} ${test}`),
);

/** Conditions beyond it: regexes, order comparisons, wildcard selectors. */
const anyCondition = fc.oneof(
  { weight: 4, arbitrary: exactCondition },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...PATHS), fc.constantFrom('%^a%', '%b$%', '%a|b%', '%[ab]{2}%')).map(([path, regex]) => `${path} = ${regex}`) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...PATHS), fc.constantFrom('>', '<', '>=', '<='), fc.integer({ min: -1, max: 2 })).map(([path, operator, n]) => `${path} ${operator} ${n}`) },
  { weight: 1, arbitrary: fc.constantFrom('$.a[*] = "a"', '$.userIdentity.* = "b*"', '$.a[*].c NOT EXISTS') },
);

function expressionOf(condition: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const { expression } = fc.letrec<{ expression: string }>((tie) => ({
    expression: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      { weight: 3, arbitrary: condition },
      fc.array(tie('expression'), { minLength: 2, maxLength: 3 }).map((operands) => `(${operands.join(' && ')})`),
      fc.array(tie('expression'), { minLength: 2, maxLength: 4 }).map((operands) => `(${operands.join(' || ')})`),
    ),
  }));
  return expression;
}

const exactPattern = expressionOf(exactCondition).map((body) => `{ ${body} }`);
const anyPattern = expressionOf(anyCondition)
  .map((body) => `{ ${body} }`)
  .filter((text) => tryParsePattern(text).ok);

/** (candidate, reference) pairs: unrelated ones, and ones made to cover or be covered. */
function pairsOf(pattern: fc.Arbitrary<string>): fc.Arbitrary<[string, string]> {
  const body = (text: string) => text.slice(1, -1);
  return fc.oneof(
    fc.tuple(pattern, pattern),
    fc.tuple(pattern, pattern).map(([reference, extra]): [string, string] => [`{ (${body(reference)}) || (${body(extra)}) }`, reference]),
    fc.tuple(pattern, pattern).map(([candidate, extra]): [string, string] => [candidate, `{ (${body(candidate)}) && (${body(extra)}) }`]),
    fc.tuple(pattern, pattern, pattern).map(([shared, left, right]): [string, string] => [`{ (${body(shared)}) || (${body(left)}) }`, `{ (${body(shared)}) && (${body(right)}) }`]),
  ).filter(([candidate, reference]) => tryParsePattern(candidate).ok && tryParsePattern(reference).ok); // within AWS's limits
}

const scalar = fc.constantFrom<unknown>('', 'a', 'b', 'ab', 'ba', 'aab', 'abb', 'bab', 'x', 0, 1, 2, true, false, null);
const field = fc.oneof({ weight: 4, arbitrary: scalar }, fc.constant({}), fc.array(scalar, { maxLength: 2 }));
const event = fc.record(
  {
    eventName: scalar,
    eventSource: scalar,
    userIdentity: fc.oneof(fc.record({ type: field, c: scalar }, { requiredKeys: [] }), scalar),
    a: fc.oneof(fc.array(fc.oneof(scalar, fc.record({ c: field }, { requiredKeys: [] })), { maxLength: 3 }), field),
    b: fc.oneof(fc.record({ c: field }, { requiredKeys: [] }), scalar),
  },
  { requiredKeys: [] },
);

const RUNS = { numRuns: 150 };

describe('properties', () => {
  describe('parsePattern', () => {
    const tokenSoup = fc
      .array(
        fc.constantFrom('{', '}', '(', ')', '[', ']', ',', '...', '$.a', '$.b[0]', "$.['x.y']", '$', '.', '=', '!=', '<', '>=', '&&', '||', '&', '"x"', '"', '*', '%a%', '%', 'IS', 'NULL', 'NOT', 'EXISTS', 'TRUE', ' ', '?', '-', 'a', '1e3', '\\'),
        { maxLength: 25 },
      )
      .map((tokens) => tokens.join(''));

    it.each([
      ['any text', fc.string({ unit: 'binary', maxLength: 60 })],
      ['pattern-like text', tokenSoup],
      ['long text', fc.string({ minLength: 1000, maxLength: 1100 })],
    ])('returns a tree or throws its own PatternSyntaxError on %s', (_name, text) => {
      fc.assert(
        fc.property(text, (input) => {
          try {
            const pattern = parsePattern(input);
            expect(pattern.source).toBe(input);
          } catch (error) {
            expect(error).toBeInstanceOf(PatternSyntaxError);
            const { offset, message } = error as PatternSyntaxError;
            expect(offset).toBeGreaterThanOrEqual(0);
            expect(offset).toBeLessThanOrEqual(input.length);
            expect(message.endsWith(` at ${offset}`)).toBe(true);
          }
        }),
        { numRuns: 400 },
      );
    });

    it('round-trips print -> parse to an equal tree', () => {
      const parsable = fc.oneof(anyPattern, fc.string({ maxLength: 30 }), fc.constantFrom('[a, ..., b = "x*" && c > 1 || d = %y%, ]', 'ERROR ?WARN -"a b"', '')).filter((text) => tryParsePattern(text).ok);
      fc.assert(
        fc.property(parsable, (text) => {
          const tree = parsePattern(text);
          const printed = printPattern(tree);
          expect(shape(parsePattern(printed))).toEqual(shape(tree));
          expect(printPattern(parsePattern(printed))).toBe(printed);
        }),
        RUNS,
      );
    });
  });

  describe('matchesEvent', () => {
    it('gives the same answer for an event and its JSON line', () => {
      fc.assert(
        fc.property(anyPattern, event, (pattern, generated) => {
          expect(matchesEvent(pattern, JSON.stringify(generated))).toBe(matchesEvent(pattern, generated));
        }),
        RUNS,
      );
    });
  });

  describe('covers', () => {
    it('says every pattern covers itself, however it is written', () => {
      fc.assert(
        fc.property(exactPattern, (text) => {
          expect(covers(text, text)).toEqual({ verdict: 'covered' });
          expect(covers(render(reversed(jsonBody(text)), { compact: true }), text)).toEqual({ verdict: 'covered' });
        }),
        RUNS,
      );
    });

    it('decides every question of the exact fragment, and each not-covered counter-example separates the patterns', () => {
      fc.assert(
        fc.property(pairsOf(exactPattern), ([candidate, reference]) => {
          const result = covers(candidate, reference);
          expect(result.verdict).not.toBe('undetermined');
          if (result.verdict === 'not-covered') {
            for (const counterexample of result.counterexamples) {
              expect(matchesEvent(reference, counterexample)).toBe(true);
              expect(matchesEvent(candidate, counterexample)).toBe(false);
            }
          }
        }),
        { numRuns: 300 },
      );
    });

    it.each([
      ['the exact fragment', exactPattern],
      ['regexes, numbers and wildcard selectors', anyPattern],
    ])('never says covered when a generated event shows otherwise (%s)', (_name, pattern) => {
      fc.assert(
        fc.property(pairsOf(pattern), fc.array(event, { minLength: 40, maxLength: 40 }), ([candidate, reference], events) => {
          const result = covers(candidate, reference);
          if (result.verdict === 'covered') {
            for (const generated of events) if (matchesEvent(reference, generated)) expect(matchesEvent(candidate, generated)).toBe(true);
          }
          if (result.verdict === 'not-covered') {
            for (const counterexample of result.counterexamples) {
              expect(matchesEvent(reference, counterexample)).toBe(true);
              expect(matchesEvent(candidate, counterexample)).toBe(false);
            }
          }
        }),
        { numRuns: 300 },
      );
    });
  });
});
