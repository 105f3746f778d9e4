/**
 * The texts of JSON numbers, as automata. A text condition (`%^[0-9]%`, `"4*"`) on a field that
 * holds a JSON number tests the number's text, `String(n)`; an order comparison (`> 5`) tests
 * its value. Whether some number satisfies both is a question about strings:
 *
 *   is there a text inside the automata it must match, outside those it must not match, that is
 *   how JavaScript prints a number (NUMBER_TEXTS), and whose value is in the compared range?
 *
 * The range is turned into automata too: comparing a decimal text with a constant is regular
 * (longer integer part, or the first differing digit, decides). They are given to findTexts as
 * automata the text must stay outside of ("the value is at most the lower bound"), which it
 * determinizes lazily, so dozens of branches stay cheap.
 *
 * The automata over-approximate the printed texts (any number of digits), never under: a text
 * found is re-checked (`String(Number(text)) === text`, and the matcher), and no text at all means
 * no number exists. When every text found has more significant digits than any double prints,
 * the search goes on over exactly the shapes JavaScript prints (PRINTED_NUMBERS, a finite
 * language), every text re-checked (see field.ts).
 */
import { TextAutomaton, type AutomatonItem } from './automaton';
import { ANY_CHARACTER, DIGITS, fromRanges, single } from './charset';

type Items = AutomatonItem[];

const literal = (text: string): Items => [...text].map((character) => ({ kind: 'set', set: single(character.charCodeAt(0)), min: 1, max: 1 }));
const digitRange = (low: number, high: number, min = 1, max = 1): Items => (low > high ? [] : [{ kind: 'set', set: fromRanges([0x30 + low, 0x30 + high]), min, max }]);
const digits = (min: number, max: number): Items => [{ kind: 'set', set: DIGITS, min, max }];
const anything: Items = [{ kind: 'set', set: ANY_CHARACTER, min: 0, max: Number.POSITIVE_INFINITY }];
/** Fraction digits: none, or a point and at least one digit (trailing zeros are over-approximated). */
const FRACTIONS: readonly Items[] = [[], [...literal('.'), ...digits(1, Number.POSITIVE_INFINITY)]];

/** A decimal magnitude: its integer part (no leading zeros, "0" below 1) and fraction digits (no trailing zeros). */
interface Decimal {
  readonly integer: string;
  readonly fraction: string;
}

/** The exact decimal of the text JavaScript prints for |value| (the shortest that reads back as it). */
export function decimalOf(value: number): Decimal {
  const text = String(Math.abs(value));
  const [mantissa = '', exponent = '0'] = text.split('e');
  const point = mantissa.indexOf('.');
  const allDigits = mantissa.replace('.', '');
  const position = (point < 0 ? mantissa.length : point) + Number(exponent);
  let integer: string;
  let fraction: string;
  if (position <= 0) [integer, fraction] = ['0', '0'.repeat(-position) + allDigits];
  else if (position >= allDigits.length) [integer, fraction] = [allDigits + '0'.repeat(position - allDigits.length), ''];
  else [integer, fraction] = [allDigits.slice(0, position), allDigits.slice(position)];
  integer = integer.replace(/^0+(?=\d)/, '');
  fraction = fraction.replace(/0+$/, '');
  return { integer, fraction };
}

function withFractions(prefix: Items): Items[] {
  return FRACTIONS.map((fraction) => [...prefix, ...fraction]);
}

/** Unsigned decimal texts whose value is greater than `bound`. */
function greaterMagnitudes({ integer, fraction }: Decimal): Items[] {
  const branches: Items[] = [];
  const length = integer.length;
  // A longer integer part (any non-zero one when the bound is below 1).
  branches.push(...withFractions(integer === '0' ? [...digitRange(1, 9), ...digits(0, Number.POSITIVE_INFINITY)] : [...digitRange(1, 9), ...digits(length, Number.POSITIVE_INFINITY)]));
  // As long, with a greater digit where they first differ.
  if (integer !== '0') {
    for (let at = 0; at < length; at += 1) {
      const digit = Number(integer[at]);
      if (digit < 9) branches.push(...withFractions([...literal(integer.slice(0, at)), ...digitRange(digit + 1, 9), ...digits(length - at - 1, length - at - 1)]));
    }
  }
  // The same integer part, a greater fraction.
  for (let at = 0; at < fraction.length; at += 1) {
    const digit = Number(fraction[at]);
    if (digit < 9) branches.push([...literal(`${integer}.${fraction.slice(0, at)}`), ...digitRange(digit + 1, 9), ...digits(0, Number.POSITIVE_INFINITY)]);
  }
  branches.push([...literal(`${integer}.${fraction}`), ...digits(0, Number.POSITIVE_INFINITY), ...digitRange(1, 9)]);
  return branches;
}

/** Unsigned decimal texts whose value is less than `bound`. */
function lesserMagnitudes({ integer, fraction }: Decimal): Items[] {
  const branches: Items[] = [];
  const length = integer.length;
  // A shorter integer part.
  if (length > 1) {
    branches.push(...withFractions(literal('0')));
    if (length > 2) branches.push(...withFractions([...digitRange(1, 9), ...digits(0, length - 2)]));
    else branches.push(...withFractions(digitRange(1, 9)));
  }
  // As long, with a smaller digit where they first differ.
  for (let at = 0; at < length; at += 1) {
    const digit = Number(integer[at]);
    const lowest = at === 0 && length > 1 ? 1 : 0;
    if (digit > lowest) branches.push(...withFractions([...literal(integer.slice(0, at)), ...digitRange(lowest, digit - 1), ...digits(length - at - 1, length - at - 1)]));
  }
  // The same integer part, a smaller fraction (a proper prefix of it, or a smaller digit).
  if (fraction.length > 0) branches.push(literal(integer));
  for (let at = 0; at < fraction.length; at += 1) {
    if (at > 0) branches.push(literal(`${integer}.${fraction.slice(0, at)}`));
    const digit = Number(fraction[at]);
    if (digit > 0) branches.push([...literal(`${integer}.${fraction.slice(0, at)}`), ...digitRange(0, digit - 1), ...digits(0, Number.POSITIVE_INFINITY)]);
  }
  return branches;
}

const anchored = (branch: Items): Items => [{ kind: 'start' }, ...branch, { kind: 'end' }];
const signed = (sign: string, branches: readonly Items[]): Items[] => branches.map((branch) => [...literal(sign), ...branch]);

/**
 * The texts JavaScript prints in exponent notation, by region of values: for these a comparison is
 * made per region (every region lies wholly on one side of a bound or is kept whole).
 */
/** A mantissa: one digit, or a point and fraction digits without trailing zeros ("1.0e+21" is never printed). */
const MANTISSAS: readonly Items[] = [digitRange(1, 9), [...digitRange(1, 9), ...literal('.'), ...digits(0, Number.POSITIVE_INFINITY), ...digitRange(1, 9)]];
const LARGEST_BELOW_A_MILLIONTH = nextDown(1e-6);
/** Exponents JavaScript prints: e+21 to e+308 above 1e21, e-7 to e-324 below a millionth. */
const LARGE_EXPONENTS: readonly Items[] = [[...literal('2'), ...digitRange(1, 9)], [...digitRange(3, 9), ...digits(1, 1)], [...digitRange(1, 9), ...digits(2, 2)]];
const SMALL_EXPONENTS: readonly Items[] = [digitRange(7, 9), [...digitRange(1, 9), ...digits(1, 1)], [...digitRange(1, 3), ...digits(2, 2)]];
const exponentTexts = (sign: string, exponents: readonly Items[]): Items[] =>
  MANTISSAS.flatMap((mantissa) => exponents.map((exponent) => [...mantissa, ...literal(`e${sign}`), ...exponent]));
/** Exponent-notation texts of a region, coarsely (one branch: cheap to determinize; only printed texts matter). */
const coarseExponentTexts = (sign: string): Items[] => [
  [...digitRange(1, 9), { kind: 'set', set: fromRanges([0x2e, 0x2e, 0x30, 0x39]), min: 0, max: Number.POSITIVE_INFINITY }, ...literal(`e${sign}`), ...digits(1, Number.POSITIVE_INFINITY)],
];
const EXPONENT_REGIONS: readonly { readonly low: number; readonly high: number; readonly branches: readonly Items[] }[] = [
  { low: 1e21, high: Number.MAX_VALUE, branches: coarseExponentTexts('+') },
  { low: Number.MIN_VALUE, high: LARGEST_BELOW_A_MILLIONTH, branches: coarseExponentTexts('-') },
].flatMap((region) => [region, { low: -region.high, high: -region.low, branches: signed('-', region.branches) }]);

/**
 * Every text `String(n)` gives for a finite number n, and more: an optional minus, then an integer
 * part without leading zeros and a fraction without trailing zeros, or exponent notation with
 * the exponents JavaScript prints. (Few states: the search runs on its product with the rest.)
 */
export const NUMBER_TEXTS = new TextAutomaton(
  ['', '-'].flatMap((sign) => {
    const positional: Items[] = [
      [...digitRange(1, 9), ...digits(0, Number.POSITIVE_INFINITY)],
      [...digitRange(1, 9), ...digits(0, Number.POSITIVE_INFINITY), ...literal('.'), ...digits(0, Number.POSITIVE_INFINITY), ...digitRange(1, 9)],
      [...literal('0.'), ...digits(0, Number.POSITIVE_INFINITY), ...digitRange(1, 9)],
      ...(sign === '' ? [literal('0')] : []),
    ];
    return signed(sign, positional).map(anchored);
  }).concat(['', '-'].flatMap((sign) => signed(sign, [...exponentTexts('+', LARGE_EXPONENTS), ...exponentTexts('-', SMALL_EXPONENTS)]).map(anchored))),
);

export type Comparison = '<' | '<=' | '>' | '>=';

const automata = new Map<string, TextAutomaton>();

/**
 * Number texts whose value `comparison` `bound` holds for: every text JavaScript prints that is in
 * it has such a value, and so does every printed text in positional notation; of the exponent
 * notation texts (beyond 1e21 and below a millionth) only those of regions wholly on that side
 * are in it. Other strings may be in it: it is only used as an automaton to stay outside of,
 * together with NUMBER_TEXTS and a re-check.
 */
export function comparisonAutomaton(comparison: Comparison, bound: number): TextAutomaton {
  const key = `${comparison}${bound}`;
  let automaton = automata.get(key);
  if (!automaton) {
    automaton = new TextAutomaton(comparisonBranches(comparison, bound).map(anchored));
    if (automata.size > 1000) automata.clear();
    automata.set(key, automaton);
  }
  return automaton;
}

function comparisonBranches(comparison: Comparison, bound: number): Items[] {
  const greater = comparison === '>' || comparison === '>=';
  const branches: Items[] = positionalBranches(greater, bound);
  if (comparison === '>=' || comparison === '<=') branches.push(literal(String(bound)));
  // Exponent notation: a region whose every value satisfies the comparison.
  const holds = (value: number) =>
    comparison === '>' ? value > bound : comparison === '>=' ? value >= bound : comparison === '<' ? value < bound : value <= bound;
  for (const region of EXPONENT_REGIONS) if (holds(region.low) && holds(region.high)) branches.push(...region.branches);
  return branches;
}

/**
 * Texts in positional notation (|n| from a millionth to below 1e21, or 0) on the asked side of
 * `bound`. A bound outside that range compares with all of them the same way: its own decimal
 * (hundreds of digits for 1e300) is never spelt out.
 */
function positionalBranches(greater: boolean, bound: number): Items[] {
  const magnitude = Math.abs(bound);
  const negatives = [...literal('-'), ...anything];
  const nonNegatives = [...digits(1, 1), ...anything];
  if (magnitude >= 1e21 || (magnitude > 0 && magnitude < 1e-6)) {
    const large = magnitude >= 1e21;
    const belowLarge = lesserMagnitudes(decimalOf(1e21));
    const positive = greaterMagnitudes(decimalOf(0));
    if (greater) {
      if (bound > 0) return large ? [] : positive;
      return [nonNegatives, ...(large ? signed('-', belowLarge) : [])];
    }
    if (bound > 0) return large ? [...belowLarge, negatives] : [literal('0'), negatives];
    return large ? [] : signed('-', positive);
  }
  const decimal = decimalOf(bound);
  if (greater) return bound >= 0 ? greaterMagnitudes(decimal) : [nonNegatives, ...signed('-', lesserMagnitudes(decimal))];
  return bound > 0 ? [...lesserMagnitudes(decimal), negatives] : signed('-', greaterMagnitudes(decimal));
}

/** The double just above `value` (the largest finite one stays). */
export function nextUp(value: number): number {
  if (Number.isNaN(value) || value === Number.POSITIVE_INFINITY) return value;
  if (value === 0) return Number.MIN_VALUE;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const bits = view.getBigUint64(0);
  view.setBigUint64(0, value > 0 ? bits + 1n : bits - 1n);
  return view.getFloat64(0);
}

/** The double just below `value`. */
export function nextDown(value: number): number {
  return -nextUp(-value);
}

/**
 * Where a reading of a printed number is: `part`, and the counts that decide what may follow
 * (digits of the integer part, its trailing zeros, fraction digits, zeros after "0.", exponent).
 */
export interface PrintedReading {
  readonly key: string;
  readonly part: 'start' | 'zero' | 'zeros' | 'small' | 'integer' | 'fraction' | 'exponentSign' | 'exponent';
  readonly negative: boolean;
  /** integer: its digits; fraction: the integer part's digits; zeros: zeros after "0."; small: digits from the first non-zero one. */
  readonly count: number;
  /** integer: trailing zeros; fraction: fraction digits; exponent: its value. */
  readonly more: number;
  /** The last digit read is not zero (exponent: its sign is '+'). */
  readonly flag: boolean;
  /** exponent: how many digits it has. */
  readonly digits: number;
}

function reading(part: PrintedReading['part'], negative: boolean, count = 0, more = 0, flag = false, digits = 0): PrintedReading {
  return { key: `${part}${negative ? '-' : ''}${count},${more},${flag ? 1 : 0},${digits}`, part, negative, count, more, flag, digits };
}

/**
 * Exactly the shapes of the texts JavaScript prints for finite numbers (Number::toString: the
 * significant digits s, 1 to 17 without a trailing zero, and the decimal exponent n, the value
 * being 0.s × 10^n, decide the notation), read one character at a time:
 * - k <= n <= 21: the k digits of s, then n - k zeros ("123000");
 * - 0 < n < k: n digits, a point, the other k - n ("12.5");
 * - -6 < n <= 0: "0.", -n zeros, the k digits ("0.000125");
 * - otherwise: a digit, a point and the others if k > 1, "e", the sign and n - 1, which is 21 to
 *   308 or -7 to -324 ("1.25e+21").
 * Some texts of these shapes are not printed (16 or 17 digits that are not the shortest for their
 * double; exponents at the ends of the range), but none with at most 15 significant digits and an
 * exponent from e-307 to e+308 is missed: two decimals of 15 digits never round to the same double.
 * The language is finite (at most 25 characters), so a search over it ends (findTextWhere).
 */
export const PRINTED_NUMBERS = {
  initial: reading('start', false),

  next(state: PrintedReading, code: number): PrintedReading | undefined {
    const digit = code >= 0x30 && code <= 0x39 ? code - 0x30 : -1;
    const { part, negative, count, more, flag, digits } = state;
    switch (part) {
      case 'start':
        if (code === 0x2d) return negative ? undefined : reading('start', true);
        if (digit === 0) return reading('zero', negative);
        return digit > 0 ? reading('integer', negative, 1, 0, true) : undefined;
      case 'zero':
        return code === 0x2e ? reading('zeros', negative) : undefined;
      case 'zeros':
        if (digit === 0) return count < 5 ? reading('zeros', negative, count + 1) : undefined;
        return digit > 0 ? reading('small', negative, 1, 0, true) : undefined;
      case 'small':
        return digit >= 0 && count < 17 ? reading('small', negative, count + 1, 0, digit > 0) : undefined;
      case 'integer': {
        if (digit >= 0) {
          const zeros = digit === 0 ? more + 1 : 0;
          // Past 21 digits a number prints in exponent notation; past 17 significant ones it has none such.
          return count < 21 && count + 1 - zeros <= 17 ? reading('integer', negative, count + 1, zeros, digit > 0) : undefined;
        }
        if (code === 0x2e) return count < 17 ? reading('fraction', negative, count, 0, false) : undefined;
        if (code === 0x65) return count === 1 ? reading('exponentSign', negative) : undefined;
        return undefined;
      }
      case 'fraction':
        if (digit >= 0) return count + more < 17 ? reading('fraction', negative, count, more + 1, digit > 0) : undefined;
        if (code === 0x65) return count === 1 && more > 0 && flag ? reading('exponentSign', negative) : undefined;
        return undefined;
      case 'exponentSign':
        return code === 0x2b || code === 0x2d ? reading('exponent', negative, 0, 0, code === 0x2b) : undefined;
      case 'exponent': {
        if (digit < 0 || (digits === 0 && digit === 0)) return undefined;
        const value = more * 10 + digit;
        return value <= (flag ? 308 : 324) ? reading('exponent', negative, 0, value, flag, digits + 1) : undefined;
      }
      default:
        return undefined;
    }
  },

  accepts(state: PrintedReading): boolean {
    switch (state.part) {
      case 'zero':
        return !state.negative;
      case 'small':
        return state.flag;
      case 'integer':
        return true;
      case 'fraction':
        return state.more > 0 && state.flag;
      case 'exponent':
        return state.digits > 0 && state.more >= (state.flag ? 21 : 7);
      default:
        return false;
    }
  },
};
