import examples from './fixtures/aws-doc-examples.json';
import { CIS_V4, CIS_VARIANTS, shape } from './support';
import { PatternSyntaxError, parsePattern, printPattern, tryParsePattern } from '../../src/pattern';
import { TrailwatchError } from '../../src/errors';

describe('parsePattern', () => {
  describe('kinds', () => {
    it.each([
      ['{ $.eventName = X }', 'json'],
      ['  { $.eventName = X }  ', 'json'],
      ['[ip, user, ...]', 'delimited'],
      ['ERROR -WARN', 'terms'],
      ['', 'terms'],
      ['%AUTHORIZED%', 'terms'],
    ])('reads %j as a %s pattern and keeps its source', (text, kind) => {
      const pattern = parsePattern(text);
      expect(pattern.kind).toBe(kind);
      expect(pattern.source).toBe(text);
    });
  });

  describe('the AWS documentation and CIS texts', () => {
    const texts = [
      ...examples.jsonCases.map((example) => example.pattern),
      ...examples.lineCases.map((example) => example.pattern),
      ...CIS_V4.map((control) => control.pattern),
      ...CIS_VARIANTS.map((variant) => variant.pattern),
    ];

    it.each([...new Set(texts)])('parses %s', (text) => {
      expect(tryParsePattern(text).ok).toBe(true);
    });
  });

  describe('JSON trees', () => {
    it('gives && precedence over || and flattens chains of one operator', () => {
      // Act
      const pattern = parsePattern('{ $.a = 1 || $.b = 2 && ($.c = 3 && $.d = 4) || ($.e = 5) }');

      // Assess
      expect(pattern.kind).toBe('json');
      const body = pattern.kind === 'json' ? pattern.body : undefined;
      expect(body?.kind).toBe('or');
      const operands = body?.kind === 'or' ? body.operands : [];
      expect(operands.map((operand) => operand.kind)).toEqual(['comparison', 'and', 'comparison']);
      expect(operands[1]?.kind === 'and' && operands[1].operands.length).toBe(3);
    });

    it('keeps offsets: a node spans its text', () => {
      const text = '{ ($.eventName = "ConsoleLogin") && ($.errorMessage = "Failed authentication") }';
      const pattern = parsePattern(text);
      const body = pattern.kind === 'json' ? pattern.body : undefined;
      const first = body?.kind === 'and' ? body.operands[0] : undefined;
      expect(first && text.slice(first.start, first.end)).toBe('$.eventName = "ConsoleLogin"');
      expect(first?.kind === 'comparison' && text.slice(first.value.start, first.value.end)).toBe('"ConsoleLogin"');
    });

    it.each([
      ['$.a.b-c_d', [{ kind: 'key', name: 'a' }, { kind: 'key', name: 'b-c_d' }]],
      ['$.coordinates[0][1]', [{ kind: 'key', name: 'coordinates' }, { kind: 'index', index: 0 }, { kind: 'index', index: 1 }]],
      ["$.['cluster.name']", [{ kind: 'key', name: 'cluster.name' }]],
      ["$['cluster.name']", [{ kind: 'key', name: 'cluster.name' }]],
      ['$.a["b c"]', [{ kind: 'key', name: 'a' }, { kind: 'key', name: 'b c' }]],
      ['$.arrayKey[*]', [{ kind: 'key', name: 'arrayKey' }, { kind: 'anyIndex' }]],
      ['$.*', [{ kind: 'anyKey' }]],
    ])('reads the selector %s', (selector, segments) => {
      const pattern = parsePattern(`{ ${selector} = 1 }`);
      expect(pattern.kind === 'json' && pattern.body.kind === 'comparison' && pattern.body.selector.segments).toEqual(segments);
    });

    it.each([
      ['"DeleteTrail"', { kind: 'glob', pieces: ['DeleteTrail'] }],
      ['DeleteTrail', { kind: 'glob', pieces: ['DeleteTrail'] }],
      ['kms.amazonaws.com', { kind: 'glob', pieces: ['kms.amazonaws.com'] }],
      ['"*UnauthorizedOperation"', { kind: 'glob', pieces: ['', 'UnauthorizedOperation'] }],
      ['123.123.*', { kind: 'glob', pieces: ['123.123.', ''] }],
      ['"a**b*"', { kind: 'glob', pieces: ['a', 'b', ''] }],
      ['*', { kind: 'glob', pieces: ['', ''] }],
      ['"*"', { kind: 'glob', pieces: ['', ''] }],
      ['"a\\*b"', { kind: 'glob', pieces: ['a*b'] }],
      ['"say \\"hi\\""', { kind: 'glob', pieces: ['say "hi"'] }],
      ['""', { kind: 'glob', pieces: [''] }],
      ['400', { kind: 'number', value: 400, text: '400' }],
      ['-1.5e3', { kind: 'number', value: -1500, text: '-1.5e3' }],
      ['"400"', { kind: 'glob', pieces: ['400'] }],
      ['%^Delete.*Policy$%', { kind: 'regex', source: '^Delete.*Policy$' }],
    ])('reads the value %s', (value, expected) => {
      const pattern = parsePattern(`{ $.a = ${value} }`);
      expect(pattern.kind === 'json' && pattern.body.kind === 'comparison' && shape(pattern.body.value)).toEqual(expected);
    });

    it.each(['IS NULL', 'IS TRUE', 'IS FALSE', 'NOT EXISTS'])('reads the keyword test %s (any letter case)', (test) => {
      const pattern = parsePattern(`{ $.a ${test.toLowerCase()} }`);
      expect(pattern.kind === 'json' && pattern.body.kind === 'keyword' && pattern.body.test).toBe(test);
    });
  });

  describe('space-delimited and term trees', () => {
    it('reads fields, skips and conditions', () => {
      const pattern = parsePattern('[ip, ..., status_code = 4* && bytes > 1000, w1=ERROR || w1=WARN,]');
      expect(shape(pattern)).toEqual({
        kind: 'delimited',
        fields: [
          { kind: 'field', name: 'ip' },
          { kind: 'skip' },
          {
            kind: 'field',
            name: 'status_code',
            condition: {
              kind: 'and',
              operands: [
                { kind: 'fieldComparison', field: 'status_code', operator: '=', value: { kind: 'glob', pieces: ['4', ''] } },
                { kind: 'fieldComparison', field: 'bytes', operator: '>', value: { kind: 'number', value: 1000, text: '1000' } },
              ],
            },
          },
          {
            kind: 'field',
            name: 'w1',
            condition: {
              kind: 'or',
              operands: [
                { kind: 'fieldComparison', field: 'w1', operator: '=', value: { kind: 'glob', pieces: ['ERROR'] } },
                { kind: 'fieldComparison', field: 'w1', operator: '=', value: { kind: 'glob', pieces: ['WARN'] } },
              ],
            },
          },
          { kind: 'field', name: '' },
        ],
      });
    });

    it('reads required, optional and excluded terms', () => {
      const pattern = parsePattern('ERROR ?WARN -"Exiting now" - Debug %ERR\\d+%');
      expect(shape(pattern)).toEqual({
        kind: 'terms',
        terms: [
          { kind: 'term', mode: 'require', value: { kind: 'text', text: 'ERROR' } },
          { kind: 'term', mode: 'optional', value: { kind: 'text', text: 'WARN' } },
          { kind: 'term', mode: 'exclude', value: { kind: 'text', text: 'Exiting now' } },
          { kind: 'term', mode: 'exclude', value: { kind: 'text', text: 'Debug' } },
          { kind: 'term', mode: 'require', value: { kind: 'regex', source: 'ERR\\d+' } },
        ],
      });
    });
  });

  describe('errors', () => {
    it.each([
      ['{ $.eventName = }', "expected a value after '=' at 16", 16],
      ['{ $.eventName = "ConsoleLogin" ', "expected '&&', '||' or '}' at 31", 31],
      ['{ $.eventName = "ConsoleLogin" } x', "unexpected text after '}' at 33", 33],
      ['{ }', 'expected a condition at 2', 2],
      ['{ () }', 'expected a condition at 3', 3],
      ['{ ($.a = 1 }', "expected '&&', '||' or ')' (found '}') at 11", 11],
      ['{ ($.a = 1) ($.b = 2) }', "expected '&&', '||' or '}' (found '(') at 12", 12],
      ['{ $.a = 1 && }', "expected a condition after '&&' at 13", 13],
      ['{ $.a == 1 }', "'==' is not an operator; use '=' at 6", 6],
      ['{ $.a ! 1 }', "expected '!=' at 6", 6],
      ['{ $.a = 1 & $.b = 2 }', "expected '&&' at 10", 10],
      ['{ $eventName = x }', "expected '.' after '$' at 3", 3],
      ['{ $. = x }', "expected a field name after '.' at 4", 4],
      ['{ $.a[x] = 1 }', "expected an index, '*' or a quoted key after '[' at 6", 6],
      ['{ $.a[0 = 1 }', "expected ']' at 7", 7],
      ['{ $.a = "abc }', 'unterminated string starting at 8', 8],
      ['{ $.a = %abc }', 'unterminated regular expression starting at 8', 8],
      ['{ $.a = %a(b)% }', "'(' is not allowed in a regular expression (write '\\x28') at 10", 10],
      ['{ $.a = %something!% }', "'!' is not allowed in a regular expression at 18", 18],
      ['{ $.a = %[z-a]% }', 'invalid regular expression %[z-a]% (range out of order in character class) at 9', 9],
      ['{ $.a = %% }', 'a regular expression cannot be empty at 8', 8],
      ['{ $.a = %\\q% }', "'\\q' is not supported in a regular expression at 9", 9],
      ['{ $.a = %é% }', 'multi-byte characters are not allowed in a regular expression at 9', 9],
      ['{ $.a > abc }', "expected a number after '>' at 8", 8],
      ['{ $.a < "5" }', "expected a number after '<' at 8", 8],
      ['{ $.a IS NOT NULL }', "'IS NOT' is not supported; use '!=' or 'NOT EXISTS' at 9", 9],
      ['{ $.a IS EMPTY }', "expected NULL, TRUE or FALSE after 'IS' at 9", 9],
      ['{ $.a NOT NULL }', "expected EXISTS after 'NOT' at 10", 10],
      ['{ $.a EXISTS }', "'EXISTS' is not supported; use '= *' to require a field at 6", 6],
      ['{ $.userIdentity.invokedByNOT EXISTS }', "expected a space before 'NOT EXISTS' at 26", 26],
      ['{ $.a }', 'expected an operator (=, !=, <, <=, >, >=, IS NULL, NOT EXISTS) after $.a at 6', 6],
      ['{ $.a = a#b }', "unexpected '#' (quote values that contain it) at 9", 9],
      ['{ a = 1 }', "expected a selector starting with '$.' (found 'a') at 2", 2],
      ['{ ($.eventName = AcceptHandshake") || ($.eventName = "AttachPolicy") }', `unexpected '"' right after AcceptHandshake (is its opening quote missing?) at 32`, 32],
      ['{ ($.eventName=DetachRolePolicy)||($eventName=DetachGroupPolicy) }', "expected '.' after '$' at 36", 36],
      ['$.eventName = X', 'a JSON pattern must be wrapped in { } at 0', 0],
      ['{ $.a[99999999999999999999] = 1 }', 'the array index is too large at 6', 6],
      ['{ $.a[*].b[*] = 1 }', 'a selector may use only one wildcard at 2', 2],
      ['{ $.a[*] = 1 || $.b[*] = 1 || $.c.* = 1 || $.d[*] = 1 }', 'a pattern may use at most three wildcard selectors at 43', 43],
      ['{ $.a = %a% || $.b = %b% || $.c = %c% }', 'a pattern may contain at most two regular expressions at 34', 34],
      ['ERROR, WARN', `',' must be inside a quoted term ("...") at 5`, 5],
      ['"unterminated', 'unterminated string starting at 0', 0],
      ['-', "expected a term after '-' at 1", 1],
      ['ERROR ?', "expected a term after '?' at 7", 7],
      ['"a"b', 'expected a space between terms at 3', 3],
      ['[a, b', "expected ',' or ']' at 5", 5],
      ['[a b]', "expected ',' or ']' (found 'b') at 3", 3],
      ['[]', 'expected a field name at 1', 1],
      ['[a, $b]', "unexpected '$' (space-delimited fields are named without '$') at 4", 4],
      ['[a, ., b]', "expected '...' to skip fields at 4", 4],
      ['[a = ]', "expected a value after '=' at 5", 5],
      ['[a-b]', "'a-b' is not a field name (letters, digits and '_') at 1", 1],
      ['[a = 1 && = 2]', "expected a field name after '&&' at 10", 10],
      ['[a] b', "unexpected text after ']' at 4", 4],
    ])('rejects %j: %s', (text, message, offset) => {
      // Act
      const outcome = tryParsePattern(text);

      // Assess
      expect(outcome.ok).toBe(false);
      const error = outcome.ok ? undefined : outcome.error;
      expect(error).toBeInstanceOf(PatternSyntaxError);
      expect(error).toBeInstanceOf(TrailwatchError);
      expect(error?.name).toBe('PatternSyntaxError');
      expect(error?.message).toBe(message);
      expect(error?.offset).toBe(offset);
    });

    it('enforces the 1024-character limit', () => {
      expect(tryParsePattern(`{ $.eventName = "${'x'.repeat(1004)}" }`).ok).toBe(true);
      expect(() => parsePattern(`{ $.eventName = "${'x'.repeat(1005)}" }`)).toThrow(
        new PatternSyntaxError('a filter pattern has at most 1024 characters (this one has 1025) at 1024', 1024),
      );
    });

    it('counts characters, not UTF-16 units, against the limit', () => {
      expect(tryParsePattern(`"${'😀'.repeat(1022)}"`).ok).toBe(true);
    });

    it('throws from parsePattern with the offset', () => {
      expect(() => parsePattern('{ $.eventName = }')).toThrow(PatternSyntaxError);
      try {
        parsePattern('{ $.eventName = }');
      } catch (error) {
        expect((error as PatternSyntaxError).offset).toBe(16);
      }
    });
  });
});

describe('printPattern', () => {
  it.each([
    ['{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)}', '{ $.eventName = "DeleteGroupPolicy" || $.eventName = "DeleteRolePolicy" }'],
    [
      '{ ($.errorCode ="*UnauthorizedOperation") || ($.errorCode ="AccessDenied*") && ($.sourceIPAddress!="delivery.logs.amazonaws.com") }',
      '{ $.errorCode = "*UnauthorizedOperation" || $.errorCode = "AccessDenied*" && $.sourceIPAddress != "delivery.logs.amazonaws.com" }',
    ],
    [
      '{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }',
      '{ $.eventSource = "kms.amazonaws.com" && ($.eventName = "DisableKey" || $.eventName = "ScheduleKeyDeletion") }',
    ],
    ['{ $.userIdentity.invokedBy not exists && $.x is null }', '{ $.userIdentity.invokedBy NOT EXISTS && $.x IS NULL }'],
    ["{ $['cluster.name'] = c && $.a[0][*] = * && $.* = %x% && $.n >= +1e3 }", `{ $.['cluster.name'] = "c" && $.a[0][*] = * && $.* = %x% && $.n >= +1e3 }`],
    ['{ $.a = "q\\"uo\\\\te\\*" }', '{ $.a = "q\\"uo\\\\te\\*" }'],
    ['[ip,user,...,status_code=4*&&bytes>1000,]', '[ip, user, ..., status_code = "4*" && bytes > 1000, ]'],
    ['ERROR   ?WARN -"a phrase" ?x.y %E\\d%', 'ERROR ?WARN -"a phrase" ?"x.y" %E\\d%'],
    ['   ', ''],
  ])('prints %s canonically', (text, canonical) => {
    expect(printPattern(parsePattern(text))).toBe(canonical);
  });

  const texts = [
    ...examples.jsonCases.map((example) => example.pattern),
    ...examples.lineCases.map((example) => example.pattern),
    ...CIS_V4.map((control) => control.pattern),
  ];
  it.each([...new Set(texts)])('round-trips %s', (text) => {
    // Prepare
    const tree = parsePattern(text);

    // Act
    const reparsed = parsePattern(printPattern(tree));

    // Assess
    expect(shape(reparsed)).toEqual(shape(tree));
  });
});
