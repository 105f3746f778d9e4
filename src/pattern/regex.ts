/**
 * `%regex%` values. CloudWatch Logs accepts a restricted syntax: letters and digits, the symbols
 * `: _ # = @ / ; , -`, the operators `^ $ ? [ ] { } | \ * + .`, the classes `\d \D \s \S \w \W`
 * and `\xhh`; no parentheses, no multi-byte characters. We also accept a space (AWS's own CDK
 * examples use one) and a backslash before any other ASCII symbol (an escaped literal).
 * A regex matches anywhere in the value unless `^`/`$` anchor it.
 */
import { TextAutomaton, type AutomatonItem } from './automaton';
import { complement, DIGITS, DOT, fromRanges, single, SPACES, WORD_CHARACTERS, type CharSet } from './charset';
import { syntaxError } from './errors';
import type { Work } from './work';

/** The largest {m,n} count accepted (the automaton unrolls it into that many states). */
const MAX_REPETITION = 1000;
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

// ---------------------------------------------------------------- the automaton

/**
 * JavaScript's backtracking engine can take exponential time on legal CloudWatch regexes
 * (`%a*a*a*a*a*a*a*a*a*a*c%` needs seconds on 30 characters), and filters come from the accounts
 * we scan. The allowed syntax has no groups: a regex is `|`-separated branches, each a sequence
 * of anchors and quantified character sets, so it becomes a TextAutomaton (automaton.ts) and is
 * matched by its lazily built DFA, under a work budget. It agrees with RegExp.prototype.test on every regex
 * compileRegex accepts (checked by a property test).
 */
const automata = new Map<string, TextAutomaton>();

/** The automaton of an (already validated) regex: it matches anywhere in a text. */
export function regexAutomaton(source: string): TextAutomaton {
  let automaton = automata.get(source);
  if (!automaton) {
    automaton = new TextAutomaton(splitTopLevel(source).map(branchItems));
    if (automata.size > 1000) automata.clear();
    automata.set(source, automaton);
  }
  return automaton;
}

/** Does the (already validated) regex match somewhere in `text`? */
export function regexMatches(source: string, text: string, work: Work): boolean {
  return work.automaton(regexAutomaton(source)).accepts(text);
}

const CLASS_SETS: Record<string, CharSet> = {
  d: DIGITS,
  D: complement(DIGITS),
  w: WORD_CHARACTERS,
  W: complement(WORD_CHARACTERS),
  s: SPACES,
  S: complement(SPACES),
};

/** One escape (`source[index]` is the backslash): a class's set, or a single character. */
function escapeAt(source: string, index: number): { set?: CharSet; code?: number; next: number } {
  const letter = source[index + 1] ?? '';
  const classSet = CLASS_SETS[letter];
  if (classSet) return { set: classSet, next: index + 2 };
  if (letter === 'x') return { code: parseInt(source.slice(index + 2, index + 4), 16), next: index + 4 };
  return { code: letter.charCodeAt(0), next: index + 2 };
}

function branchItems(branch: string): AutomatonItem[] {
  const items: AutomatonItem[] = [];
  let index = 0;
  while (index < branch.length) {
    const character = branch[index] as string;
    if (character === '^' || character === '$') {
      items.push(character === '^' ? { kind: 'start' } : { kind: 'end' });
      index += 1;
      continue;
    }
    let set: CharSet;
    if (character === '.') {
      set = DOT;
      index += 1;
    } else if (character === '[') {
      const parsed = classAt(branch, index);
      set = parsed.set;
      index = parsed.next;
    } else if (character === '\\') {
      const escape = escapeAt(branch, index);
      set = escape.set ?? single(escape.code as number);
      index = escape.next;
    } else {
      set = single(character.charCodeAt(0));
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
    items.push({ kind: 'set', set, min, max });
  }
  return items;
}

/** A character class starting at `start` (the `[`); the first `]` closes it, as in JavaScript. */
function classAt(source: string, start: number): { set: CharSet; next: number } {
  let index = start + 1;
  const negated = source[index] === '^';
  if (negated) index += 1;
  const ranges: number[] = [];
  const member = (): { set?: CharSet; code?: number } => {
    if (source[index] === '\\') {
      const escape = escapeAt(source, index);
      index = escape.next;
      return escape;
    }
    const code = source.charCodeAt(index);
    index += 1;
    return { code };
  };
  while (index < source.length && source[index] !== ']') {
    const low = member();
    if (source[index] === '-' && source[index + 1] !== undefined && source[index + 1] !== ']') {
      const save = index;
      index += 1;
      const high = member();
      if (low.code !== undefined && high.code !== undefined) {
        ranges.push(low.code, high.code);
        continue;
      }
      // A class escape at either end: JavaScript reads the '-' as itself.
      index = save;
    }
    if (low.set) ranges.push(...low.set);
    else ranges.push(low.code as number, low.code as number);
  }
  const set = fromRanges(ranges);
  return { set: negated ? complement(set) : set, next: index + 1 };
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
