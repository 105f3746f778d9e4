/**
 * Tokens of JSON and space-delimited patterns. Each token keeps its kind, text and offset; the
 * parser reads them through a TokenStream whose `expect` throws at the offending token.
 */
import { syntaxError } from './errors';

export const TokenKind = {
  LeftBrace: '{',
  RightBrace: '}',
  LeftParen: '(',
  RightParen: ')',
  LeftBracket: '[',
  RightBracket: ']',
  Comma: ',',
  And: '&&',
  Or: '||',
  Operator: 'operator',
  Selector: 'selector',
  String: 'string',
  Regex: 'regex',
  Word: 'word',
  End: 'end of pattern',
} as const;
export type TokenKindValue = (typeof TokenKind)[keyof typeof TokenKind];

export interface Token {
  readonly kind: TokenKindValue;
  /** The token's text as written (for strings: with the quotes). */
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/** Characters of an unquoted value or word. */
export const WORD_CHARACTER = /[A-Za-z0-9_.*\-:/@+]/;
/** Characters of a selector key written without brackets. */
export const KEY_CHARACTER = /[A-Za-z0-9_-]/;

export type LexMode = 'json' | 'delimited';

export function tokenize(text: string, from: number, mode: LexMode): Token[] {
  const tokens: Token[] = [];
  let index = from;
  const push = (kind: TokenKindValue, start: number, end: number) => tokens.push({ kind, text: text.slice(start, end), start, end });
  while (index < text.length) {
    const character = text[index] as string;
    if (/\s/.test(character)) {
      index += 1;
      continue;
    }
    const start = index;
    const next = text[index + 1];
    switch (character) {
      case '{':
      case '}':
      case '(':
      case ')':
        push(character as TokenKindValue, start, index + 1);
        index += 1;
        continue;
      case '[':
      case ']':
      case ',':
        if (mode === 'json') throw syntaxError(`unexpected '${character}'`, start);
        push(character as TokenKindValue, start, index + 1);
        index += 1;
        continue;
      case '&':
      case '|':
        if (next !== character) throw syntaxError(`expected '${character}${character}'`, start);
        push(character === '&' ? TokenKind.And : TokenKind.Or, start, index + 2);
        index += 2;
        continue;
      case '=':
        if (next === '=') throw syntaxError("'==' is not an operator; use '='", start);
        push(TokenKind.Operator, start, index + 1);
        index += 1;
        continue;
      case '!':
        if (next !== '=') throw syntaxError("expected '!='", start);
        push(TokenKind.Operator, start, index + 2);
        index += 2;
        continue;
      case '<':
      case '>':
        index += next === '=' ? 2 : 1;
        push(TokenKind.Operator, start, index);
        continue;
      case '"':
        index = scanString(text, index);
        push(TokenKind.String, start, index);
        continue;
      case '%':
        index = scanRegex(text, index);
        push(TokenKind.Regex, start, index);
        continue;
      case '$':
        if (mode === 'delimited') throw syntaxError("unexpected '$' (space-delimited fields are named without '$')", start);
        index = scanSelector(text, index);
        push(TokenKind.Selector, start, index);
        continue;
      default:
        if (!WORD_CHARACTER.test(character)) {
          throw syntaxError(`unexpected '${character}'${mode === 'json' ? ' (quote values that contain it)' : ''}`, start);
        }
        while (index < text.length && WORD_CHARACTER.test(text[index] as string)) index += 1;
        if (text[index] === '"') {
          throw syntaxError(`unexpected '"' right after ${text.slice(start, index)} (is its opening quote missing?)`, index);
        }
        push(TokenKind.Word, start, index);
    }
  }
  tokens.push({ kind: TokenKind.End, text: '', start: text.length, end: text.length });
  return tokens;
}

/** Returns the offset just after the closing quote of the string starting at `start`. */
export function scanString(text: string, start: number): number {
  const quote = text[start];
  let index = start + 1;
  while (index < text.length) {
    const character = text[index];
    if (character === '\\') index += 2;
    else if (character === quote) return index + 1;
    else index += 1;
  }
  throw syntaxError('unterminated string starting', start);
}

/** The content of a quoted string token: backslash escapes any character. */
export function unquote(token: string): { text: string; escapedStars: Set<number> } {
  let text = '';
  const escapedStars = new Set<number>();
  for (let index = 1; index < token.length - 1; index += 1) {
    let character = token[index] as string;
    if (character === '\\') {
      index += 1;
      character = token[index] as string;
      if (character === '*') escapedStars.add(text.length);
    }
    text += character;
  }
  return { text, escapedStars };
}

function scanRegex(text: string, start: number): number {
  let index = start + 1;
  while (index < text.length) {
    const character = text[index];
    if (character === '\\') index += 2;
    else if (character === '%') return index + 1;
    else index += 1;
  }
  throw syntaxError('unterminated regular expression starting', start);
}

/** Returns the offset just after the selector starting at `start` (the `$`). */
function scanSelector(text: string, start: number): number {
  let index = start + 1;
  let segments = 0;
  for (;;) {
    const character = text[index];
    if (character === '.') {
      const next = text[index + 1];
      if (next === '*') index += 2;
      else if (next === '[') index = scanBracket(text, index + 1);
      else if (next !== undefined && KEY_CHARACTER.test(next)) {
        index += 1;
        while (index < text.length && KEY_CHARACTER.test(text[index] as string)) index += 1;
      } else throw syntaxError("expected a field name after '.'", index + 1);
    } else if (character === '[') {
      index = scanBracket(text, index);
    } else break;
    segments += 1;
  }
  if (segments === 0) throw syntaxError("expected '.' after '$'", start + 1);
  return index;
}

function scanBracket(text: string, start: number): number {
  let index = start + 1;
  const character = text[index];
  if (character === '*') index += 1;
  else if (character === "'" || character === '"') index = scanString(text, index);
  else if (character !== undefined && /[0-9]/.test(character)) {
    while (/[0-9]/.test(text[index] ?? '')) index += 1;
  } else throw syntaxError("expected an index, '*' or a quoted key after '['", index);
  if (text[index] !== ']') throw syntaxError("expected ']'", index);
  return index + 1;
}

/** Reads tokens in order; `expect` throws a PatternSyntaxError at the offending token. */
export class TokenStream {
  private position = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  peek(): Token {
    return this.tokens[this.position] as Token;
  }

  next(): Token {
    const token = this.peek();
    if (token.kind !== TokenKind.End) this.position += 1;
    return token;
  }

  accept(kind: TokenKindValue): Token | undefined {
    return this.peek().kind === kind ? this.next() : undefined;
  }

  expect(kind: TokenKindValue, what: string): Token {
    const token = this.peek();
    if (token.kind !== kind) throw syntaxError(`expected ${what}`, token.start);
    return this.next();
  }
}
