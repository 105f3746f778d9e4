/**
 * text -> tokens -> stream -> tree. The first non-blank character picks the pattern's kind:
 * `{` a JSON pattern, `[` a space-delimited pattern, anything else a term pattern. Every problem
 * is a PatternSyntaxError with the offset of the offending character; nothing else is thrown.
 */
import { PatternSyntaxError, syntaxError } from './errors';
import { normalizePieces } from './glob';
import { isNumberText } from './number';
import { TokenKind, TokenStream, scanString, tokenize, unquote, type Token } from './lexer';
import { compileRegex } from './regex';
import type {
  ComparisonOperator,
  DelimitedField,
  DelimitedPattern,
  FieldComparison,
  FieldCondition,
  JsonExpression,
  JsonPattern,
  ParseOutcome,
  Pattern,
  Selector,
  SelectorSegment,
  Term,
  TermPattern,
  Value,
} from './types';

export const MAX_PATTERN_LENGTH = 1024;
/** Documented limits: regexes per JSON or space-delimited pattern, wildcard selectors per pattern. */
const MAX_REGEXES = 2;
const MAX_WILDCARD_SELECTORS = 3;

/** Binding strength of the logical operators: `&&` binds tighter than `||`. */
const PRECEDENCE = new Map<string, number>([
  [TokenKind.Or, 1],
  [TokenKind.And, 2],
]);

/** Parses a filter pattern; throws PatternSyntaxError and nothing else. */
export function parsePattern(text: string): Pattern {
  try {
    return parseChecked(text);
  } catch (error) {
    if (error instanceof PatternSyntaxError) throw error;
    // A bug in the parser must still surface as the one documented error type.
    throw new PatternSyntaxError(`the pattern could not be read (${error instanceof Error ? error.message : String(error)}) at 0`, 0);
  }
}

export function tryParsePattern(text: string): ParseOutcome {
  try {
    return { ok: true, pattern: parsePattern(text) };
  } catch (error) {
    return { ok: false, error: error as PatternSyntaxError };
  }
}

function parseChecked(text: string): Pattern {
  if (typeof text !== 'string') throw syntaxError('a filter pattern must be text', 0);
  const characters = Array.from(text);
  if (characters.length > MAX_PATTERN_LENGTH) {
    const offset = characters.slice(0, MAX_PATTERN_LENGTH).join('').length;
    throw syntaxError(`a filter pattern has at most ${MAX_PATTERN_LENGTH} characters (this one has ${characters.length})`, offset);
  }
  const first = text.search(/\S/);
  if (first >= 0 && text[first] === '{') return parseJson(text);
  if (first >= 0 && text[first] === '[') return parseDelimited(text);
  return parseTerms(text);
}

// ---------------------------------------------------------------- JSON patterns

class Limits {
  private regexes = 0;
  private wildcards = 0;

  regex(token: Token): void {
    this.regexes += 1;
    if (this.regexes > MAX_REGEXES) throw syntaxError('a pattern may contain at most two regular expressions', token.start);
  }

  wildcardSelector(token: Token): void {
    this.wildcards += 1;
    if (this.wildcards > MAX_WILDCARD_SELECTORS) throw syntaxError('a pattern may use at most three wildcard selectors', token.start);
  }
}

function parseJson(text: string): JsonPattern {
  const stream = new TokenStream(tokenize(text, 0, 'json'));
  const limits = new Limits();
  const open = stream.expect(TokenKind.LeftBrace, "'{'");
  if (stream.peek().kind === TokenKind.RightBrace) throw syntaxError('expected a condition', stream.peek().start);
  const body = parseExpression(stream, limits, 1);
  const close = stream.peek();
  if (close.kind !== TokenKind.RightBrace) throw syntaxError(`expected '&&', '||' or '}'${found(close)}`, close.start);
  stream.next();
  const rest = stream.peek();
  if (rest.kind !== TokenKind.End) throw syntaxError("unexpected text after '}'", rest.start);
  return { kind: 'json', source: text, body, start: open.start, end: close.end };
}

/** Precedence climbing; chains of one operator become one n-ary node. */
function parseExpression(stream: TokenStream, limits: Limits, minimum: number): JsonExpression {
  let left = parseOperand(stream, limits);
  for (;;) {
    const operator = stream.peek();
    const precedence = PRECEDENCE.get(operator.kind);
    if (precedence === undefined || precedence < minimum) return left;
    stream.next();
    if (stream.peek().kind === TokenKind.End || stream.peek().kind === TokenKind.RightBrace || stream.peek().kind === TokenKind.RightParen) {
      throw syntaxError(`expected a condition after '${operator.text}'`, stream.peek().start);
    }
    const right = parseExpression(stream, limits, precedence + 1);
    left = join(operator.kind === TokenKind.And ? 'and' : 'or', left, right);
  }
}

function join(kind: 'and' | 'or', left: JsonExpression, right: JsonExpression): JsonExpression {
  const operands = [...(left.kind === kind ? left.operands : [left]), ...(right.kind === kind ? right.operands : [right])];
  return { kind, operands, start: left.start, end: right.end };
}

function parseOperand(stream: TokenStream, limits: Limits): JsonExpression {
  const token = stream.peek();
  if (token.kind === TokenKind.LeftParen) {
    stream.next();
    if (stream.peek().kind === TokenKind.RightParen) throw syntaxError('expected a condition', stream.peek().start);
    const inner = parseExpression(stream, limits, 1);
    const close = stream.peek();
    if (close.kind !== TokenKind.RightParen) throw syntaxError(`expected '&&', '||' or ')'${found(close)}`, close.start);
    stream.next();
    return inner;
  }
  if (token.kind !== TokenKind.Selector) throw syntaxError(`expected a selector starting with '$.'${found(token)}`, token.start);
  stream.next();
  const selector = parseSelector(token, limits);
  return parseCondition(stream, limits, selector, token.text);
}

function parseCondition(stream: TokenStream, limits: Limits, selector: Selector, selectorText: string): JsonExpression {
  const token = stream.peek();
  if (token.kind === TokenKind.Word) {
    const word = token.text.toUpperCase();
    if (word === 'IS') {
      stream.next();
      const what = stream.peek();
      const test = what.kind === TokenKind.Word ? what.text.toUpperCase() : '';
      if (test === 'NULL' || test === 'TRUE' || test === 'FALSE') {
        stream.next();
        return { kind: 'keyword', selector, test: `IS ${test}`, start: selector.start, end: what.end };
      }
      if (test === 'NOT') throw syntaxError("'IS NOT' is not supported; use '!=' or 'NOT EXISTS'", what.start);
      throw syntaxError("expected NULL, TRUE or FALSE after 'IS'", what.start);
    }
    if (word === 'NOT') {
      stream.next();
      const what = stream.peek();
      if (what.kind === TokenKind.Word && what.text.toUpperCase() === 'EXISTS') {
        stream.next();
        return { kind: 'keyword', selector, test: 'NOT EXISTS', start: selector.start, end: what.end };
      }
      throw syntaxError("expected EXISTS after 'NOT'", what.start);
    }
    if (word === 'EXISTS') {
      if (/[^.]NOT$/.test(selectorText)) {
        throw syntaxError("expected a space before 'NOT EXISTS'", selector.end - 3);
      }
      throw syntaxError("'EXISTS' is not supported; use '= *' to require a field", token.start);
    }
  }
  if (token.kind !== TokenKind.Operator) {
    throw syntaxError(`expected an operator (=, !=, <, <=, >, >=, IS NULL, NOT EXISTS) after ${selectorText}`, token.start);
  }
  stream.next();
  const operator = token.text as ComparisonOperator;
  const value = parseValue(stream, limits, operator);
  return { kind: 'comparison', selector, operator, value, start: selector.start, end: value.end };
}

function parseValue(stream: TokenStream, limits: Limits, operator: ComparisonOperator): Value {
  const token = stream.peek();
  const numeric = operator !== '=' && operator !== '!=';
  if (token.kind === TokenKind.Regex) {
    if (numeric) throw syntaxError(`expected a number after '${operator}'`, token.start);
    stream.next();
    limits.regex(token);
    return regexValue(token);
  }
  if (token.kind === TokenKind.String) {
    if (numeric) throw syntaxError(`expected a number after '${operator}'`, token.start);
    stream.next();
    return globFromString(token);
  }
  if (token.kind === TokenKind.Word) {
    stream.next();
    if (isNumberText(token.text)) return { kind: 'number', value: Number(token.text), text: token.text, start: token.start, end: token.end };
    if (numeric) throw syntaxError(`expected a number after '${operator}'`, token.start);
    return { kind: 'glob', pieces: normalizePieces(token.text.split('*')), start: token.start, end: token.end };
  }
  throw syntaxError(`expected a value after '${operator}'`, token.start);
}

function regexValue(token: Token): Value {
  const source = token.text.slice(1, -1);
  compileRegex(source, token.start + 1);
  return { kind: 'regex', source, start: token.start, end: token.end };
}

function globFromString(token: Token): Value {
  const { text, escapedStars } = unquote(token.text);
  const pieces: string[] = [''];
  for (let index = 0; index < text.length; index += 1) {
    const character = text[index] as string;
    if (character === '*' && !escapedStars.has(index)) pieces.push('');
    else pieces[pieces.length - 1] += character;
  }
  return { kind: 'glob', pieces: normalizePieces(pieces), start: token.start, end: token.end };
}

function parseSelector(token: Token, limits: Limits): Selector {
  const text = token.text;
  const segments: SelectorSegment[] = [];
  let index = 1;
  let wildcards = 0;
  while (index < text.length) {
    if (text[index] === '.' && text[index + 1] !== '[') {
      index += 1;
      if (text[index] === '*') {
        segments.push({ kind: 'anyKey' });
        wildcards += 1;
        index += 1;
        continue;
      }
      const start = index;
      while (index < text.length && text[index] !== '.' && text[index] !== '[') index += 1;
      segments.push({ kind: 'key', name: text.slice(start, index) });
      continue;
    }
    if (text[index] === '.') index += 1;
    // A bracket: [n], [*] or ['key'].
    index += 1;
    const character = text[index] as string;
    if (character === '*') {
      segments.push({ kind: 'anyIndex' });
      wildcards += 1;
      index += 2;
    } else if (character === "'" || character === '"') {
      const end = scanString(text, index);
      segments.push({ kind: 'key', name: unquote(text.slice(index, end)).text });
      index = end + 1;
    } else {
      const end = text.indexOf(']', index);
      const digits = text.slice(index, end);
      const value = Number(digits);
      if (!Number.isSafeInteger(value)) throw syntaxError('the array index is too large', token.start + index);
      segments.push({ kind: 'index', index: value });
      index = end + 1;
    }
  }
  if (wildcards > 1) throw syntaxError('a selector may use only one wildcard', token.start);
  if (wildcards === 1) limits.wildcardSelector(token);
  return { kind: 'selector', segments, start: token.start, end: token.end };
}

/** " (found 'x')" for a token that is there, nothing at the end of the pattern. */
function found(token: Token): string {
  return token.kind === TokenKind.End ? '' : ` (found '${token.text}')`;
}

// ---------------------------------------------------------------- space-delimited patterns

function parseDelimited(text: string): DelimitedPattern {
  const stream = new TokenStream(tokenize(text, 0, 'delimited'));
  const limits = new Limits();
  const open = stream.expect(TokenKind.LeftBracket, "'['");
  const fields: DelimitedField[] = [];
  for (;;) {
    const token = stream.peek();
    if (token.kind === TokenKind.RightBracket && fields.length > 0) break;
    if (token.kind !== TokenKind.Word) throw syntaxError('expected a field name', token.start);
    stream.next();
    if (/^\.+$/.test(token.text)) {
      if (token.text !== '...') throw syntaxError("expected '...' to skip fields", token.start);
      fields.push({ kind: 'skip', start: token.start, end: token.end });
    } else {
      if (!/^[A-Za-z0-9_]+$/.test(token.text)) throw syntaxError(`'${token.text}' is not a field name (letters, digits and '_')`, token.start);
      const name = token.text;
      if (stream.peek().kind === TokenKind.Operator) {
        const condition = parseFieldCondition(stream, limits, name, token, 1);
        fields.push({ kind: 'field', name, condition, start: token.start, end: condition.end });
      } else fields.push({ kind: 'field', name, start: token.start, end: token.end });
    }
    const separator = stream.peek();
    if (separator.kind === TokenKind.Comma) {
      stream.next();
      // A trailing comma is one more, unnamed field (AWS's example extracts it as `$7`).
      const after = stream.peek();
      if (after.kind === TokenKind.RightBracket) {
        fields.push({ kind: 'field', name: '', start: after.start, end: after.start });
        break;
      }
      continue;
    }
    if (separator.kind === TokenKind.RightBracket) break;
    throw syntaxError(`expected ',' or ']'${found(separator)}`, separator.start);
  }
  const close = stream.expect(TokenKind.RightBracket, "']'");
  const rest = stream.peek();
  if (rest.kind !== TokenKind.End) throw syntaxError("unexpected text after ']'", rest.start);
  return { kind: 'delimited', source: text, fields, start: open.start, end: close.end };
}

/** `name op value` chained with `&&`/`||`; the first comparison's field is the field itself. */
function parseFieldCondition(stream: TokenStream, limits: Limits, name: string, nameToken: Token, minimum: number): FieldCondition {
  let left: FieldCondition = parseFieldComparison(stream, limits, name, nameToken);
  for (;;) {
    const operator = stream.peek();
    const precedence = PRECEDENCE.get(operator.kind);
    if (precedence === undefined || precedence < minimum) return left;
    stream.next();
    const nextName = stream.peek();
    if (nextName.kind !== TokenKind.Word || !/^[A-Za-z0-9_]+$/.test(nextName.text)) {
      throw syntaxError(`expected a field name after '${operator.text}'`, nextName.start);
    }
    stream.next();
    const right = parseFieldCondition(stream, limits, nextName.text, nextName, precedence + 1);
    const kind = operator.kind === TokenKind.And ? 'and' : 'or';
    const operands: FieldCondition[] = [...(left.kind === kind ? left.operands : [left]), ...(right.kind === kind ? right.operands : [right])];
    left = { kind, operands, start: left.start, end: right.end };
  }
}

function parseFieldComparison(stream: TokenStream, limits: Limits, field: string, nameToken: Token): FieldComparison {
  const operatorToken = stream.peek();
  if (operatorToken.kind !== TokenKind.Operator) throw syntaxError(`expected an operator after '${field}'`, operatorToken.start);
  stream.next();
  const operator = operatorToken.text as ComparisonOperator;
  const value = parseValue(stream, limits, operator);
  return { kind: 'fieldComparison', field, operator, value, start: nameToken.start, end: value.end };
}

// ---------------------------------------------------------------- term patterns

/** Characters that may not appear in an unquoted term: they belong to the other pattern kinds. */
const TERM_FORBIDDEN = /[{}[\]()$=!<>&|,'"%]/;

function parseTerms(text: string): TermPattern {
  const terms: Term[] = [];
  let index = 0;
  const skipBlank = () => {
    while (index < text.length && /\s/.test(text[index] as string)) index += 1;
  };
  skipBlank();
  if (text.startsWith('$', index)) throw syntaxError('a JSON pattern must be wrapped in { }', index);
  while (index < text.length) {
    const start = index;
    let mode: Term['mode'] = 'require';
    if (text[index] === '?') {
      mode = 'optional';
      index += 1;
    } else if (text[index] === '-') {
      mode = 'exclude';
      index += 1;
      skipBlank();
    }
    const character = text[index];
    if (character === undefined || /\s/.test(character)) throw syntaxError(`expected a term after '${text[start]}'`, index);
    let value: Term['value'];
    if (character === '"') {
      const end = scanString(text, index);
      value = { kind: 'text', text: unquote(text.slice(index, end)).text };
      index = end;
    } else if (character === '%') {
      const token = scanRegexTerm(text, index);
      compileRegex(text.slice(index + 1, token - 1), index + 1);
      value = { kind: 'regex', source: text.slice(index + 1, token - 1), start: index, end: token };
      index = token;
    } else {
      const wordStart = index;
      while (index < text.length && !/\s/.test(text[index] as string)) {
        const current = text[index] as string;
        if (TERM_FORBIDDEN.test(current)) {
          throw syntaxError(`'${current}' must be inside a quoted term ("...")`, index);
        }
        index += 1;
      }
      value = { kind: 'text', text: text.slice(wordStart, index) };
    }
    if (index < text.length && !/\s/.test(text[index] as string)) throw syntaxError('expected a space between terms', index);
    terms.push({ kind: 'term', mode, value, start, end: index });
    skipBlank();
  }
  return { kind: 'terms', source: text, terms, start: 0, end: text.length };
}

function scanRegexTerm(text: string, start: number): number {
  let index = start + 1;
  while (index < text.length) {
    if (text[index] === '\\') index += 2;
    else if (text[index] === '%') return index + 1;
    else index += 1;
  }
  throw syntaxError('unterminated regular expression starting', start);
}

/** True when `text` may be written as a bare word (no quotes) in a term pattern. */
export function isBareTerm(text: string): boolean {
  return /^[A-Za-z0-9_]+$/.test(text);
}
