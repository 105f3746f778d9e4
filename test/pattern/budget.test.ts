/**
 * The work budget: every coverage decision and every match stops after a fixed number of steps,
 * whatever the pattern (within CloudWatch's limits) or the text, and then says it cannot decide —
 * never a guess. Counted in steps, so these tests are deterministic: they hold the steps, not the
 * clock (the bench prints the worst decision's CPU time).
 */
import { controlsFor } from '../../src/controls';
import { covers, decideCoverage, matchesEvent, parsePattern, Work, WorkLimitExceeded, COVERAGE_STEPS } from '../../src/pattern';
import { forgetCoverageCaches } from '../../src/pattern/coverage';
import { HOSTILE_CONDITIONS, hostileFilters } from '../../scripts/bench/hostile-patterns';

const CONTROLS = controlsFor('cis-aws-v4.0.0');

/** How far past its limit a Work may go: the last charge is a bounded amount (one state of the largest automaton). */
const OVERSHOOT = 20_000;

describe('the work budget', () => {
  describe('coverage', () => {
    it.each(hostileFilters('cis-aws-v4.0.0'))('cannot verify $check narrowed by $name, and stops at the limit', ({ check, pattern }) => {
      // Prepare
      const control = CONTROLS.find((candidate) => candidate.check === check);
      const candidate = parsePattern(pattern);
      expect(pattern.length).toBeLessThanOrEqual(1024);
      forgetCoverageCaches();
      const work = new Work(COVERAGE_STEPS);

      // Act
      let thrown: unknown;
      try {
        decideCoverage(candidate, control?.referencePattern as string, work);
      } catch (error) {
        thrown = error;
      }

      // Assess
      expect(thrown).toBeInstanceOf(WorkLimitExceeded);
      expect(work.spent).toBeGreaterThan(COVERAGE_STEPS);
      expect(work.spent).toBeLessThan(COVERAGE_STEPS + OVERSHOOT);
    });

    it('says why in the verdict, the same way every time, with or without what earlier decisions cached', () => {
      // Prepare
      const root = CONTROLS.find((control) => control.check === 'root_usage')?.referencePattern as string;
      const pattern = `{ ${root.slice(1, -1)} && ${HOSTILE_CONDITIONS[0]?.condition} }`;

      // Act
      forgetCoverageCaches();
      const cold = covers(pattern, root);
      const warm = covers(pattern, root);

      // Assess
      const expected = {
        verdict: 'undetermined',
        reason: 'the pattern is too complex to decide (it needs more than 500,000 steps of work; trailwatch stops there so that no pattern can stall a scan)',
        workLimit: true,
      };
      expect(cold).toEqual(expected);
      expect(warm).toEqual(expected);
    });

    it('decides what fits the budget: the same condition on a field the reference fixes to other values', () => {
      // A text the regex matches cannot be one of the reference's event names, so nothing is missed.
      const iam = CONTROLS.find((control) => control.check === 'iam_policy_changes')?.referencePattern as string;
      const pattern = `{ (${iam.slice(1, -1)}) && ($.eventName NOT EXISTS || $.eventName != %a{1000}a{1000}a{1000}a{1000}a{1000}%) }`;
      expect(covers(pattern, iam)).toEqual({ verdict: 'covered' });
    });

    it('is deterministic for a decision that needs most of the budget: the same steps with a cold or warm cache', () => {
      const candidate = `{ ${Array.from({ length: 30 }, (_, i) => `$.eventName != "*${String.fromCharCode(97 + (i % 26))}*${i}*"`).join(' && ')} }`;
      const reference = CONTROLS.find((control) => control.check === 'organizations_changes')?.referencePattern as string;
      const spent = () => {
        const work = new Work(COVERAGE_STEPS);
        const result = decideCoverage(candidate, reference, work);
        return { verdict: result.verdict, steps: work.spent };
      };
      forgetCoverageCaches();
      const cold = spent();
      const warm = spent();
      expect(warm).toEqual(cold);
      expect(cold.verdict).toBe('covered');
    });

    it('accepts a smaller limit', () => {
      const result = covers('{ $.a = "x" || $.b = "y" }', '{ $.a = "x" }', 10);
      expect(result).toMatchObject({ verdict: 'undetermined', workLimit: true });
    });
  });

  describe('matching', () => {
    it('stops a match that would need more than its budget, and matches the same text within it', () => {
      // Prepare: 5,000 counted characters against a text of them; every character reaches a new automaton state.
      const pattern = parsePattern('{ $.token = %a{1000}a{1000}a{1000}a{1000}a{1000}% }');
      const event = { token: 'a'.repeat(5000) };

      // Act
      const small = new Work(10_000);
      const large = new Work(5_000_000);

      // Assess
      expect(() => matchesEvent(pattern, event, small)).toThrow(WorkLimitExceeded);
      expect(small.spent).toBeLessThan(10_000 + OVERSHOOT);
      expect(matchesEvent(pattern, event, large)).toBe(true);
      expect(matchesEvent(pattern, { token: 'a'.repeat(4999) }, new Work(5_000_000))).toBe(false);
    });

    it('bounds backtracking over `...` in space-delimited patterns, and says so instead of answering false', () => {
      const pattern = parsePattern('[..., a = x, ..., b = y, ..., c = z, ..., d = w]');
      const line = Array.from({ length: 400 }, (_, i) => (i % 2 ? 'x' : 'y')).join(' ');
      expect(() => matchesEvent(pattern, line, new Work(50_000))).toThrow(WorkLimitExceeded);
    });

    it('charges one step per character once the automaton states exist', () => {
      const pattern = parsePattern('{ $.message = %error|warn% }');
      const work = new Work(Number.POSITIVE_INFINITY);
      matchesEvent(pattern, { message: 'x'.repeat(10_000) }, work);
      const first = work.spent;
      matchesEvent(pattern, { message: 'x'.repeat(10_000) }, work);
      expect(work.spent - first).toBeLessThan(10_100);
    });
  });

  describe('a generous CPU bound, as a sanity check only', () => {
    it('decides every hostile filter against every check in well under a second of CPU each', () => {
      // The budget, not the clock, is what the tests hold; this only catches a step that got expensive.
      for (const { pattern } of hostileFilters('cis-aws-v4.0.0')) {
        for (const control of CONTROLS) {
          forgetCoverageCaches();
          const started = process.cpuUsage();
          covers(pattern, control.referencePattern);
          const used = process.cpuUsage(started);
          expect((used.user + used.system) / 1000).toBeLessThan(2000);
        }
      }
    });
  });
});
