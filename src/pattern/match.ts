/**
 * Does a pattern match an event? One evaluator per pattern kind, each a switch over the tree.
 *
 * JSON semantics (filter-pattern-syntax.md, and what coverage relies on):
 * - a selector that finds nothing makes every comparison false, `!=` included; only
 *   `NOT EXISTS` is true for it;
 * - a selector landing on an object or an array makes every comparison false (and `NOT EXISTS`
 *   too: the field exists); `null` only satisfies `IS NULL`;
 * - strings, numbers and booleans compare as text with `=`/`!=` and a string or `%regex%`
 *   value (`*` wildcards anywhere, case-sensitive); `= *` is any such scalar;
 * - an unquoted number compares numerically with a JSON number and as its exact text with a
 *   JSON string; `< <= > >=` hold only for JSON numbers;
 * - `[*]`/`.*` selectors match when any element/field they reach satisfies the condition;
 *   `NOT EXISTS` on them holds when they reach nothing.
 */
import { matchGlob } from './glob';
import { isNumberText } from './number';
import { parsePattern } from './parse';
import { regexMatches } from './regex';
import { MATCH_STEPS, Work } from './work';
import type {
  DelimitedPattern,
  FieldCondition,
  JsonCondition,
  JsonExpression,
  Pattern,
  SelectorSegment,
  TermPattern,
  Value,
  ComparisonOperator,
} from './types';
import { assertNever, isPlainObject, ownProperty } from './util';

/**
 * Does the pattern match this event (a parsed JSON value, or a raw log line)? Within `work`
 * (by default MATCH_STEPS for this one event): throws WorkLimitExceeded past it.
 */
export function matchesEvent(pattern: Pattern | string, event: unknown, work: Work = new Work(MATCH_STEPS)): boolean {
  const tree = typeof pattern === 'string' ? parsePattern(pattern) : pattern;
  switch (tree.kind) {
    case 'json': {
      const root = typeof event === 'string' ? parseJsonLine(event, work) : event;
      return isPlainObject(root) && evaluateExpression(tree.body, root, work);
    }
    case 'terms':
      return matchTerms(tree, rawLine(event), work);
    case 'delimited':
      return matchDelimited(tree, rawLine(event), work);
    default:
      return assertNever(tree);
  }
}

function parseJsonLine(line: string, work: Work): unknown {
  work.spend(line.length >> 4);
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

function rawLine(event: unknown): string {
  if (typeof event === 'string') return event;
  return JSON.stringify(event) ?? '';
}

// ---------------------------------------------------------------- JSON

export function evaluateExpression(expression: JsonExpression, root: Record<string, unknown>, work: Work): boolean {
  work.spend(1);
  switch (expression.kind) {
    case 'and':
      return expression.operands.every((operand) => evaluateExpression(operand, root, work));
    case 'or':
      return expression.operands.some((operand) => evaluateExpression(operand, root, work));
    case 'comparison':
    case 'keyword':
      return evaluateCondition(expression, select(root, expression.selector.segments, work), work);
    default:
      return assertNever(expression);
  }
}

/** The values a selector reaches (none when the path does not exist). */
export function select(root: unknown, segments: readonly SelectorSegment[], work?: Work): unknown[] {
  let current: unknown[] = [root];
  for (const segment of segments) {
    const next: unknown[] = [];
    work?.spend(current.length);
    for (const value of current) {
      switch (segment.kind) {
        case 'key':
          if (isPlainObject(value) && Object.prototype.hasOwnProperty.call(value, segment.name)) next.push(ownProperty(value, segment.name));
          break;
        case 'index':
          if (Array.isArray(value) && segment.index < value.length) next.push(value[segment.index]);
          break;
        case 'anyKey':
          if (isPlainObject(value)) next.push(...Object.values(value));
          break;
        case 'anyIndex':
          if (Array.isArray(value)) next.push(...value);
          break;
        default:
          assertNever(segment);
      }
    }
    current = next;
  }
  return current;
}

/** A condition over the values its selector reached. */
export function evaluateCondition(condition: JsonCondition, values: readonly unknown[], work: Work): boolean {
  if (condition.kind === 'keyword') {
    switch (condition.test) {
      case 'NOT EXISTS':
        return values.length === 0;
      case 'IS NULL':
        return values.some((value) => value === null);
      case 'IS TRUE':
        return values.some((value) => value === true);
      case 'IS FALSE':
        return values.some((value) => value === false);
      default:
        return assertNever(condition.test);
    }
  }
  return values.some((value) => compareJsonValue(condition.operator, condition.value, value, work));
}

/** One comparison against one JSON value (objects, arrays and null never compare). */
export function compareJsonValue(operator: ComparisonOperator, expected: Value, actual: unknown, work: Work): boolean {
  if (typeof actual !== 'string' && typeof actual !== 'number' && typeof actual !== 'boolean') return false;
  if (expected.kind === 'number') {
    if (operator === '=' || operator === '!=') {
      const equal = typeof actual === 'number' ? actual === expected.value : actual === expected.text;
      return operator === '=' ? equal : !equal;
    }
    return typeof actual === 'number' && compareNumbers(operator, actual, expected.value);
  }
  return compareText(operator, expected, String(actual), work);
}

function compareNumbers(operator: ComparisonOperator, actual: number, expected: number): boolean {
  switch (operator) {
    case '=':
      return actual === expected;
    case '!=':
      return actual !== expected;
    case '<':
      return actual < expected;
    case '<=':
      return actual <= expected;
    case '>':
      return actual > expected;
    case '>=':
      return actual >= expected;
    default:
      return assertNever(operator);
  }
}

/** `=`/`!=` of a text against a glob or regex value (the parser allows nothing else). */
function compareText(operator: ComparisonOperator, expected: Value, text: string, work: Work): boolean {
  let matched = false;
  if (expected.kind === 'glob') {
    // The glob matcher scans the text once per piece.
    work.spend(1 + text.length * expected.pieces.length);
    matched = matchGlob(expected.pieces, text);
  } else if (expected.kind === 'regex') matched = regexMatches(expected.source, text, work);
  if (operator === '=') return matched;
  if (operator === '!=') return !matched;
  return false;
}

// ---------------------------------------------------------------- terms

function matchTerms(pattern: TermPattern, line: string, work: Work): boolean {
  const present = (term: TermPattern['terms'][number]) => {
    if (term.value.kind === 'regex') return regexMatches(term.value.source, line, work);
    work.spend(1 + line.length);
    return term.value.text.trim() === '' || line.includes(term.value.text);
  };
  const required = pattern.terms.filter((term) => term.mode === 'require');
  const optional = pattern.terms.filter((term) => term.mode === 'optional');
  if (pattern.terms.some((term) => term.mode === 'exclude' && present(term))) return false;
  // Optional terms count only when there is no plain term.
  if (required.length > 0) return required.every(present);
  if (optional.length > 0) return optional.some(present);
  return true;
}

// ---------------------------------------------------------------- space-delimited

/** Fields of a log line: blank-separated, with "quoted" and [bracketed] text as one field. */
export function splitFields(line: string): string[] {
  const fields: string[] = [];
  let index = 0;
  while (index < line.length) {
    const character = line[index] as string;
    if (/\s/.test(character)) {
      index += 1;
      continue;
    }
    if (character === '"' || character === '[') {
      const close = line.indexOf(character === '"' ? '"' : ']', index + 1);
      const end = close < 0 ? line.length : close;
      fields.push(line.slice(index + 1, end));
      index = end + 1;
      continue;
    }
    const start = index;
    while (index < line.length && !/\s/.test(line[index] as string)) index += 1;
    fields.push(line.slice(start, index));
  }
  return fields;
}

function matchDelimited(pattern: DelimitedPattern, line: string, work: Work): boolean {
  work.spend(1 + line.length);
  const tokens = splitFields(line);
  const fields = pattern.fields;
  const bound = new Map<string, string>();
  const conditionsHold = () =>
    fields.every((field) => field.kind === 'skip' || !field.condition || evaluateFieldCondition(field.condition, bound, work));
  // Backtracking over `...`: every step is paid for, so a long line and many `...` run out of work, never hang.
  const go = (fieldIndex: number, tokenIndex: number): boolean => {
    work.spend(1);
    if (fieldIndex === fields.length) return tokenIndex === tokens.length && conditionsHold();
    const field = fields[fieldIndex]!;
    if (field.kind === 'skip') {
      for (let next = tokenIndex; next <= tokens.length; next += 1) if (go(fieldIndex + 1, next)) return true;
      return false;
    }
    if (tokenIndex >= tokens.length) return false;
    // One field per token: `[w1=ERROR, w2]` matches "ERROR message", not "ERROR WARN message".
    bound.set(field.name, tokens[tokenIndex] as string);
    const matched = go(fieldIndex + 1, tokenIndex + 1);
    bound.delete(field.name);
    return matched;
  };
  return go(0, 0);
}

function evaluateFieldCondition(condition: FieldCondition, bound: ReadonlyMap<string, string>, work: Work): boolean {
  work.spend(1);
  switch (condition.kind) {
    case 'and':
      return condition.operands.every((operand) => evaluateFieldCondition(operand, bound, work));
    case 'or':
      return condition.operands.some((operand) => evaluateFieldCondition(operand, bound, work));
    case 'fieldComparison': {
      const text = bound.get(condition.field);
      if (text === undefined) return false;
      if (condition.value.kind !== 'number') return compareText(condition.operator, condition.value, text, work);
      const numeric = isNumberText(text);
      if (condition.operator === '=' || condition.operator === '!=') {
        const equal = numeric ? Number(text) === condition.value.value : text === condition.value.text;
        return condition.operator === '=' ? equal : !equal;
      }
      return numeric && compareNumbers(condition.operator, Number(text), condition.value.value);
    }
    default:
      return assertNever(condition);
  }
}
