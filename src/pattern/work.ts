/**
 * The work budget of one decision or one match. Patterns come from the accounts we scan, and
 * deciding coverage of regular expressions is exponential in the worst case, so every loop of
 * the engine spends steps here: past the limit it throws WorkLimitExceeded, and the caller answers
 * "cannot verify: the pattern is too complex to decide", never a guess.
 *
 * Steps, not wall time, so a verdict is the same on every machine and every run. A step is a
 * small, fixed amount of work (an automaton state looked at, a character read, a search node);
 * the limits below keep the worst decision under ~150 ms of CPU on the project machine (the bench
 * prints "worst coverage decision" to hold them to it).
 */
import { TrailwatchError } from '../errors';
import { LazyDfa, type TextAutomaton } from './automaton';

/** Steps one coverage decision may spend (CIS-sized decisions spend a few thousand). */
export const COVERAGE_STEPS = 500_000;
/** Steps one match of one event may spend (a 256 KB event on a plain pattern spends about as many steps as characters). */
export const MATCH_STEPS = 2_000_000;

/** The budget ran out: nothing was decided. */
export class WorkLimitExceeded extends TrailwatchError {
  constructor(readonly limit: number) {
    super(`the pattern is too complex to decide (it needs more than ${groupThousands(limit)} steps of work; trailwatch stops there so that no pattern can stall a scan)`);
  }
}

function groupThousands(value: number): string {
  return Number.isFinite(value) ? String(Math.round(value)).replace(/\B(?=(\d{3})+(?!\d))/g, ',') : String(value);
}

export class Work {
  private used = 0;
  /** The automata this work determinized, each once (never shared between works: a verdict must not depend on what ran before). */
  private readonly dfas = new Map<TextAutomaton, LazyDfa>();

  constructor(readonly limit: number) {}

  get spent(): number {
    return this.used;
  }

  get remaining(): number {
    return Math.max(0, this.limit - this.used);
  }

  /** Spends `steps`; throws WorkLimitExceeded once more than the limit is spent. */
  spend(steps = 1): void {
    this.used += steps;
    if (this.used > this.limit) throw new WorkLimitExceeded(this.limit);
  }

  /** The automaton determinized for this work, built the first time it is asked for. */
  automaton(automaton: TextAutomaton): LazyDfa {
    let dfa = this.dfas.get(automaton);
    if (!dfa) {
      dfa = new LazyDfa(automaton, this);
      this.dfas.set(automaton, dfa);
    }
    return dfa;
  }
}
