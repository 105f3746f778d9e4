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
  try {
    return new RegExp(source);
  } catch (error) {
    const detail = error instanceof Error ? error.message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '') : 'invalid';
    throw syntaxError(`invalid regular expression %${source}% (${detail.toLowerCase()})`, offset);
  }
}

const regexCache = new Map<string, RegExp>();

/** The compiled form of an already validated regex source. */
export function regexOf(source: string): RegExp {
  let regex = regexCache.get(source);
  if (!regex) {
    regex = new RegExp(source);
    if (regexCache.size > 1000) regexCache.clear();
    regexCache.set(source, regex);
  }
  return regex;
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
