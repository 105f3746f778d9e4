/**
 * Explanations say what their counter-example shows. Each row builds a case, takes the
 * counter-example covers() returns, and checks, with the matcher and without trusting the code
 * under test: the sentence names the field and the value the counter-example holds there; the
 * counter-example with that field set as the row says (the case's own fix, chosen here) is
 * accepted by the candidate; and, for claims about every value of a kind ("requires x to be a
 * number", "to be absent"), other values of the counter-example's kind are still refused.
 */
import { CIS_V4 } from './support';
import { eventNameAlternatives, jsonBody, mapGlobValues, render, swapFirstLetterCase, withoutEventName } from './rewrites';
import { covers, matchesEvent, parsePattern, Work, type CoverageResult, type JsonPattern, type SelectorSegment } from '../../src/pattern';
import { differencesOf, GENERAL_EXPLANATION, withField, type DifferenceKind, type Slot } from '../../src/pattern/explain';
import { select } from '../../src/pattern/match';
import { printSelector } from '../../src/pattern/print';

const reference = (check: string) => (CIS_V4.find((control) => control.check === check) as { pattern: string }).pattern;
const ROOT = reference('root_usage');
const CMK = reference('cmk_disable_or_scheduled_deletion');
const IAM = reference('iam_policy_changes');
const UNAUTHORIZED = reference('unauthorized_api_calls');
const MFA = reference('console_signin_without_mfa');

/** `$.a.b[0]` as segments (a selector of a one-condition pattern). */
function segments(path: string): readonly SelectorSegment[] {
  const pattern = parsePattern(`{ ${path} NOT EXISTS }`) as JsonPattern;
  if (pattern.body.kind !== 'keyword') throw new Error(path);
  return pattern.body.selector.segments;
}

function shownAt(event: Record<string, unknown>, path: string): Slot {
  const values = select(event, segments(path));
  return values.length === 0 ? { present: false } : { present: true, value: values[0] };
}

function notCovered(candidate: string, referenceText: string): Extract<CoverageResult, { verdict: 'not-covered' }> & { event: Record<string, unknown> } {
  const result = covers(candidate, referenceText);
  if (result.verdict !== 'not-covered') throw new Error(`expected not covered: ${JSON.stringify(result)}`);
  const [event] = result.counterexamples;
  if (!event) throw new Error('no counter-example');
  // The counter-example is one: the reference matches it, the candidate does not.
  expect(matchesEvent(referenceText, event)).toBe(true);
  expect(matchesEvent(candidate, event)).toBe(false);
  return { ...result, event };
}

interface Row {
  readonly name: string;
  readonly kind: DifferenceKind;
  readonly candidate: string;
  readonly reference: string;
  /** The field the sentence is about. */
  readonly field: string;
  /** What the counter-example holds there (checked before the sentence). */
  readonly shows: (shown: Slot) => boolean;
  /** The sentence, from what the counter-example holds there. */
  readonly sentence: (shown: Slot) => string | RegExp;
  /** The field set so (this test's own choice): the candidate accepts the counter-example. */
  readonly fix: Slot;
  /** Other contents of the counter-example's kind the candidate must still refuse (for claims about a kind of value). */
  readonly stillRefused?: readonly Slot[];
}

const text = (value: unknown): Slot => ({ present: true, value });
const ABSENT: Slot = { present: false };
const isString = (shown: Slot) => shown.present && typeof shown.value === 'string';
const json = (shown: Slot) => JSON.stringify(shown.present ? shown.value : undefined);

const ROWS: readonly Row[] = [
  {
    name: "the issue's example: a string where the candidate's alternatives take only numbers or absence",
    kind: 'type',
    candidate: '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" && ($.x > 5 || $.x <= 5 || $.x NOT EXISTS) }',
    reference: ROOT,
    field: '$.x',
    shows: isString,
    sentence: (shown) =>
      `misses events where x is a string (here x = ${json(shown)}), since it requires x to be a number or absent ($.x > 5 || $.x <= 5 || $.x NOT EXISTS), which the reference does not`,
    fix: text(6),
    stillRefused: [text('x'), text('5'), text(''), text('-1')],
  },
  {
    name: 'a number comparison on a field that holds text',
    kind: 'type',
    candidate: '{ $.x > 5 }',
    reference: '{ $.x = "abc" }',
    field: '$.x',
    shows: (shown) => shown.present && shown.value === 'abc',
    sentence: () => 'misses events where x is a string (here x = "abc"), since it requires x to be a number ($.x > 5), which the reference does not',
    fix: text(6),
    stillRefused: [text('6'), text('abc')],
  },
  {
    name: 'null where the candidate wants a value',
    kind: 'type',
    candidate: '{ $.eventName = "DeleteTrail" && $.requestParameters = * }',
    reference: '{ $.eventName = "DeleteTrail" && $.requestParameters IS NULL }',
    field: '$.requestParameters',
    shows: (shown) => shown.present && shown.value === null,
    sentence: () =>
      'misses events where requestParameters is null (here requestParameters = null), since it requires requestParameters to be a string, a number or a boolean ($.requestParameters = *), which the reference does not',
    fix: text('x'),
    stillRefused: [text(null)],
  },
  {
    name: 'text where the candidate wants a boolean',
    kind: 'type',
    candidate: '{ $.readOnly IS FALSE }',
    reference: '{ $.readOnly = "no" }',
    field: '$.readOnly',
    shows: (shown) => shown.present && shown.value === 'no',
    sentence: () => 'misses events where readOnly is a string (here readOnly = "no"), since it requires readOnly to be a boolean ($.readOnly IS FALSE), which the reference does not',
    fix: text(false),
    stillRefused: [text('false'), text('no')],
  },
  {
    name: 'a field that is set where the candidate requires it absent',
    kind: 'must-be-absent',
    candidate: ROOT,
    reference: '{ $.userIdentity.type = "Root" && $.eventType != "AwsServiceEvent" }',
    field: '$.userIdentity.invokedBy',
    shows: (shown) => shown.present,
    sentence: () => 'requires userIdentity.invokedBy to be absent (NOT EXISTS), so it misses events where userIdentity.invokedBy is set',
    fix: ABSENT,
    stillRefused: [text('signin.amazonaws.com'), text(''), text(null), text(1)],
  },
  {
    name: 'a value whose letter case changed (=)',
    kind: 'case',
    candidate: CMK.replace('DisableKey', 'disableKey'),
    reference: CMK,
    field: '$.eventName',
    shows: (shown) => shown.present && shown.value === 'DisableKey',
    sentence: () => 'misses eventName = DisableKey (it has $.eventName = "disableKey", and values are case-sensitive)',
    fix: text('disableKey'),
  },
  {
    name: 'a value whose letter case changed (!=)',
    kind: 'case',
    candidate: MFA.replace('"Yes"', '"yes"'),
    reference: MFA,
    field: '$.additionalEventData.MFAUsed',
    shows: (shown) => shown.present && shown.value === 'yes',
    sentence: () =>
      'misses events where additionalEventData.MFAUsed = yes (it has $.additionalEventData.MFAUsed != "yes" where the reference has $.additionalEventData.MFAUsed != "Yes", and values are case-sensitive)',
    fix: text('Yes'),
  },
  {
    name: 'a missing event name',
    kind: 'missed-value',
    candidate: IAM.replace('||($.eventName=DetachGroupPolicy)', ''),
    reference: IAM,
    field: '$.eventName',
    shows: (shown) => shown.present && shown.value === 'DetachGroupPolicy',
    sentence: () => 'misses eventName = DetachGroupPolicy',
    fix: text('DeleteGroupPolicy'),
  },
  {
    name: 'a lost wildcard, with the value the counter-example holds',
    kind: 'missed-value',
    candidate: UNAUTHORIZED.replace('"AccessDenied*"', '"AccessDenied"'),
    reference: UNAUTHORIZED,
    field: '$.errorCode',
    shows: (shown) => isString(shown) && (shown as { value: string }).value.startsWith('AccessDenied') && (shown as { value: string }).value !== 'AccessDenied',
    sentence: (shown) => `misses errorCode = AccessDenied* (e.g. ${(shown as { value: string }).value})`,
    fix: text('AccessDenied'),
  },
  {
    name: 'a regex reference value, with the value the counter-example holds',
    kind: 'missed-value',
    candidate: '{ $.eventName = CreateVpc }',
    reference: '{ $.eventName = %Vpc% }',
    field: '$.eventName',
    shows: (shown) => isString(shown) && (shown as { value: string }).value.includes('Vpc') && (shown as { value: string }).value !== 'CreateVpc',
    sentence: (shown) => `misses eventName = %Vpc% (e.g. ${(shown as { value: string }).value})`,
    fix: text('CreateVpc'),
  },
  {
    name: 'a field the reference accepts absent and the candidate requires',
    kind: 'missed-value',
    candidate: '{ $.eventName = "X" && $.errorCode = "AccessDenied" }',
    reference: '{ $.eventName = "X" && ($.errorCode NOT EXISTS || $.errorCode = "AccessDenied") }',
    field: '$.errorCode',
    shows: (shown) => !shown.present,
    sentence: () => 'misses events where errorCode is absent',
    fix: text('AccessDenied'),
  },
  {
    name: 'an added condition',
    kind: 'added',
    candidate: `{ (${ROOT.slice(1, -1)}) && $.awsRegion = "us-east-1" }`,
    reference: ROOT,
    field: '$.awsRegion',
    shows: (shown) => isString(shown) && (shown as { value: string }).value !== 'us-east-1',
    sentence: () => 'adds the condition $.awsRegion = "us-east-1" that the reference does not have',
    fix: text('us-east-1'),
  },
  {
    name: 'an added condition on a field the counter-example lacks',
    kind: 'added',
    candidate: '{ $.eventName = "DeleteTrail" && $.errorMessage = "x" }',
    reference: '{ $.eventName = "DeleteTrail" }',
    field: '$.errorMessage',
    shows: (shown) => !shown.present,
    sentence: () => 'adds the condition $.errorMessage = "x" that the reference does not have, so it misses events without errorMessage',
    fix: text('x'),
  },
  {
    name: 'an added presence test',
    kind: 'added',
    candidate: '{ $.eventName = "DeleteTrail" && $.errorCode = * }',
    reference: '{ $.eventName = "DeleteTrail" }',
    field: '$.errorCode',
    shows: (shown) => !shown.present,
    sentence: () => 'requires errorCode to be present (= *), which the reference does not',
    fix: text('AccessDenied'),
  },
  {
    name: 'an added alternative of conditions on one field',
    kind: 'added',
    candidate: '{ $.eventName = "DeleteTrail" && ($.tlsDetails.tlsVersion = "TLSv1" || $.tlsDetails.tlsVersion = "TLSv1.1") }',
    reference: '{ $.eventName = "DeleteTrail" }',
    field: '$.tlsDetails.tlsVersion',
    shows: (shown) => !shown.present,
    sentence: () =>
      'adds the condition ($.tlsDetails.tlsVersion = "TLSv1" || $.tlsDetails.tlsVersion = "TLSv1.1") that the reference does not have, so it misses events without tlsDetails.tlsVersion',
    fix: text('TLSv1.1'),
  },
  {
    name: 'a value the reference tests for presence only',
    kind: 'missed-value',
    candidate: '{ $.eventName = "DeleteTrail" && ($.tlsDetails.tlsVersion = "TLSv1" || $.tlsDetails.tlsVersion = "TLSv1.1") }',
    reference: '{ $.eventName = "DeleteTrail" && $.tlsDetails.tlsVersion = * }',
    field: '$.tlsDetails.tlsVersion',
    shows: (shown) => isString(shown) && !['TLSv1', 'TLSv1.1'].includes((shown as { value: string }).value),
    sentence: (shown) => `misses tlsDetails.tlsVersion = * (e.g. ${(shown as { value: string }).value})`,
    fix: text('TLSv1'),
  },
  {
    name: 'a condition the reference has, but not where the counter-example satisfies it',
    kind: 'also-when',
    candidate:
      '{ (($.errorCode ="*UnauthorizedOperation") || ($.errorCode ="AccessDenied*")) && ($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket") }',
    reference: UNAUTHORIZED,
    field: '$.sourceIPAddress',
    shows: (shown) => shown.present && shown.value === 'delivery.logs.amazonaws.com',
    sentence: () => 'requires $.sourceIPAddress != "delivery.logs.amazonaws.com" also when errorCode = *UnauthorizedOperation, where the reference does not',
    fix: text('203.0.113.10'),
  },
];

describe('explanations', () => {
  describe.each(ROWS)('$kind: $name', (row) => {
    it('names the field and what the counter-example holds there, and the fix the sentence implies is accepted', () => {
      // Act
      const result = notCovered(row.candidate, row.reference);
      const shown = shownAt(result.event, row.field);

      // Assess: the counter-example shows the difference the row is about...
      expect(row.shows(shown)).toBe(true);
      // ...the sentence says what it shows...
      const sentence = row.sentence(shown);
      if (typeof sentence === 'string') expect(result.explanation).toBe(sentence);
      else expect(result.explanation).toMatch(sentence);
      // ...the counter-example with the field fixed as the sentence implies is accepted...
      expect(matchesEvent(row.candidate, withField(result.event, segments(row.field), row.fix))).toBe(true);
      // ...and where the sentence speaks of every value of a kind, other such values are refused.
      for (const other of row.stillRefused ?? []) expect(matchesEvent(row.candidate, withField(result.event, segments(row.field), other))).toBe(false);
    });

    it('reports the kind, the field and a fix the matcher accepts', () => {
      const result = notCovered(row.candidate, row.reference);
      const candidate = parsePattern(row.candidate) as JsonPattern;
      const [difference, ...others] = differencesOf(candidate, parsePattern(row.reference), result.event, new Work(100_000));
      expect(others).toEqual([]);
      expect(difference).toMatchObject({ kind: row.kind });
      expect(printSelector(difference!.selector)).toBe(row.field);
      expect(difference!.shown).toEqual(shownAt(result.event, row.field));
      expect(matchesEvent(candidate, withField(result.event, difference!.selector.segments, difference!.fix))).toBe(true);
    });
  });

  it('lists missed names across counter-examples', () => {
    const candidate = '{ $.eventName = DeleteGroupPolicy || $.eventName = DeleteRolePolicy }';
    const referenceText = '{ $.eventName = DeleteGroupPolicy || $.eventName = PutUserPolicy || $.eventName = DeleteRolePolicy || $.eventName = PutRolePolicy }';
    const result = notCovered(candidate, referenceText);
    expect(result.counterexamples.map((event) => event.eventName)).toEqual(['PutUserPolicy', 'PutRolePolicy']);
    expect(result.explanation).toBe('misses eventName = PutUserPolicy, eventName = PutRolePolicy');
  });

  it('names every field that must change when no single one does, and all the fixes together are accepted', () => {
    // Prepare
    const candidate = '{ $.eventSource = "kms.amazonaws.com" && $.eventName = "DisableKey" }';
    const referenceText = '{ $.eventName = "ConsoleLogin" }';

    // Act
    const result = notCovered(candidate, referenceText);
    const differences = differencesOf(parsePattern(candidate) as JsonPattern, parsePattern(referenceText), result.event, new Work(100_000));

    // Assess
    expect(result.event).toMatchObject({ eventName: 'ConsoleLogin' });
    expect(result.event.eventSource).not.toBe('kms.amazonaws.com');
    expect(result.explanation).toBe('misses eventName = ConsoleLogin; adds the condition $.eventSource = "kms.amazonaws.com" that the reference does not have');
    expect(differences.map((difference) => [difference.kind, printSelector(difference.selector)]).sort()).toEqual([
      ['added', '$.eventSource'],
      ['missed-value', '$.eventName'],
    ]);
    const fixed = differences.reduce((event, difference) => withField(event, difference.selector.segments, difference.fix), result.event);
    expect(matchesEvent(candidate, fixed)).toBe(true);
    for (const difference of differences) expect(matchesEvent(candidate, withField(result.event, difference.selector.segments, difference.fix))).toBe(false);
  });

  it('names the fields of the closest way of accepting when several must change, up to five', () => {
    const pairs = (count: number) => `{ ${Array.from({ length: count }, (_, i) => `($.a${i} = 1 || $.b${i} = 1)`).join(' && ')} }`;
    const three = notCovered(pairs(3), '{ $.z = 1 }');
    expect(three.explanation).toBe(
      'adds the condition $.a0 = 1 that the reference does not have, so it misses events without a0; adds the condition $.a1 = 1 that the reference does not have, so it misses events without a1; adds the condition $.a2 = 1 that the reference does not have, so it misses events without a2',
    );
    expect(matchesEvent(pairs(3), { ...three.event, a0: 1, a1: 1, a2: 1 })).toBe(true);
    // Nine fields to change: more than a sentence lists.
    expect(notCovered(pairs(9), '{ $.z = 1 }').explanation).toBe(GENERAL_EXPLANATION);
  });

  it('falls back to a general sentence, true of any counter-example, when no difference is confirmed', () => {
    // No content of $.a is both 1 and 2: no change of the event makes the candidate accept it.
    const result = notCovered('{ $.a = 1 && $.a = 2 }', '{ $.z = 1 }');
    expect(result.explanation).toBe(GENERAL_EXPLANATION);
    expect(differencesOf(parsePattern('{ $.a = 1 && $.a = 2 }') as JsonPattern, parsePattern('{ $.z = 1 }'), result.event, new Work(100_000))).toEqual([]);
  });

  it('quotes untrusted field names and values, and escapes control characters in them', () => {
    const name = 'we"ird\u0001\n\u202e';
    const candidate = `{ $.eventName = "DeleteTrail" && $.['${name}'] > 5 }`;
    const referenceText = `{ $.eventName = "DeleteTrail" && $.['${name}'] = "a\\"b\u0002 c" }`;
    const result = notCovered(candidate, referenceText);
    expect(result.event[name]).toBe('a"b\u0002 c');
    expect([...result.explanation].every((character) => character >= ' ' && character !== '\u202e')).toBe(true);
    expect(result.explanation).toContain('(here [\'we"ird\\u0001\\u000a\\u202e\'] = "a\\"b\\u0002 c")');
  });
});

describe('every explanation of the CIS references against their near misses', () => {
  // Near misses of every check (a name dropped, a letter case changed, a condition added, a type
  // changed), and regex and wildcard rewrites, against every check's reference.
  const candidates: string[] = [];
  for (const control of CIS_V4) {
    const tree = jsonBody(control.pattern);
    const [name] = eventNameAlternatives(tree);
    if (name) candidates.push(render(withoutEventName(tree, name)));
    candidates.push(render(mapGlobValues(tree, swapFirstLetterCase)));
    candidates.push(`{ (${control.pattern.trim().slice(1, -1)}) && ($.x > 5 || $.x NOT EXISTS) }`);
    candidates.push(`{ (${control.pattern.trim().slice(1, -1)}) && $.userAgent = "*console*" }`);
  }
  candidates.push('{ $.eventName = %^Delete[A-Za-z]*Policy$|^Put[A-Za-z]*Policy$% }', '{ $.eventName = "*Vpc*" }', '{ $.errorCode = %^Access% }', '{ $.readOnly IS FALSE }', '{ $.x = 5 }');

  it.each(CIS_V4.map((control) => [control.check, control.pattern]))('%s: each difference names its field, and its fix is accepted', (_check, referenceText) => {
    const referenceTree = parsePattern(referenceText);
    let explained = 0;
    for (const candidateText of candidates) {
      const result = covers(candidateText, referenceTree);
      if (result.verdict !== 'not-covered') continue;
      const candidate = parsePattern(candidateText) as JsonPattern;
      for (const event of result.counterexamples) {
        const differences = differencesOf(candidate, referenceTree, event, new Work(100_000));
        if (differences.length === 0) continue;
        explained += 1;
        // Fixed together (one field, or the several a sentence names), the candidate accepts the event.
        const fixed = differences.reduce((current, difference) => withField(current, difference.selector.segments, difference.fix), event);
        expect(matchesEvent(candidate, fixed)).toBe(true);
        for (const difference of differences) {
          const field = printSelector(difference.selector).replace(/^\$\.?/, '');
          expect(difference.text).toContain(field);
          expect(difference.shown).toEqual(shownAt(event, printSelector(difference.selector)));
          if (difference.kind === 'case') {
            const [shown, fix] = [difference.shown, difference.fix] as { value: string }[];
            expect(fix!.value.toLowerCase()).toBe(shown!.value.toLowerCase());
          }
        }
      }
    }
    expect(explained).toBeGreaterThan(0);
  });
});
