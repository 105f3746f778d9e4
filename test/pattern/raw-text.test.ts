import fc from 'fast-check';
import { controlsFor } from '../../src/controls';
import { covers, matchesEvent, tryParsePattern } from '../../src/pattern';

/**
 * Term patterns against JSON references: a term pattern is matched on the event's raw text (its
 * JSON text). Every verdict is checked against brute force over small events; a covered verdict
 * holds for all of them, a counter-example separates, and a separating event found by brute
 * force never meets 'covered'. 'undetermined' remains where the text a term needs is not fixed by
 * the reference (see README).
 */
const VALUES = ['a', 'ab', 'ba', 'b', 'ConsoleLogin', 'x y', 1, 12, true, null];
const EVENTS: Record<string, unknown>[] = [{}];
for (const f of VALUES) {
  EVENTS.push({ f });
  EVENTS.push({ g: f });
  for (const g of VALUES) EVENTS.push({ f, g });
}

const term = fc.constantFrom('a', 'ab', 'b', 'f', 'g', 'Console', 'ConsoleLogin', '"x y"', '1', 'true', 'zz', '%a|zz%', '%b[ab]%', '%^{%');
const terms = fc
  .array(fc.tuple(fc.constantFrom('', '', '?', '-'), term), { minLength: 1, maxLength: 3 })
  .map((parts) => parts.map(([mode, text]) => `${mode}${text}`).join(' '))
  .filter((text) => tryParsePattern(text).ok);
const condition = fc.oneof(
  fc.tuple(fc.constantFrom('$.f', '$.g'), fc.constantFrom('=', '!='), fc.constantFrom('"a"', '"ab"', '"a*"', '"*b"', 'ConsoleLogin', '1', '*')).map(([path, operator, value]) => `${path} ${operator} ${value}`),
  fc.tuple(fc.constantFrom('$.f', '$.g'), fc.constantFrom('NOT EXISTS', 'IS TRUE')).map(([path, test]) => `${path} ${test}`),
);
const reference = fc
  .tuple(fc.array(condition, { minLength: 1, maxLength: 3 }), fc.constantFrom(' && ', ' || '))
  .map(([conditions, join]) => `{ ${conditions.join(join)} }`)
  .filter((text) => tryParsePattern(text).ok);

function separating(candidate: string, referenceText: string): Record<string, unknown>[] {
  return EVENTS.filter((event) => matchesEvent(referenceText, event) && !matchesEvent(candidate, event));
}

function expectSeparates(candidate: string, referenceText: string): void {
  const result = covers(candidate, referenceText);
  expect(result.verdict).toBe('not-covered');
  if (result.verdict !== 'not-covered') return;
  for (const event of result.counterexamples) expect([matchesEvent(referenceText, event), matchesEvent(candidate, event)]).toEqual([true, false]);
}

describe('term patterns against JSON references', () => {
  it('agree with brute force over small events', () => {
    fc.assert(
      fc.property(terms, reference, (candidate, referenceText) => {
        const result = covers(candidate, referenceText);
        const found = separating(candidate, referenceText);
        if (found.length > 0) expect(result.verdict).not.toBe('covered');
        if (result.verdict === 'not-covered') {
          for (const event of result.counterexamples) expect([matchesEvent(referenceText, event), matchesEvent(candidate, event)]).toEqual([true, false]);
        }
      }),
      { numRuns: 500 },
    );
  });

  const signInFailures = controlsFor('cis-aws-v4.0.0').find((control) => control.check === 'console_auth_failures')?.referencePattern as string;

  it.each([
    // The reference matches no event: nothing to miss.
    ['zz', '{ $.f NOT EXISTS && $.f = "a" }'],
    // Every event of the reference has eventName ConsoleLogin and that error message in its text.
    ['ConsoleLogin "Failed authentication"', signInFailures],
    ['ConsoleLogin Failed', signInFailures],
    ['?ConsoleLogin ?Success', signInFailures],
    // Key names are written too; every alternative holds "Trail".
    ['eventName', '{ $.eventName = * }'],
    ['Trail', '{ $.eventName = CreateTrail || $.eventName = UpdateTrail }'],
    // A regex without anchors that matches inside a value matches inside the whole text.
    ['%Trail|Logging%', '{ $.eventName = CreateTrail || $.eventName = StopLogging }'],
  ])('%s covers %s', (candidate, referenceText) => {
    expect(covers(candidate, referenceText)).toEqual({ verdict: 'covered' });
  });

  it('finds an event of the reference whose text lacks a term, or holds an excluded one', () => {
    expectSeparates('ConsoleLogin Success', signInFailures);
    expectSeparates('CreateTrail', '{ $.eventName = CreateTrail || $.eventName = UpdateTrail }');
    expectSeparates('ERROR', '{ $.eventName = "x" }');
    expectSeparates('-DEBUG "x"', '{ $.eventName = "x" }');
    // A space-delimited pattern of two fields, and an event whose JSON text has no blank: one field.
    expectSeparates('[a, b]', '{ $.eventName = "x" }');
    const result = covers('ConsoleLogin Success', signInFailures);
    expect(result.verdict === 'not-covered' && result.explanation).toBe('misses events whose text does not hold "Success": a term pattern is matched on the event\'s raw text');
  });

  it('says why it cannot decide an anchored regex term, and a space-delimited pattern no example refutes', () => {
    // Every text has a first character, but an anchored regex is not proven on a part of the text.
    expect(covers('%^.%', '{ $.eventName = CreateTrail }')).toMatchObject({ verdict: 'undetermined', reason: expect.stringMatching(/cannot tell whether every event the reference matches has a text that would hold %\^\.%/) });
    expect(covers('[..., a]', '{ $.eventName = "x" }')).toMatchObject({ verdict: 'undetermined', reason: expect.stringMatching(/space-delimited pattern/) });
  });
});
