import { isNumberText, numberOfText, matchesEvent, parsePattern, tryParsePattern } from '../../src/pattern';

describe('the number syntax', () => {
  const numbers = ['400', '-1.5', '+1000', '10e-3', '1E3', '.5', '5.', '0', '-0'];
  const notNumbers = ['', '1e', 'e3', '1.2.3', '0x10', '1_000', '--1', 'Infinity', 'NaN', '1e+', '.'];

  it.each(numbers)('reads %p as a number everywhere', (text) => {
    // Prepare
    const pattern = parsePattern(`{ $.a = ${text} }`);

    // Act / Assess: the parser, the matcher of space-delimited fields and metricValue agree.
    expect(isNumberText(text)).toBe(true);
    expect(numberOfText(text)).toBe(Number(text));
    expect(pattern.kind === 'json' && pattern.body.kind === 'comparison' && pattern.body.value.kind).toBe('number');
    expect(matchesEvent(`[a > -1e9]`, text)).toBe(true);
  });

  it.each(notNumbers)('does not read %p as a number anywhere', (text) => {
    expect(isNumberText(text)).toBe(false);
    expect(numberOfText(text)).toBeUndefined();
    const outcome = tryParsePattern(`{ $.a = ${text} }`);
    if (outcome.ok && outcome.pattern.kind === 'json' && outcome.pattern.body.kind === 'comparison') expect(outcome.pattern.body.value.kind).not.toBe('number');
    if (text !== '') expect(matchesEvent(`[a > -1e9]`, text)).toBe(false);
  });
});
