import fc from 'fast-check';
import { covers, matchesEvent, tryParsePattern } from '../../src/pattern';

/**
 * Coverage with wildcard selectors (`$.a[*].b`, `$.o.*`, `$.*`) against brute force over small
 * events: arrays of up to two elements, objects of up to two keys. The matcher's semantics is the
 * reference: a condition on a wildcard selector holds when it holds for some value the selector
 * reaches (`!=` included), and NOT EXISTS when it reaches none. A separating event the brute force
 * finds must make the verdict not-covered; every counter-example must separate; 'undetermined'
 * only ever means the work budget ran out.
 */
const ELEMENTS: unknown[] = [null, 'x', 'y', 1, {}, { b: 'x' }, { b: 'y' }, { b: 1 }, { b: null }];
const ARRAYS: unknown[] = [[], ...ELEMENTS.map((element) => [element]), ...ELEMENTS.flatMap((first) => ELEMENTS.map((second) => [first, second]))];
const A_VALUES: unknown[] = [undefined, null, 'x', {}, ...ARRAYS];
const O_VALUES: unknown[] = [undefined, null, 'x', {}, { x: 'x' }, { y: 'x' }, { x: 'y', y: 'x' }, { x: 1 }, { x: null }, { y: { b: 'x' } }, { x: [] }];
const EVENTS: Record<string, unknown>[] = A_VALUES.flatMap((a) =>
  O_VALUES.map((o) => {
    const event: Record<string, unknown> = {};
    if (a !== undefined) event.a = a;
    if (o !== undefined) event.o = o;
    return event;
  }),
);

const selector = fc.constantFrom('$.a[*]', '$.a[0]', '$.a[1]', '$.a[*].b', '$.a[0].b', '$.a', '$.o.*', '$.o.x', '$.o.*.b', '$.*', '$.o');
const value = fc.constantFrom('"x"', '"y"', '1', '"*"', '%^x%');
const condition = fc.oneof(
  fc.tuple(selector, fc.constantFrom('=', '!='), value).map(([path, operator, text]) => `${path} ${operator} ${text}`),
  fc.tuple(selector, fc.constantFrom('NOT EXISTS', 'IS NULL')).map(([path, test]) => `${path} ${test}`),
);
const body = fc
  .tuple(fc.array(condition, { minLength: 1, maxLength: 3 }), fc.constantFrom(' && ', ' || '), fc.option(condition, { nil: undefined }))
  .map(([conditions, join, extra]) => `(${conditions.join(join)})${extra ? ` ${join === ' && ' ? '||' : '&&'} ${extra}` : ''}`);
const pattern = body.map((text) => `{ ${text} }`).filter((text) => tryParsePattern(text).ok);

function separating(candidate: string, reference: string): Record<string, unknown>[] {
  return EVENTS.filter((event) => matchesEvent(reference, event) && !matchesEvent(candidate, event));
}

function expectDecided(candidate: string, reference: string): void {
  const result = covers(candidate, reference);
  if (result.verdict === 'undetermined') {
    expect(result).toMatchObject({ workLimit: true });
    return;
  }
  const found = separating(candidate, reference);
  if (found.length > 0) expect([candidate, reference, result.verdict]).toEqual([candidate, reference, 'not-covered']);
  if (result.verdict === 'not-covered') {
    for (const event of result.counterexamples) expect([matchesEvent(reference, event), matchesEvent(candidate, event)]).toEqual([true, false]);
  }
}

describe('coverage with wildcard selectors', () => {
  it('agrees with brute force over small arrays and objects', () => {
    fc.assert(
      fc.property(pattern, pattern, (candidate, reference) => expectDecided(candidate, reference)),
      { numRuns: 300 },
    );
  });

  it('decides a pattern against itself widened by one alternative', () => {
    fc.assert(
      fc.property(pattern, condition, (reference, extra) => {
        const widened = `{ ${reference.slice(1, -1)} || ${extra} }`;
        if (tryParsePattern(widened).ok) expect(covers(widened, reference)).toEqual({ verdict: 'covered' });
      }),
      { numRuns: 100 },
    );
  });

  const expectNotCovered = (candidate: string, reference: string, event: Record<string, unknown>) => {
    const result = covers(candidate, reference);
    expect(result.verdict).toBe('not-covered');
    if (result.verdict !== 'not-covered') return;
    for (const counterexample of result.counterexamples) expect([matchesEvent(reference, counterexample), matchesEvent(candidate, counterexample)]).toEqual([true, false]);
    expect(result.counterexamples[0]).toMatchObject(event);
  };

  it.each([
    // Any element: the first one is one of them.
    ['{ $.resources[*].type = "AWS::S3::Object" }', '{ $.resources[0].type = "AWS::S3::Object" }'],
    // Any key of userIdentity: type is one of them.
    ['{ $.userIdentity.* = "Root" }', '{ $.userIdentity.type = "Root" }'],
    ['{ $.* = "ConsoleLogin" }', '{ $.eventName = "ConsoleLogin" }'],
    // `!=` on a wildcard holds when some element differs: an element of 2 differs from 1.
    ['{ $.a[*].b != 1 }', '{ $.a[*].b = 2 }'],
    // No element has b, so the first has none.
    ['{ $.a[0].b NOT EXISTS }', '{ $.a[*].b NOT EXISTS }'],
    ['{ $.a[*] = 1 || $.a[*] != 1 }', '{ $.a[*] = * }'],
  ])('%s covers %s', (candidate, reference) => {
    expect(covers(candidate, reference)).toEqual({ verdict: 'covered' });
    expect(separating(candidate, reference)).toEqual([]);
  });

  it('finds the element or key the candidate does not look at', () => {
    expectNotCovered('{ $.resources[0].type = "AWS::S3::Object" }', '{ $.resources[*].type = "AWS::S3::Object" }', { resources: [null, { type: 'AWS::S3::Object' }] });
    expectNotCovered('{ $.userIdentity.type = "Root" }', '{ $.userIdentity.* = "Root" }', { userIdentity: { key1: 'Root' } });
    expectNotCovered('{ $.eventName = "ConsoleLogin" }', '{ $.* = "ConsoleLogin" }', { key1: 'ConsoleLogin' });
    // Some element's b is not 1, and none is 2.
    expectNotCovered('{ $.a[*].b = 2 }', '{ $.a[*].b != 1 }', { a: [{ b: 'x' }] });
    expectNotCovered('{ $.a[*].b NOT EXISTS }', '{ $.a[0].b NOT EXISTS }', { a: [null, { b: 'x' }] });
  });
});
