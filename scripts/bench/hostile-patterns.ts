/**
 * Filter patterns a member account could use to stall a scanner that decides coverage without a
 * work budget: each is a CIS reference pattern with one more condition, within CloudWatch's
 * limits (1,024 characters, at most two regexes), that makes the coverage decision as expensive
 * as the pattern language allows — counted repetitions, automata that blow up when complemented,
 * wildcards that must be avoided together. The bench times the worst of these decisions; the
 * fault tests put them in a member account; the pattern tests check that each runs out of work.
 */
import { controlsFor, type BenchmarkId } from '../../src/controls';

/**
 * Conditions that exhaust any coverage decision they are part of. Each holds for nearly every
 * event (a missing field passes), so the filter looks as broad as its reference; the events it
 * misses are the few whose field is one of the texts below, and finding one is the expensive part.
 */
export const HOSTILE_CONDITIONS: readonly { readonly name: string; readonly condition: string }[] = [
  // The security review's example: a text of 5,000 counted characters falsifies it.
  {
    name: 'counted repetitions',
    condition: '($.requestParameters.token NOT EXISTS || $.requestParameters.token != %a{1000}a{1000}a{1000}a{1000}a{1000}%)',
  },
  // Twenty a/b characters that stay outside an automaton of 2^17 states.
  {
    name: 'an automaton that blows up when complemented',
    condition: '($.requestParameters.token NOT EXISTS || $.requestParameters.token != %^[ab]{20}$% || $.requestParameters.token = %[ab]*a[ab]{16}$%)',
  },
  {
    name: 'counted classes',
    condition: '($.requestParameters.token NOT EXISTS || $.requestParameters.token != %[^a]{1000}[^b]{1000}[^c]{1000}[^d]{1000}[^e]{1000}%)',
  },
];

/** The text between a JSON pattern's outer braces. */
function inner(pattern: string): string {
  return pattern.slice(pattern.indexOf('{') + 1, pattern.lastIndexOf('}')).trim();
}

/** One hostile filter per check of the benchmark: its reference, narrowed by a hostile condition (taken in turn). */
export function hostileFilters(benchmark: BenchmarkId): { readonly check: string; readonly name: string; readonly pattern: string }[] {
  return controlsFor(benchmark).map((control, index) => {
    const hostile = HOSTILE_CONDITIONS[index % HOSTILE_CONDITIONS.length] as (typeof HOSTILE_CONDITIONS)[number];
    return { check: control.check, name: hostile.name, pattern: `{ (${inner(control.referencePattern)}) && ${hostile.condition} }` };
  });
}
