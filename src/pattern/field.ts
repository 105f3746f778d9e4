/**
 * One field's possible values under required truth values of the conditions on it.
 *
 * A field is missing, null, an object, an array, or a scalar (string, number, boolean). For the
 * first four every condition's truth is fixed, so they are evaluated directly. For scalars:
 * - strings: glob and regex conditions (and `= 400`, which compares a string as the text "400")
 *   become automata the text must be inside or outside, decided exactly by `findTexts`;
 * - booleans: evaluated directly;
 * - numbers: numeric conditions are decided exactly with interval reasoning; text conditions on
 *   a number test its text, searched on automata too (number-text.ts), exactly within the work.
 * A 'yes' always comes with a witness that was checked with the matcher's own evaluation.
 */
import { findTexts, findTextWhere, globAutomaton, type TextAutomaton } from './automaton';
import { comparisonAutomaton, nextUp, NUMBER_TEXTS, PRINTED_NUMBERS } from './number-text';
import { isLiteral, isMatchAll, sampleStrings } from './glob';
import { evaluateCondition } from './match';
import { regexAutomaton } from './regex';
import type { JsonCondition, Value } from './types';
import { assertNever } from './util';
import { Work, WorkLimitExceeded } from './work';

export type Tri = 'yes' | 'no' | 'unknown';

export type FieldKind = 'missing' | 'null' | 'object' | 'array' | 'scalar';
export const FIELD_KINDS: readonly FieldKind[] = ['missing', 'null', 'object', 'array', 'scalar'];

export interface Requirement {
  readonly condition: JsonCondition;
  /** The truth value the condition must have. */
  readonly want: boolean;
}

export interface FieldPossibilities {
  readonly kinds: Readonly<Record<FieldKind, Tri>>;
  /** A scalar satisfying every requirement, when `kinds.scalar` is 'yes'. */
  readonly witness?: string | number | boolean;
  /** Why `kinds.scalar` is 'unknown'. */
  readonly reason?: string;
  /** Set when it is 'unknown' because its search ran out of work. */
  readonly workLimit?: true;
}

const MISSING: readonly unknown[] = [];

function holds(requirements: readonly Requirement[], values: readonly unknown[], work: Work): boolean {
  return requirements.every((requirement) => evaluateCondition(requirement.condition, values, work) === requirement.want);
}

/**
 * What this field can be, given the requirements. `preferred` values (e.g. the CloudTrail
 * skeleton's value for this path) are tried first as scalar witnesses; `label` names the field in
 * reasons.
 */
export function fieldPossibilities(requirements: readonly Requirement[], preferred: readonly unknown[], label: string, work: Work): FieldPossibilities {
  const fixed = (values: readonly unknown[]): Tri => (holds(requirements, values, work) ? 'yes' : 'no');
  const kinds = {
    missing: fixed(MISSING),
    null: fixed([null]),
    object: fixed([{}]),
    array: fixed([[]]),
  };
  const scalar = scalarPossibility(requirements, preferred, label, work);
  return { kinds: { ...kinds, scalar: scalar.tri }, witness: scalar.witness, reason: scalar.reason, ...(scalar.workLimit ? { workLimit: true } : {}) };
}

interface ScalarPossibility {
  readonly tri: Tri;
  readonly witness?: string | number | boolean;
  readonly reason?: string;
  readonly workLimit?: true;
}

function scalarPossibility(requirements: readonly Requirement[], preferred: readonly unknown[], label: string, work: Work): ScalarPossibility {
  for (const candidate of preferred) {
    if (isScalar(candidate) && holds(requirements, [candidate], work)) return { tri: 'yes', witness: candidate };
  }
  const text = stringPossibility(requirements, work);
  if (text.tri === 'yes') return text;
  for (const candidate of [true, false]) if (holds(requirements, [candidate], work)) return { tri: 'yes', witness: candidate };
  const number = numberPossibility(requirements, text.tri === 'no', label, work);
  if (number.tri === 'yes') return number;
  if (text.tri === 'no' && number.tri === 'no') return { tri: 'no' };
  return { tri: 'unknown', reason: text.reason ?? number.reason, ...(number.workLimit ? { workLimit: true } : {}) };
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

// ---------------------------------------------------------------- strings

/** The automaton of a text condition's value: a glob, a regex, or a number read as its text. */
export function textAutomaton(value: Value): TextAutomaton {
  switch (value.kind) {
    case 'regex':
      return regexAutomaton(value.source);
    case 'number':
      return cachedGlobAutomaton([value.text]);
    case 'glob':
      return cachedGlobAutomaton(value.pieces);
    default:
      return assertNever(value);
  }
}

const globAutomata = new Map<string, TextAutomaton>();

function cachedGlobAutomaton(pieces: readonly string[]): TextAutomaton {
  const key = JSON.stringify(pieces);
  let automaton = globAutomata.get(key);
  if (!automaton) {
    automaton = globAutomaton(pieces);
    if (globAutomata.size > 1000) globAutomata.clear();
    globAutomata.set(key, automaton);
  }
  return automaton;
}

/**
 * A string satisfying every requirement, decided exactly: every glob, regex and number-as-text
 * condition is an automaton, and a string inside the ones it must match and outside the others
 * is searched on their product (findTexts). Realistic strings are tried first.
 */
function stringPossibility(requirements: readonly Requirement[], work: Work): ScalarPossibility {
  const inside: TextAutomaton[] = [];
  const outside: TextAutomaton[] = [];
  const samples: string[] = [];
  let literal: string | undefined;
  for (const { condition, want } of requirements) {
    if (condition.kind === 'keyword') {
      // IS NULL / IS TRUE / IS FALSE / NOT EXISTS are all false for a string.
      if (want) return { tri: 'no' };
      continue;
    }
    const value = condition.value;
    if (value.kind === 'number' && condition.operator !== '=' && condition.operator !== '!=') {
      // < <= > >= hold only for JSON numbers.
      if (want) return { tri: 'no' };
      continue;
    }
    const mustMatch = want === (condition.operator === '=');
    if (value.kind === 'glob' && isMatchAll(value.pieces)) {
      if (!mustMatch) return { tri: 'no' };
      continue;
    }
    (mustMatch ? inside : outside).push(textAutomaton(value));
    if (!mustMatch) continue;
    if (value.kind === 'number') literal = value.text;
    else if (value.kind === 'glob') {
      if (isLiteral(value.pieces)) literal = value.pieces[0] ?? '';
      else samples.push(...sampleStrings(value.pieces));
    }
  }
  const check = (text: string) => holds(requirements, [text], work);
  // A value it must equal settles it.
  if (literal !== undefined) return check(literal) ? { tri: 'yes', witness: literal } : { tri: 'no' };
  for (const candidate of [...samples, 'x', 'example']) {
    work.spend(1 + (candidate.length >> 4));
    if (check(candidate)) return { tri: 'yes', witness: candidate };
  }
  const [found] = findTexts(inside, outside, 1, work);
  if (found === undefined) return { tri: 'no' };
  if (!check(found)) throw new Error(`the automata and the matcher disagree on ${JSON.stringify(found)}`);
  return { tri: 'yes', witness: found };
}

// ---------------------------------------------------------------- numbers

interface Interval {
  low: number;
  lowOpen: boolean;
  high: number;
  highOpen: boolean;
  equal?: number;
  excluded: number[];
}

function numberPossibility(requirements: readonly Requirement[], textRefuted: boolean, label: string, work: Work): ScalarPossibility {
  const interval: Interval = { low: -Infinity, lowOpen: true, high: Infinity, highOpen: true, excluded: [] };
  let textConditions = false;
  let relational = false;
  for (const { condition, want } of requirements) {
    if (condition.kind === 'keyword') {
      if (want) return { tri: 'no' };
      continue;
    }
    const value = condition.value;
    if (value.kind !== 'number') {
      if (value.kind === 'glob' && isMatchAll(value.pieces)) {
        if (want !== (condition.operator === '=')) return { tri: 'no' };
      } else textConditions = true;
      continue;
    }
    if (condition.operator !== '=' && condition.operator !== '!=') relational = true;
    if (!narrow(interval, condition.operator, value.value, want)) return { tri: 'no' };
  }
  // Without an exact value or an order comparison, a number can do nothing a string cannot:
  // the string with the number's text satisfies the same conditions.
  if (textRefuted && interval.equal === undefined && !relational) return { tri: 'no' };
  const check = (value: number) => holds(requirements, [value], work);
  if (interval.equal !== undefined) return check(interval.equal) ? { tri: 'yes', witness: interval.equal } : { tri: 'no' };
  if (isEmpty(interval)) return { tri: 'no' };
  for (const candidate of numberCandidates(interval, requirements)) {
    work.spend(1);
    if (check(candidate)) return { tri: 'yes', witness: candidate };
  }
  return textConditions ? numberByText(requirements, interval, label, work) : numberInInterval(interval, check, work);
}

/**
 * A number in the interval (no text conditions): from its lowest double upwards, past the
 * excluded values (a finite list), so an empty answer is exact.
 */
function numberInInterval(interval: Interval, check: (value: number) => boolean, work: Work): ScalarPossibility {
  let value = Number.isFinite(interval.low) ? (interval.lowOpen ? nextUp(interval.low) : interval.low) : interval.low === -Infinity ? -Number.MAX_VALUE : Infinity;
  for (let tries = 0; tries <= interval.excluded.length; tries += 1) {
    work.spend(1);
    if (!Number.isFinite(value) || value > interval.high || (value === interval.high && interval.highOpen)) return { tri: 'no' };
    if (!interval.excluded.includes(value)) return check(value) ? { tri: 'yes', witness: value } : { tri: 'no' };
    value = nextUp(value);
  }
  return { tri: 'no' };
}

/** Texts looked at per number decision: the shortest are tried, longer ones only have more digits. */
const NUMBER_TEXTS_TRIED = 16;

/**
 * A number in the interval whose text satisfies the text conditions: a search over texts (see
 * number-text.ts) inside the conditions it must match and NUMBER_TEXTS, outside the ones it must
 * not match, the excluded values' texts and the texts beyond each bound. No text: no number.
 */
function numberByText(requirements: readonly Requirement[], interval: Interval, label: string, work: Work): ScalarPossibility {
  const inside: TextAutomaton[] = [NUMBER_TEXTS];
  const outside: TextAutomaton[] = interval.excluded.map((value) => cachedGlobAutomaton([String(value)]));
  for (const { condition, want } of requirements) {
    if (condition.kind !== 'comparison' || condition.value.kind === 'number') continue;
    if (condition.value.kind === 'glob' && isMatchAll(condition.value.pieces)) continue;
    (want === (condition.operator === '=') ? inside : outside).push(textAutomaton(condition.value));
  }
  if (Number.isFinite(interval.low)) outside.push(comparisonAutomaton(interval.lowOpen ? '<=' : '<', interval.low));
  if (Number.isFinite(interval.high)) outside.push(comparisonAutomaton(interval.highOpen ? '>=' : '>', interval.high));
  const texts = findTexts(inside, outside, NUMBER_TEXTS_TRIED, work);
  if (texts.length === 0) return { tri: 'no' };
  const printed = (text: string, spend: Work): number | undefined => {
    spend.spend(1 + (text.length >> 3));
    const value = Number(text);
    return String(value) === text && holds(requirements, [value], spend) ? value : undefined;
  };
  for (const text of texts) {
    const value = printed(text, work);
    if (value !== undefined) return { tri: 'yes', witness: value };
  }
  return printedNumberByText(inside.slice(1), outside, printed, label, work);
}

/** Steps the exhaustive search over printed number texts may take (fixed, so a verdict never depends on what ran before). */
const PRINTED_SEARCH_STEPS = 250_000;
/** The characters of printed numbers, each its own (how a number prints depends on every digit). */
const NUMBER_CHARACTERS = [...'1234567890.-e+'].map((character) => character.charCodeAt(0));

/**
 * The texts found so far all have more significant digits than the number they read back as
 * prints with (e.g. `$.f >= 1e21` beside `$.f = "11*1"`: only positional texts of 22 digits and
 * more fit). Searched again over exactly the shapes JavaScript prints (PRINTED_NUMBERS, a
 * finite language), every text re-checked: an empty answer means no number exists. Past its own
 * budget it says so ('unknown', a work limit).
 */
function printedNumberByText(
  inside: readonly TextAutomaton[],
  outside: readonly TextAutomaton[],
  printed: (text: string, work: Work) => number | undefined,
  label: string,
  work: Work,
): ScalarPossibility {
  const search = new Work(PRINTED_SEARCH_STEPS);
  let witness: number | undefined;
  try {
    const text = findTextWhere(PRINTED_NUMBERS, inside, outside, NUMBER_CHARACTERS, (candidate) => printed(candidate, search) !== undefined, search);
    if (text === undefined) return { tri: 'no' };
    witness = Number(text);
  } catch (error) {
    if (!(error instanceof WorkLimitExceeded)) throw error;
    return {
      tri: 'unknown',
      workLimit: true,
      reason: `the pattern is too complex to decide (whether a number can be ${label} needs more than ${PRINTED_SEARCH_STEPS.toLocaleString('en-US')} steps of work over the texts numbers print as)`,
    };
  } finally {
    work.spend(search.spent);
  }
  return { tri: 'yes', witness };
}

/** Applies "value operator n is `want`" to the interval; false when it becomes impossible. */
function narrow(interval: Interval, operator: string, n: number, want: boolean): boolean {
  const positive: Record<string, string> = { '=': '=', '!=': '!=', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };
  const negated: Record<string, string> = { '=': '!=', '!=': '=', '<': '>=', '<=': '>', '>': '<=', '>=': '<' };
  const effective = want ? positive[operator] : negated[operator];
  switch (effective) {
    case '=':
      if (interval.equal !== undefined && interval.equal !== n) return false;
      interval.equal = n;
      return true;
    case '!=':
      interval.excluded.push(n);
      return true;
    case '<':
      if (n < interval.high || (n === interval.high && !interval.highOpen)) [interval.high, interval.highOpen] = [n, true];
      return true;
    case '<=':
      if (n < interval.high) [interval.high, interval.highOpen] = [n, false];
      return true;
    case '>':
      if (n > interval.low || (n === interval.low && !interval.lowOpen)) [interval.low, interval.lowOpen] = [n, true];
      return true;
    case '>=':
      if (n > interval.low) [interval.low, interval.lowOpen] = [n, false];
      return true;
    default:
      return false;
  }
}

function isEmpty(interval: Interval): boolean {
  if (interval.low > interval.high) return true;
  if (interval.low === interval.high) return interval.lowOpen || interval.highOpen || interval.excluded.includes(interval.low);
  return false;
}

function numberCandidates(interval: Interval, requirements: readonly Requirement[]): number[] {
  const { low, high } = interval;
  const candidates: number[] = [];
  const finiteLow = Number.isFinite(low);
  const finiteHigh = Number.isFinite(high);
  if (finiteLow) candidates.push(low, low + 1, Math.floor(low) + 1, low + 0.5);
  if (finiteHigh) candidates.push(high, high - 1, Math.ceil(high) - 1, high - 0.5);
  if (finiteLow && finiteHigh) candidates.push((low + high) / 2, low + (high - low) / 3);
  if (!finiteLow && !finiteHigh) candidates.push(0, 1, 7, 42, -1);
  if (!finiteLow && finiteHigh) candidates.push(high - 1000, -1e6);
  if (finiteLow && !finiteHigh) candidates.push(low + 1000, 1e6);
  // Numbers whose text fits the text conditions.
  for (const { condition, want } of requirements) {
    if (condition.kind !== 'comparison' || condition.value.kind !== 'glob') continue;
    if (want !== (condition.operator === '=')) continue;
    for (const sample of sampleStrings(condition.value.pieces).concat(condition.value.pieces.join('0'), condition.value.pieces.join('1'))) {
      if (/^-?\d+(\.\d+)?$/.test(sample)) candidates.push(Number(sample));
    }
  }
  return candidates.filter((candidate) => Number.isFinite(candidate));
}
