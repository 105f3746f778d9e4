import examples from './fixtures/aws-doc-examples.json';
import { matchesEvent, parsePattern } from '../../src/pattern';

const jsonEvents = examples.jsonEvents as Record<string, Record<string, unknown>>;
const lines = examples.lines as Record<string, string>;

describe('matchesEvent', () => {
  describe('the AWS documentation examples (JSON)', () => {
    it.each(examples.jsonCases)('$pattern on $event -> $matches ($note)', ({ pattern, event, matches }) => {
      // Prepare
      const parsed = jsonEvents[event];

      // Act
      const asObject = matchesEvent(pattern, parsed);
      const asLine = matchesEvent(pattern, JSON.stringify(parsed));

      // Assess
      expect(asObject).toBe(matches);
      expect(asLine).toBe(matches);
    });
  });

  describe('the AWS documentation examples (terms, space-delimited, regex)', () => {
    it.each(examples.lineCases)('$pattern on $event -> $matches ($note)', ({ pattern, event, matches }) => {
      expect(matchesEvent(pattern, lines[event])).toBe(matches);
    });
  });

  describe('JSON semantics', () => {
    const root = { eventName: 'ConsoleLogin', nothing: null, flag: false, count: 400, text: '400', list: ['a'], nested: { value: 'x' } };

    it.each([
      ['{ $.absent != "x" }', false, 'a missing field makes != false'],
      ['{ $.absent = * }', false, 'a missing field is not present'],
      ['{ $.absent NOT EXISTS }', true, 'NOT EXISTS is true for a missing field'],
      ['{ $.nested.value.deeper NOT EXISTS }', true, 'a path through a scalar does not exist'],
      ['{ $.eventName.length NOT EXISTS }', true, 'keys are only looked up in objects'],
      ['{ $.nested != "x" }', false, 'an object never compares, != included'],
      ['{ $.nested = * }', false, 'an object is not a scalar value'],
      ['{ $.nested NOT EXISTS }', false, 'an object exists'],
      ['{ $.list != "b" }', false, 'an array never compares'],
      ['{ $.list[0] != "b" }', true, 'its element does'],
      ['{ $.list[1] NOT EXISTS }', true, 'an index past the end does not exist'],
      ['{ $.nothing IS NULL }', true, 'null is null'],
      ['{ $.nothing = * }', false, 'null is not a present scalar'],
      ['{ $.nothing != "x" }', false, 'null never compares'],
      ['{ $.flag IS FALSE }', true, 'boolean false'],
      ['{ $.flag = false }', true, 'a boolean compares as its text'],
      ['{ $.eventName = "consolelogin" }', false, 'case-sensitive'],
      ['{ $.eventName = Console* }', true, 'trailing wildcard'],
      ['{ $.eventName = *Login }', true, 'leading wildcard'],
      ['{ $.eventName = "Con*Log*n" }', true, 'wildcards in the middle'],
      ['{ $.eventName = "Con*Lug*n" }', false, 'wildcards in the middle, no match'],
      ['{ $.eventName = "ConsoleLogin*" }', true, 'a wildcard may match nothing'],
      ['{ $.eventName = "Console\\*" }', false, 'an escaped star is a literal star'],
      ['{ $.count = 400 }', true, 'numbers compare numerically'],
      ['{ $.count = 4.0e2 }', true, 'numbers compare numerically whatever their spelling'],
      ['{ $.text = 400 }', true, 'a string compares with a number as its text'],
      ['{ $.text = 4.0e2 }', false, 'only as its exact text'],
      ['{ $.text > 300 }', false, 'order comparisons hold only for numbers'],
      ['{ $.count = 4* }', true, 'a wildcard value compares with a number as text'],
      ['{ $.count != 401 }', true, 'numeric inequality'],
      ['{ $.eventName != 401 }', true, 'a string is not equal to a number it does not spell'],
    ])('%s -> %s (%s)', (pattern, expected) => {
      expect(matchesEvent(pattern, root)).toBe(expected);
    });

    it('case-sensitive != catches the AWS sample root sign-in whose MFAUsed is "YES"', () => {
      // Prepare
      const event = { eventName: 'ConsoleLogin', additionalEventData: { MFAUsed: 'YES' } };

      // Act
      const matched = matchesEvent('{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }', event);

      // Assess
      expect(matched).toBe(true);
    });

    it('accepts a parsed pattern as well as its text', () => {
      const pattern = parsePattern('{ $.eventName = ConsoleLogin }');
      expect(matchesEvent(pattern, root)).toBe(true);
    });

    it.each([
      ['a line that is not JSON', 'ConsoleLogin happened'],
      ['a JSON array', [{ eventName: 'ConsoleLogin' }]],
      ['a JSON string', '"ConsoleLogin"'],
      ['null', null],
      ['undefined', undefined],
    ])('never matches %s', (_what, event) => {
      expect(matchesEvent('{ $.eventName = * || $.eventName NOT EXISTS }', event)).toBe(false);
    });

    it('reads only own properties (never Object.prototype)', () => {
      expect(matchesEvent('{ $.constructor NOT EXISTS && $.toString NOT EXISTS }', {})).toBe(true);
      expect(matchesEvent('{ $.__proto__ = "x" }', JSON.parse('{"__proto__": "x"}'))).toBe(true);
    });

    it('matches a wildcard selector when any element satisfies the condition, and NOT EXISTS when it reaches nothing', () => {
      const event = { items: [{ name: 'a' }, { name: 'b' }], empty: [] };
      expect(matchesEvent('{ $.items[*].name = "b" }', event)).toBe(true);
      expect(matchesEvent('{ $.items[*].name != "a" }', event)).toBe(true);
      expect(matchesEvent('{ $.empty[*] NOT EXISTS }', event)).toBe(true);
      expect(matchesEvent('{ $.items[*] NOT EXISTS }', event)).toBe(false);
    });
  });

  describe('term and space-delimited patterns on JSON events', () => {
    it('match the JSON text of an object event', () => {
      const event = { eventName: 'StopLogging', eventSource: 'cloudtrail.amazonaws.com' };
      expect(matchesEvent('StopLogging', event)).toBe(true);
      expect(matchesEvent('"\\"eventName\\":\\"StopLogging\\""', event)).toBe(true);
      expect(matchesEvent('StopLogging -cloudtrail', event)).toBe(false);
    });

    it('matches a regex term and ignores ? terms next to plain terms', () => {
      expect(matchesEvent('ERROR ?WARN', 'ERROR only')).toBe(true);
      expect(matchesEvent('%ERR[O]R% -only', 'ERROR only')).toBe(false);
    });
  });
});
