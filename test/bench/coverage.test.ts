/**
 * The coverage bench's filters (scripts/bench/coverage.ts): what it claims to time is what it
 * times. No timing here (the bench measures speed).
 */
import { busyLogGroupFilters, filterKinds, timeCoverageDecisions } from '../../scripts/bench/coverage';
import { controlsFor } from '../../src/controls';
import { covers, parsePattern } from '../../src/pattern';

const BENCHMARK = 'cis-aws-v4.0.0';
const reference = (check: string) => (controlsFor(BENCHMARK).find((control) => control.check === check) as { referencePattern: string }).referencePattern;

describe('the coverage bench', () => {
  const filters = busyLogGroupFilters(BENCHMARK, 100);

  it('decides 100 distinct filters that parse, among them regexes, wildcards and numbers', () => {
    expect(filters).toHaveLength(100);
    expect(new Set(filters).size).toBe(100);
    for (const filter of filters) expect(() => parsePattern(filter)).not.toThrow();
    const kinds = filterKinds(filters);
    expect(kinds.regex).toBeGreaterThanOrEqual(10);
    expect(kinds.wildcard).toBeGreaterThanOrEqual(10);
    expect(kinds.number).toBeGreaterThanOrEqual(5);
  });

  it.each([
    ['vpc_changes', '{ $.eventName = %Vpc% }'],
    ['cloudtrail_config_changes', '{ $.eventName = %Trail$% || $.eventName = %Logging$% }'],
    ['cmk_disable_or_scheduled_deletion', '{ ($.eventSource = kms.amazonaws.com) && ($.eventName = %^DisableKey$|^ScheduleKeyDeletion$%) }'],
  ])("holds issue 11's regex filter for %s, which covers its reference", (check, filter) => {
    expect(filters).toContain(filter);
    expect(covers(filter, reference(check))).toEqual({ verdict: 'covered' });
  });

  it('counts every decision once, by verdict, with the kinds of filters it decided', () => {
    const timing = timeCoverageDecisions(BENCHMARK, 100);
    expect(timing).toMatchObject({ checks: 15, filters: 100, decisions: 1500, unparsable: 0, kinds: filterKinds(filters) });
    expect(timing.covered + timing.notCovered + timing.undetermined).toBe(1500);
    expect(timing.covered).toBeGreaterThanOrEqual(15);
  });
});
