/**
 * `%regex%` values. CloudWatch Logs accepts a restricted syntax: letters and digits, the symbols
 * `: _ # = @ / ; , -`, the operators `^ $ ? [ ] { } | \ * + .`, the classes `\d \D \s \S \w \W`
 * and `\xhh`; no parentheses, no multi-byte characters. We also accept a space (AWS's own CDK
 * examples use one) and a backslash before any other ASCII symbol (an escaped literal).
 * A regex matches anywhere in the value unless `^`/`$` anchor it.
 */
import { syntaxError } from './errors';

const ALLOWED_SYMBOLS = new Set([...':_#=@/;,- ^$?[]{}|*+.']);
const CLASS_ESCAPES = new Set([...'dDsSwW']);

/**
 * Checks `source` (the text between the percent signs, which starts at `offset` in the pattern)
 * and compiles it; throws PatternSyntaxError when CloudWatch would reject it.
 */
export function compileRegex(source: string, offset: number): RegExp {
  if (source.length === 0) throw syntaxError('a regular expression cannot be empty', offset - 1);
  for (let index = 0; index < source.length; index += 1) {
    const character = source[index] as string;
    const at = offset + index;
    if (character === '\\') {
      const next = source[index + 1];
      if (next === undefined) throw syntaxError("expected a character after '\\' in the regular expression", at + 1);
      if (next === 'x') {
        if (!/^[0-9a-fA-F]{2}$/.test(source.slice(index + 2, index + 4))) {
          throw syntaxError("expected two hex digits after '\\x' in the regular expression", at + 2);
        }
        index += 3;
      } else if (CLASS_ESCAPES.has(next) || (/[!-~]/.test(next) && !/[A-Za-z0-9]/.test(next))) {
        index += 1;
      } else {
        throw syntaxError(`'\\${next}' is not supported in a regular expression`, at);
      }
      continue;
    }
    if (character === '(' || character === ')') {
      throw syntaxError(`'${character}' is not allowed in a regular expression (write '\\x${character === '(' ? '28' : '29'}')`, at);
    }
    if (/[A-Za-z0-9]/.test(character) || ALLOWED_SYMBOLS.has(character)) continue;
    if (character.charCodeAt(0) > 0x7e) throw syntaxError('multi-byte characters are not allowed in a regular expression', at);
    throw syntaxError(`'${character}' is not allowed in a regular expression`, at);
  }
  for (const match of source.matchAll(/\{(\d+)(?:,(\d*))?\}/g)) {
    if (Number(match[1]) > MAX_REPETITION || Number(match[2] ?? 0) > MAX_REPETITION) {
      throw syntaxError(`a repetition count above ${MAX_REPETITION} is not supported in a regular expression`, offset + (match.index ?? 0));
    }
  }
  try {
    return new RegExp(source);
  } catch (error) {
    const detail = error instanceof Error ? error.message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '') : 'invalid';
    throw syntaxError(`invalid regular expression %${source}% (${detail.toLowerCase()})`, offset);
  }
}

// ---------------------------------------------------------------- matching in linear time

/**
 * JavaScript's backtracking engine can take exponential time on legal CloudWatch regexes
 * (`%a*a*a*a*a*a*a*a*a*a*c%` needs seconds on 30 characters), and filters come from the accounts
 * we scan. The allowed syntax has no groups: a regex is `|`-separated branches, each a sequence
 * of anchors and quantified character tests, so it is matched by simulating that automaton over
 * the text (time linear in the text). It agrees with RegExp.prototype.test on every regex
 * compileRegex accepts (checked by a property test).
 */
type CharTest = (character: string) => boolean;

type RegexItem =
  | { readonly kind: 'start' }
  | { readonly kind: 'end' }
  | { readonly kind: 'char'; readonly test: CharTest; readonly min: number; readonly max: number };

/** The largest {m,n} count we simulate (states grow with it). */
const MAX_REPETITION = 1000;

const programs = new Map<string, readonly (readonly RegexItem[])[]>();

/** Does the (already validated) regex match somewhere in `text`? */
export function regexMatches(source: string, text: string): boolean {
  let program = programs.get(source);
  if (!program) {
    program = splitTopLevel(source).map(branchItems);
    if (programs.size > 1000) programs.clear();
    programs.set(source, program);
  }
  return program.some((items) => runBranch(items, text));
}

const LINE_TERMINATOR = /[\n\r\u2028\u2029]/;
const CLASS_TESTS: Record<string, CharTest> = {
  d: (c) => c >= '0' && c <= '9',
  D: (c) => !(c >= '0' && c <= '9'),
  w: (c) => /\w/.test(c),
  W: (c) => !/\w/.test(c),
  s: (c) => /\s/.test(c),
  S: (c) => !/\s/.test(c),
};

/** One escape (`source[index]` is the backslash): its test, or its single character. */
function escapeAt(source: string, index: number): { test?: CharTest; character?: string; next: number } {
  const letter = source[index + 1] ?? '';
  const classTest = CLASS_TESTS[letter];
  if (classTest) return { test: classTest, next: index + 2 };
  if (letter === 'x') return { character: String.fromCharCode(parseInt(source.slice(index + 2, index + 4), 16)), next: index + 4 };
  return { character: letter, next: index + 2 };
}

function branchItems(branch: string): RegexItem[] {
  const items: RegexItem[] = [];
  let index = 0;
  while (index < branch.length) {
    const character = branch[index] as string;
    if (character === '^' || character === '$') {
      items.push(character === '^' ? { kind: 'start' } : { kind: 'end' });
      index += 1;
      continue;
    }
    let test: CharTest;
    if (character === '.') {
      test = (c) => !LINE_TERMINATOR.test(c);
      index += 1;
    } else if (character === '[') {
      const parsed = classAt(branch, index);
      test = parsed.test;
      index = parsed.next;
    } else if (character === '\\') {
      const escape = escapeAt(branch, index);
      const literal = escape.character;
      test = escape.test ?? ((c) => c === literal);
      index = escape.next;
    } else {
      test = (c) => c === character;
      index += 1;
    }
    let min = 1;
    let max = 1;
    const quantifier = /^(?:([*+?])|\{(\d+)(?:(,)(\d*))?\})\??/.exec(branch.slice(index));
    if (quantifier) {
      if (quantifier[1]) [min, max] = quantifier[1] === '*' ? [0, Infinity] : quantifier[1] === '+' ? [1, Infinity] : [0, 1];
      else {
        min = Number(quantifier[2]);
        max = quantifier[3] ? (quantifier[4] ? Number(quantifier[4]) : Infinity) : min;
      }
      index += quantifier[0].length;
    }
    items.push({ kind: 'char', test, min, max });
  }
  return items;
}

/** A character class starting at `start` (the `[`); the first `]` closes it, as in JavaScript. */
function classAt(source: string, start: number): { test: CharTest; next: number } {
  let index = start + 1;
  const negated = source[index] === '^';
  if (negated) index += 1;
  const tests: CharTest[] = [];
  const member = (): { test?: CharTest; character?: string } => {
    if (source[index] === '\\') {
      const escape = escapeAt(source, index);
      index = escape.next;
      return escape;
    }
    const character = source[index] as string;
    index += 1;
    return { character };
  };
  while (index < source.length && source[index] !== ']') {
    const low = member();
    if (source[index] === '-' && source[index + 1] !== undefined && source[index + 1] !== ']') {
      const save = index;
      index += 1;
      const high = member();
      if (low.character !== undefined && high.character !== undefined) {
        const [from, to] = [low.character, high.character];
        tests.push((c) => c >= from && c <= to);
        continue;
      }
      index = save;
    }
    const literal = low.character;
    tests.push(low.test ?? ((c) => c === literal));
  }
  const inClass: CharTest = (c) => tests.some((test) => test(c));
  return { test: negated ? (c) => !inClass(c) : inClass, next: index + 1 };
}

/** Simulates one branch over the text; states are (item, repetitions so far). */
function runBranch(items: readonly RegexItem[], text: string): boolean {
  // Repetitions past the minimum of an unbounded item are all alike: count them as the minimum.
  const caps = items.map((item) => (item.kind === 'char' ? Math.min(Number.isFinite(item.max) ? item.max : item.min, MAX_REPETITION) : 0));
  const base: number[] = [];
  let total = 0;
  for (const cap of caps) {
    base.push(total);
    total += cap + 1;
  }
  const accept = total;
  const stateOf = (item: number, count: number) => (item === items.length ? accept : (base[item] as number) + count);
  let current = new Set<number>();
  const close = (states: Set<number>, item: number, count: number, position: number) => {
    // Epsilon moves: pass an anchor that holds, or leave an item once it has its minimum.
    for (;;) {
      const state = stateOf(item, count);
      if (states.has(state)) return;
      states.add(state);
      if (item === items.length) return;
      const step = items[item] as RegexItem;
      if (step.kind === 'start') {
        if (position !== 0) return;
      } else if (step.kind === 'end') {
        if (position !== text.length) return;
      } else if (count < step.min) return;
      item += 1;
      count = 0;
    }
  };
  for (let position = 0; position <= text.length; position += 1) {
    close(current, 0, 0, position);
    if (current.has(accept)) return true;
    if (position === text.length) break;
    const character = text[position] as string;
    const next = new Set<number>();
    for (let item = 0; item < items.length; item += 1) {
      const regexItem = items[item] as RegexItem;
      if (regexItem.kind !== 'char') continue;
      const cap = caps[item] as number;
      for (let count = 0; count <= cap; count += 1) {
        if (!current.has(stateOf(item, count))) continue;
        if (count >= regexItem.max || !regexItem.test(character)) continue;
        close(next, item, Number.isFinite(regexItem.max) ? count + 1 : Math.min(count + 1, cap), position + 1);
      }
    }
    current = next;
  }
  return current.has(accept);
}

/**
 * A few strings the regex is likely to match, built by walking it: literal characters kept, a
 * class replaced by a member, `?`/`*` taken zero times, `+` once, `{m,n}` m times, each `|`
 * branch in turn. Coverage tries them as witnesses and checks each with the real regex.
 */
export function regexSamples(source: string): string[] {
  const branches = splitTopLevel(source);
  const samples = new Set<string>();
  for (const branch of branches) {
    samples.add(walk(branch, 'min'));
    samples.add(walk(branch, 'one'));
  }
  return [...samples];
}

function splitTopLevel(source: string): string[] {
  const branches: string[] = [];
  let current = '';
  let inClass = false;
  for (let index = 0; index < source.length; index += 1) {
    const character = source[index] as string;
    if (character === '\\') {
      current += source.slice(index, index + 2);
      index += 1;
      continue;
    }
    if (character === '[') inClass = true;
    if (character === ']') inClass = false;
    if (character === '|' && !inClass) {
      branches.push(current);
      current = '';
      continue;
    }
    current += character;
  }
  branches.push(current);
  return branches;
}

function walk(branch: string, mode: 'min' | 'one'): string {
  const atoms: string[] = [];
  let index = 0;
  while (index < branch.length) {
    const character = branch[index] as string;
    if (character === '^' || character === '$') {
      index += 1;
      continue;
    }
    if (character === '*' || character === '?') {
      if (mode === 'min') atoms.pop();
      index += 1;
      continue;
    }
    if (character === '+') {
      index += 1;
      continue;
    }
    if (character === '{') {
      const quantifier = /^\{(\d+)(,(\d*))?\}/.exec(branch.slice(index));
      if (quantifier) {
        const times = Number(quantifier[1]);
        const last = atoms.pop() ?? '';
        atoms.push(last.repeat(times));
        index += quantifier[0].length;
        continue;
      }
      atoms.push('{');
      index += 1;
      continue;
    }
    if (character === '[') {
      const end = branch.indexOf(']', index + 2);
      const body = branch.slice(index + 1, end < 0 ? branch.length : end);
      atoms.push(classMember(body));
      index = end < 0 ? branch.length : end + 1;
      continue;
    }
    if (character === '\\') {
      const next = branch[index + 1] ?? '';
      if (next === 'x') {
        atoms.push(String.fromCharCode(parseInt(branch.slice(index + 2, index + 4), 16)));
        index += 4;
        continue;
      }
      atoms.push({ d: '0', D: 'a', s: ' ', S: 'a', w: 'a', W: '-' }[next] ?? next);
      index += 2;
      continue;
    }
    atoms.push(character === '.' ? 'a' : character);
    index += 1;
  }
  return atoms.join('');
}

function classMember(body: string): string {
  if (body.startsWith('^')) {
    const excluded = body.slice(1);
    return [...'aZ0_-x '].find((candidate) => !excluded.includes(candidate)) ?? '~';
  }
  if (body.startsWith('\\')) return walk(body.slice(0, 2), 'one');
  return body[0] ?? 'a';
}
