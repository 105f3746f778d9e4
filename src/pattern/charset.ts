import type { Work } from './work';

/**
 * Sets of UTF-16 code units (what JavaScript strings, and so the matcher, are made of), as sorted,
 * disjoint, non-adjacent inclusive ranges `[lo0, hi0, lo1, hi1, ...]`. The automata label their
 * transitions with these, and coverage splits the alphabet into the classes they tell apart.
 */

export type CharSet = readonly number[];

const MAX_CODE = 0xffff;
export const ANY_CHARACTER: CharSet = [0, MAX_CODE];

export function single(code: number): CharSet {
  return [code, code];
}

/** Normalizes any list of [lo, hi] pairs (unsorted, overlapping) into a CharSet. */
export function fromRanges(pairs: readonly number[]): CharSet {
  const ranges: [number, number][] = [];
  for (let index = 0; index + 1 < pairs.length; index += 2) {
    const lo = pairs[index] as number;
    const hi = pairs[index + 1] as number;
    if (lo <= hi) ranges.push([lo, hi]);
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const result: number[] = [];
  for (const [lo, hi] of ranges) {
    const last = result.length - 1;
    if (last > 0 && lo <= (result[last] as number) + 1) result[last] = Math.max(result[last] as number, hi);
    else result.push(lo, hi);
  }
  return result;
}

export function complement(set: CharSet): CharSet {
  const result: number[] = [];
  let next = 0;
  for (let index = 0; index < set.length; index += 2) {
    const lo = set[index] as number;
    if (lo > next) result.push(next, lo - 1);
    next = (set[index + 1] as number) + 1;
  }
  if (next <= MAX_CODE) result.push(next, MAX_CODE);
  return result;
}

export function has(set: CharSet, code: number): boolean {
  let low = 0;
  let high = set.length / 2 - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (code < (set[middle * 2] as number)) high = middle - 1;
    else if (code > (set[middle * 2 + 1] as number)) low = middle + 1;
    else return true;
  }
  return false;
}

/** Characters a counter-example reads well with, in order of preference. */
const READABLE = 'xaeiouXAEIOU0123456789-_.:/ bcdfghjklmnpqrstvwyzBCDFGHJKLMNPQRSTVWYZ';

/** A member of a non-empty set, a readable one when there is one. */
export function representative(set: CharSet): number {
  for (const character of READABLE) if (has(set, character.charCodeAt(0))) return character.charCodeAt(0);
  // Printable ASCII, then the set's first member.
  for (let index = 0; index < set.length; index += 2) {
    const lo = set[index] as number;
    const hi = set[index + 1] as number;
    if (hi >= 0x21 && lo <= 0x7e) return Math.max(lo, 0x21);
  }
  return set[0] as number;
}

// ---------------------------------------------------------------- the classes JavaScript names

const codes = (text: string) => [...text].flatMap((character) => [character.charCodeAt(0), character.charCodeAt(0)]);

export const DIGITS: CharSet = fromRanges([0x30, 0x39]);
export const WORD_CHARACTERS: CharSet = fromRanges([0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a]);
/** `\s`: JavaScript's WhiteSpace and LineTerminator. */
export const SPACES: CharSet = fromRanges([
  ...codes('\t\n\v\f\r \u00a0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff'),
  0x2000,
  0x200a,
]);
export const LINE_TERMINATORS: CharSet = fromRanges(codes('\n\r\u2028\u2029'));
/** `.` without the s flag: anything but a line terminator. */
export const DOT: CharSet = complement(LINE_TERMINATORS);

/**
 * The classes that together tell every set of `sets` apart: each is wholly inside or wholly
 * outside each set. Returns one representative code per class (readable where possible).
 */
export function alphabetClasses(sets: readonly CharSet[], work: Work): number[] {
  const byKey = new Map<string, CharSet>();
  work.spend(sets.length >> 3);
  for (const set of new Set(sets)) {
    work.spend(1 + (set.length >> 2));
    byKey.set(set.join(','), set);
  }
  const distinct = [...byKey.values()];
  const cuts = new Set<number>([0]);
  for (const set of distinct) {
    work.spend(set.length);
    for (let index = 0; index < set.length; index += 2) {
      cuts.add(set[index] as number);
      if ((set[index + 1] as number) < MAX_CODE) cuts.add((set[index + 1] as number) + 1);
    }
  }
  const sorted = [...cuts].sort((a, b) => a - b);
  // Elementary intervals with the same membership in every set form one class.
  const classes = new Map<string, number[]>();
  for (let index = 0; index < sorted.length; index += 1) {
    const lo = sorted[index] as number;
    const hi = index + 1 < sorted.length ? (sorted[index + 1] as number) - 1 : MAX_CODE;
    work.spend(distinct.length);
    const signature = distinct.map((set) => (has(set, lo) ? '1' : '0')).join('');
    const members = classes.get(signature);
    if (members) members.push(lo, hi);
    else classes.set(signature, [lo, hi]);
  }
  return [...classes.values()].map((ranges) => representative(ranges));
}
