import { CIS_V4, CIS_VARIANTS, DECISION_STEPS, stepsOf, type CisControl } from './support';
import {
  distributed,
  eventNameAlternatives,
  jsonBody,
  mapGlobValues,
  render,
  reversed,
  swapFirstLetterCase,
  withoutBlanks,
  withoutEventName,
} from './rewrites';
import { COVERAGE_STEPS, PatternSyntaxError, covers, matchesEvent, parsePattern, type CoverageResult, type JsonExpression, type Pattern } from '../../src/pattern';
import { forgetCoverageCaches } from '../../src/pattern/coverage';

const CLOUDTRAIL_FIELDS = ['eventVersion', 'userIdentity', 'eventTime', 'awsRegion', 'sourceIPAddress', 'eventID'];

/** Asserts a not-covered verdict whose counter-examples really separate the two patterns. */
function expectNotCovered(result: CoverageResult, candidate: string, reference: string): Extract<CoverageResult, { verdict: 'not-covered' }> {
  expect(result.verdict).toBe('not-covered');
  if (result.verdict !== 'not-covered') throw new Error(JSON.stringify(result));
  expect(result.counterexamples.length).toBeGreaterThan(0);
  for (const event of result.counterexamples) {
    expect(matchesEvent(reference, event)).toBe(true);
    expect(matchesEvent(candidate, event)).toBe(false);
    for (const field of CLOUDTRAIL_FIELDS) expect(event).toHaveProperty(field);
  }
  expect(result.explanation).not.toBe('');
  expect(result.explanation).not.toContain('\n');
  return result;
}

/**
 * The text, or the tree itself when the text is longer than the 1,024 characters CloudWatch
 * allows (4.15 with && distributed over its 18 alternatives): covers() takes either.
 */
function fitting(text: string, expression: JsonExpression): string | Pattern {
  return text.length <= 1024 ? text : { kind: 'json', source: text, body: expression, start: 0, end: text.length };
}

const controls = CIS_V4.map((control) => ({ ...control, name: `${control.control} ${control.check}` }));

describe('covers', () => {
  describe.each(controls)('CIS v4.0.0 $name', (control: CisControl) => {
    const reference = control.pattern;
    const tree = jsonBody(reference);

    describe('rewrites that must stay covered', () => {
      const rewrites: [string, string | Pattern][] = [
        ['itself', reference],
        ['its canonical print', render(tree)],
        ['whitespace removed', withoutBlanks(reference)],
        ['alternatives reversed', render(reversed(tree))],
        ['quotes toggled off', render(tree, { bare: true })],
        ['quotes toggled on', render(tree)],
        ['redundant parentheses', render(tree, { parenthesizeAll: true })],
        ['&& distributed over ||', fitting(render(distributed(tree)), distributed(tree))],
        ['extra || alternatives', `{ ${render(tree).slice(1, -1)} || $.eventName = "ExtraEvent" || $.errorCode = "Other*" }`],
        [
          'all of these at once',
          fitting(
            `{${render(reversed(distributed(tree)), { compact: true, bare: true, parenthesizeAll: true }).slice(1, -1)}||$.eventName=ExtraEvent}`,
            { kind: 'or', operands: [reversed(distributed(tree)), jsonBody('{ $.eventName = ExtraEvent }')], start: 0, end: 0 },
          ),
        ],
      ];

      it.each(rewrites)('covers it with %s', (_name, candidate) => {
        expect(covers(candidate, reference)).toEqual({ verdict: 'covered' });
      });
    });

    describe('mutations that must not be covered', () => {
      const names = eventNameAlternatives(tree);
      if (names.length > 1) {
        it.each(names)('names the dropped event name %s', (name) => {
          // Prepare
          const candidate = render(withoutEventName(tree, name));

          // Act
          const result = covers(candidate, reference);

          // Assess
          const notCovered = expectNotCovered(result, candidate, reference);
          expect(notCovered.explanation).toBe(`misses eventName = ${name}`);
          expect(notCovered.counterexamples[0]?.eventName).toBe(name);
        });
      }

      it('names an extra && narrowing', () => {
        const candidate = `{ (${render(tree).slice(1, -1)}) && $.awsRegion = "us-east-1" }`;
        const result = expectNotCovered(covers(candidate, reference), candidate, reference);
        expect(result.explanation).toBe('adds the condition $.awsRegion = "us-east-1" that the reference does not have');
      });

      it('refuses a changed letter case', () => {
        const candidate = render(mapGlobValues(tree, swapFirstLetterCase));
        expect(candidate).not.toBe(render(tree));
        expectNotCovered(covers(candidate, reference), candidate, reference);
      });

      it('refuses every value lower-cased', () => {
        const candidate = render(mapGlobValues(tree, (text) => text.toLowerCase(), true));
        expectNotCovered(covers(candidate, reference), candidate, reference);
      });
    });
  });

  describe('explanations and counter-examples', () => {
    const iam = CIS_V4.find((control) => control.check === 'iam_policy_changes')?.pattern as string;
    const unauthorized = CIS_V4.find((control) => control.check === 'unauthorized_api_calls')?.pattern as string;
    const root = CIS_V4.find((control) => control.check === 'root_usage')?.pattern as string;
    const mfa = CIS_V4.find((control) => control.check === 'console_signin_without_mfa')?.pattern as string;

    it('names DetachGroupPolicy when the IAM filter lacks it, and covers the text without blanks, reversed', () => {
      // Prepare
      const missing = iam.replace('||($.eventName=DetachGroupPolicy)', '');
      const squeezedReversed = `{${iam.slice(1, -1).replace(/\s/g, '').split('||').reverse().join('||')}}`;

      // Act
      const missingResult = covers(missing, iam);
      const rewrittenResult = covers(squeezedReversed, iam);

      // Assess
      const notCovered = expectNotCovered(missingResult, missing, iam);
      expect(notCovered.explanation).toBe('misses eventName = DetachGroupPolicy');
      expect(notCovered.counterexamples).toHaveLength(1);
      expect(notCovered.counterexamples[0]).toMatchObject({ eventName: 'DetachGroupPolicy', eventSource: 'iam.amazonaws.com' });
      expect(rewrittenResult).toEqual({ verdict: 'covered' });
    });

    it('lists several missing event names', () => {
      const candidate = '{ $.eventName = DeleteGroupPolicy || $.eventName = DeleteRolePolicy }';
      const reference = '{ $.eventName = DeleteGroupPolicy || $.eventName = PutUserPolicy || $.eventName = DeleteRolePolicy || $.eventName = PutRolePolicy }';
      const result = expectNotCovered(covers(candidate, reference), candidate, reference);
      expect(result.explanation).toBe('misses eventName = PutUserPolicy, eventName = PutRolePolicy');
      expect(result.counterexamples.map((event) => event.eventName)).toEqual(['PutUserPolicy', 'PutRolePolicy']);
    });

    it('says a NOT EXISTS the reference lacks makes the candidate miss events where the field is set', () => {
      const reference = '{ $.userIdentity.type = "Root" && $.eventType != "AwsServiceEvent" }';
      const result = expectNotCovered(covers(root, reference), root, reference);
      expect(result.explanation).toBe(
        'requires userIdentity.invokedBy to be absent (NOT EXISTS), so it misses events where userIdentity.invokedBy is set',
      );
      expect(result.counterexamples[0]).toMatchObject({ userIdentity: { type: 'Root', invokedBy: 'signin.amazonaws.com' } });
    });

    it('covers the root filter without its NOT EXISTS (the candidate is broader)', () => {
      expect(covers('{ $.userIdentity.type = "Root" && $.eventType != "AwsServiceEvent" }', root)).toEqual({ verdict: 'covered' });
    });

    it('names the wildcard a candidate lost, with an example value', () => {
      const candidate = unauthorized.replace('"AccessDenied*"', '"AccessDenied"');
      const result = expectNotCovered(covers(candidate, unauthorized), candidate, unauthorized);
      expect(result.explanation).toBe('misses errorCode = AccessDenied* (e.g. AccessDeniedException)');
    });

    it('names the leading wildcard a candidate lost', () => {
      const candidate = unauthorized.replace('"*UnauthorizedOperation"', '"UnauthorizedOperation"');
      const result = expectNotCovered(covers(candidate, unauthorized), candidate, unauthorized);
      expect(result.explanation).toBe('misses errorCode = *UnauthorizedOperation (e.g. Client.UnauthorizedOperation)');
    });

    it('refuses the v4.0.0 unauthorized-calls text read with the wrong precedence', () => {
      // (A || B) && C && D drops UnauthorizedOperation events from delivery.logs.amazonaws.com.
      const candidate =
        '{ (($.errorCode ="*UnauthorizedOperation") || ($.errorCode ="AccessDenied*")) && ($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket") }';
      const result = expectNotCovered(covers(candidate, unauthorized), candidate, unauthorized);
      expect(result.explanation).toBe(
        'requires $.sourceIPAddress != "delivery.logs.amazonaws.com" also when errorCode = *UnauthorizedOperation, where the reference does not',
      );
      expect(covers(unauthorized, candidate)).toEqual({ verdict: 'covered' });
    });

    it('covers the v4.0.0 unauthorized-calls text with the v1.2.0 one (broader), not the other way round', () => {
      const v120 = CIS_VARIANTS.find((variant) => variant.label === 'unauthorized_api_calls[v1.2.0]')?.pattern as string;
      expect(covers(v120, unauthorized)).toEqual({ verdict: 'covered' });
      const result = expectNotCovered(covers(unauthorized, v120), unauthorized, v120);
      expect(result.counterexamples[0]).toMatchObject({ errorCode: 'AccessDenied' });
    });

    it('shows the letter-case counter-example for MFAUsed', () => {
      const candidate = mfa.replace('"Yes"', '"yes"');
      const result = expectNotCovered(covers(candidate, mfa), candidate, mfa);
      expect(result.counterexamples[0]).toMatchObject({ eventName: 'ConsoleLogin', additionalEventData: { MFAUsed: 'yes' } });
      expect(result.explanation).toBe(
        'misses events where additionalEventData.MFAUsed = yes (it has $.additionalEventData.MFAUsed != "yes" where the reference has $.additionalEventData.MFAUsed != "Yes", and values are case-sensitive)',
      );
    });

    it('accepts the SSO variant only as narrower than the base sign-in pattern', () => {
      const sso = CIS_VARIANTS.find((variant) => variant.label === 'console_signin_without_mfa[SSO variant]')?.pattern as string;
      expect(covers(mfa, sso)).toEqual({ verdict: 'covered' });
      const result = expectNotCovered(covers(sso, mfa), sso, mfa);
      expect(result.explanation).toMatch(/^adds the condition \$\.(userIdentity\.type = "IAMUser"|responseElements\.ConsoleLogin = "Success")/);
    });

    it('builds the structure a nested field needs', () => {
      const reference = '{ $.requestParameters.policyArn = "arn:aws:iam::aws:policy/AdministratorAccess" }';
      const candidate = '{ $.requestParameters.policyArn NOT EXISTS }';
      const result = expectNotCovered(covers(candidate, reference), candidate, reference);
      expect(result.counterexamples[0]).toMatchObject({ requestParameters: { policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' } });
    });

    it('uses arrays, objects and null when the decision needs them', () => {
      const candidate = '{ $.a = * || $.a NOT EXISTS || $.a IS NULL }';
      const reference = '{ $.b[1] = "x" }';
      const result = expectNotCovered(covers(candidate, reference), candidate, reference);
      const event = result.counterexamples[0] as { a: unknown; b: unknown[] };
      expect(typeof event.a).toBe('object');
      expect(event.b).toHaveLength(2);
      expect(event.b[1]).toBe('x');
    });
  });

  describe('exact decisions', () => {
    it.each([
      ['{ $.a != "x" }', '{ $.a = "y" }', 'covered'],
      ['{ $.a = * }', '{ $.a != "x" }', 'covered'],
      ['{ $.a = * }', '{ $.a = "x*" }', 'covered'],
      ['{ $.a != "x" }', '{ $.a = * }', 'not-covered'],
      ['{ $.a = * }', '{ $.a NOT EXISTS }', 'not-covered'],
      ['{ $.a IS NULL || $.a NOT EXISTS }', '{ $.a IS NULL }', 'covered'],
      ['{ $.a.b NOT EXISTS }', '{ $.a NOT EXISTS }', 'covered'],
      ['{ $.a.b NOT EXISTS }', '{ $.a = "x" }', 'covered'],
      ['{ $.a.b NOT EXISTS }', '{ $.a IS NULL || $.a = * }', 'covered'],
      ['{ $.a NOT EXISTS }', '{ $.a.b NOT EXISTS }', 'not-covered'],
      ['{ $.a = * }', '{ $.a.b = * }', 'not-covered'],
      ['{ $.a[1] NOT EXISTS }', '{ $.a[0] NOT EXISTS }', 'covered'],
      ['{ $.a[0] NOT EXISTS }', '{ $.a[1] NOT EXISTS }', 'not-covered'],
      ['{ $.a[0] = * || $.a[0] NOT EXISTS }', '{ $.a[1] = "x" }', 'not-covered'],
      ['{ $.a = "a*" }', '{ $.a = "ab*" }', 'covered'],
      ['{ $.a = "ab*" }', '{ $.a = "a*" }', 'not-covered'],
      ['{ $.a = "*b*" }', '{ $.a = "ab*" }', 'covered'],
      ['{ $.a = "*ab*" }', '{ $.a = "a*b" }', 'not-covered'],
      ['{ $.a = "a*" || $.a != "ab" }', '{ $.a = * }', 'covered'],
      ['{ $.a = "a*" || $.a = "*a" }', '{ $.a = "*a*" }', 'not-covered'],
      ['{ $.a = "*a*" }', '{ $.a = "a*" || $.a = "*a" }', 'covered'],
      ['{ $.a = "a*b*c" }', '{ $.a = "ab*bc" }', 'covered'],
      ['{ $.a = "ab*bc" }', '{ $.a = "a*b*c" }', 'not-covered'],
      ['{ $.a = "x" }', '{ $.a = "x" && $.a = "y" }', 'covered'],
      ['{ $.a = "x" && $.b = 1 }', '{ $.b = 1 && $.a = x }', 'covered'],
      ['{ $.a = "x" || $.b = "y" }', '{ ($.a = x || $.b = y) && ($.a = x || $.c NOT EXISTS) }', 'covered'],
      ['{ $.x = 400 }', '{ $.x = "400" }', 'covered'],
      ['{ $.x = "400" }', '{ $.x = 400 }', 'covered'],
      ['{ $.x = 4.0e2 }', '{ $.x = 400 }', 'not-covered'],
      ['{ $.x > 5 }', '{ $.x > 7 }', 'covered'],
      ['{ $.x > 7 }', '{ $.x > 5 }', 'not-covered'],
      ['{ $.x >= 5 || $.x < 5 }', '{ $.x = 3 }', 'not-covered'],
      ['{ $.x >= 5 || $.x < 5 }', '{ $.x > 0 }', 'covered'],
      ['{ $.x IS TRUE || $.x IS FALSE }', '{ $.x = true }', 'not-covered'],
      ['{ $.x = true }', '{ $.x IS TRUE }', 'covered'],
      ['{ $.a = %^a% }', '{ $.a = %a$% }', 'not-covered'],
      ['{ $.a = %a% }', '{ $.a = %^a% || $.a = %a$% }', 'covered'],
    ])('covers(%s, %s) is %s', (candidate, reference, verdict) => {
      const result = covers(candidate, reference);
      expect(result.verdict).toBe(verdict);
      if (result.verdict === 'not-covered') expectNotCovered(result, candidate, reference);
    });

    it('covers everything with an empty pattern, and decides a JSON candidate against it', () => {
      expect(covers('', '{ $.a = 1 }')).toEqual({ verdict: 'covered' });
      expectNotCovered(covers('{ $.eventName = * }', ''), '{ $.eventName = * }', '');
    });
  });

  describe('undetermined', () => {
    it.each([
      ['%^.%', '{ $.a = 1 }', /the candidate is a term pattern/],
      ['{ $.a = 1 }', '[a, b]', /the reference is a space-delimited pattern/],
    ])('covers(%s, %s) is undetermined', (candidate, reference, reason) => {
      const result = covers(candidate, reference);
      expect(result.verdict).toBe('undetermined');
      expect(result.verdict === 'undetermined' && result.reason).toMatch(reason);
    });

    it.each([
      ['{ $.x = "1*" }', '{ $.x >= 1 && $.x < 2 }', 'covered'],
      ['{ $.a = %^[0-9]% }', '{ $.a > 5 }', 'covered'],
      ['{ $.a = %^[1-9]% }', '{ $.a > 5 && $.a < 7 }', 'covered'],
      ['{ $.a = %^[0-9]% }', '{ $.a > -5 }', 'not-covered'],
      ['{ $.a = %e% || $.a = %^[0-9]% }', '{ $.a >= 1e21 }', 'covered'],
      ['{ $.a = %^[0-9]+$% }', '{ $.a > 5 }', 'not-covered'],
    ])('decides numbers compared with text: covers(%s, %s) is %s', (candidate, reference, verdict) => {
      const result = covers(candidate, reference);
      expect(result.verdict).toBe(verdict);
      if (verdict === 'not-covered') expectNotCovered(result, candidate, reference);
    });

    it('still decides what a sample settles: a regex witness proves non-coverage', () => {
      const result = covers('{ $.a = %^ab% }', '{ $.a = %b$% }');
      expectNotCovered(result, '{ $.a = %^ab% }', '{ $.a = %b$% }');
    });

    it('decides identical patterns of any kind', () => {
      expect(covers('[a, b = %x%]', '[a,b=%x%]')).toEqual({ verdict: 'covered' });
      expect(covers('{ $.a[*] = 1 }', '{($.a[*]=1)}')).toEqual({ verdict: 'covered' });
    });
  });

  describe('inputs', () => {
    it('accepts parsed patterns', () => {
      expect(covers(parsePattern('{ $.a = 1 || $.b = 2 }'), parsePattern('{ $.b = 2 }'))).toEqual({ verdict: 'covered' });
    });

    it('throws PatternSyntaxError for a text that does not parse', () => {
      expect(() => covers('{ $.a = }', '{ $.a = 1 }')).toThrow(PatternSyntaxError);
      expect(() => covers('{ $.a = 1 }', '{ $.a = }')).toThrow(PatternSyntaxError);
    });
  });

  describe('cost', () => {
    it('decides the 15 CIS controls against 100 filters people have, each in a few thousand steps', () => {
      // Prepare: 100 filters people have, from rewrites and mutations of the controls.
      const filters: (string | Pattern)[] = [];
      for (const [index, control] of CIS_V4.entries()) {
        const tree = jsonBody(control.pattern);
        filters.push(control.pattern, withoutBlanks(control.pattern), fitting(render(reversed(distributed(tree))), reversed(distributed(tree))));
        filters.push(render(tree, { bare: true, parenthesizeAll: true }));
        const [name] = eventNameAlternatives(tree);
        filters.push(name ? render(withoutEventName(tree, name)) : render(mapGlobValues(tree, swapFirstLetterCase)));
        filters.push(`{ (${render(tree).slice(1, -1)}) && $.awsRegion = "us-east-1" }`);
        if (index < 10) filters.push(`{ ${render(tree).slice(1, -1)} || $.eventName = "Extra${index}" }`);
      }
      const hundred = filters;
      expect(hundred).toHaveLength(100);

      // Act
      forgetCoverageCaches();
      const decisions = CIS_V4.flatMap((control) => hundred.map((filter) => stepsOf(() => covers(filter, control.pattern).verdict)));

      // Assess
      expect(decisions.map(({ value }) => value)).not.toContain('undetermined');
      // 639 steps at the median and 8,743 at worst when written: a fiftieth of the budget.
      expect(Math.max(...decisions.map(({ steps }) => steps))).toBeLessThan(COVERAGE_STEPS / 50);
    });

    it.each([
      ['many wildcards', `{ $.a = "${'*a'.repeat(30)}*b" }`, `{ $.a = "${'*a'.repeat(29)}*b*" || $.a = "${'a*'.repeat(20)}" }`],
      ['deep nesting', `{ ${'('.repeat(300)}$.a = 1${')'.repeat(300)} }`, `{ ${'('.repeat(300)}$.a = 2${')'.repeat(300)} }`],
      ['a wide product', `{ ${Array.from({ length: 12 }, (_, i) => `($.a${i} = x || $.b${i} = y)`).join(' && ')} }`, `{ ${Array.from({ length: 12 }, (_, i) => `($.b${i} = y || $.a${i} = x)`).join(' && ')} }`],
    ])('stays within the work budget on %s', (_name, candidate, reference) => {
      forgetCoverageCaches();
      const { value: result, steps } = stepsOf(() => covers(candidate, reference));
      expect(steps).toBeLessThan(DECISION_STEPS);
      expect(['covered', 'not-covered', 'undetermined']).toContain(result.verdict);
      if (result.verdict === 'not-covered') expectNotCovered(result, candidate, reference);
    });
  });
});
