import fc from 'fast-check';
import { compileRegex, regexMatches } from '../../src/pattern/regex';
import { PatternSyntaxError, matchesEvent, tryParsePattern } from '../../src/pattern';
import { MATCH_STEPS, Work } from '../../src/pattern/work';

describe('regex values', () => {
  describe('regexMatches', () => {
    const token = fc.constantFrom(
      'a', 'b', '.', '[ab]', '[^a]', '[a-c]', '[-a]', '[a-]', '[]', '[^]', '[\\d_]', '\\d', '\\w', '\\s', '\\.', '\\x61',
      '*', '+', '?', '{1,2}', '{2}', '{0,}', '*?', '^', '$', '|', '-', ':', '{', '}', ']', ' ', '1',
    );
    const source = fc.array(token, { minLength: 1, maxLength: 7 }).map((tokens) => tokens.join(''));
    const text = fc.array(fc.constantFrom('a', 'b', 'c', '1', '-', ' ', '\n', '_', '.', ']'), { maxLength: 7 }).map((characters) => characters.join(''));

    it('agrees with RegExp.prototype.test on every regex CloudWatch accepts', () => {
      fc.assert(
        fc.property(source, fc.array(text, { minLength: 5, maxLength: 5 }), (regex, texts) => {
          let compiled: RegExp;
          try {
            compiled = compileRegex(regex, 0);
          } catch (error) {
            expect(error).toBeInstanceOf(PatternSyntaxError);
            return;
          }
          for (const sample of texts) expect(regexMatches(regex, sample, new Work(MATCH_STEPS))).toBe(compiled.test(sample));
        }),
        { numRuns: 3000 },
      );
    });

    it('takes linear time where a backtracking engine takes exponential time', () => {
      // Prepare: RegExp needs seconds for this on 30 characters.
      const pattern = '{ $.errorMessage = %a*a*a*a*a*a*a*a*a*a*c% }';
      const event = { errorMessage: 'a'.repeat(5000) };

      // Act
      const started = process.cpuUsage();
      const matched = matchesEvent(pattern, event);
      const elapsed = process.cpuUsage(started);

      // Assess
      expect(matched).toBe(false);
      expect((elapsed.user + elapsed.system) / 1000).toBeLessThan(500);
    });
  });

  describe('compileRegex', () => {
    it('refuses repetition counts above 1000', () => {
      const outcome = tryParsePattern('{ $.a = %a{2000}% }');
      expect(outcome.ok).toBe(false);
      expect(!outcome.ok && outcome.error.message).toBe('a repetition count above 1000 is not supported in a regular expression at 10');
    });
  });
});
