/**
 * Rewrites people make of a reference pattern (which must stay covered) and mutations that break
 * it (which must not), built on the tree and rendered in styles the canonical printer never uses.
 */
import { parsePattern, type JsonCondition, type JsonExpression, type JsonPattern, type Value } from '../../src/pattern';

export interface RenderStyle {
  /** No blanks anywhere outside quotes. */
  readonly compact?: boolean;
  /** Parentheses around every condition and every group, and the whole body twice. */
  readonly parenthesizeAll?: boolean;
  /** Values without quotes wherever that parses to the same value. */
  readonly bare?: boolean;
}

export function jsonBody(text: string): JsonExpression {
  const pattern = parsePattern(text);
  if (pattern.kind !== 'json') throw new Error(`not a JSON pattern: ${text}`);
  return pattern.body;
}

export function render(expression: JsonExpression, style: RenderStyle = {}): string {
  const blank = style.compact ? '' : ' ';
  const body = renderExpression(expression, style, false);
  const wrapped = style.parenthesizeAll ? `((${body}))` : body;
  return `{${blank}${wrapped}${blank}}`;
}

function renderExpression(expression: JsonExpression, style: RenderStyle, insideAnd: boolean): string {
  const blank = style.compact ? '' : ' ';
  switch (expression.kind) {
    case 'and': {
      const text = expression.operands.map((operand) => renderExpression(operand, style, true)).join(`${blank}&&${blank}`);
      return style.parenthesizeAll ? `(${text})` : text;
    }
    case 'or': {
      const text = expression.operands.map((operand) => renderExpression(operand, style, false)).join(`${blank}||${blank}`);
      return insideAnd || style.parenthesizeAll ? `(${text})` : text;
    }
    default: {
      const text = renderCondition(expression, style);
      return style.parenthesizeAll ? `(${text})` : text;
    }
  }
}

function renderCondition(condition: JsonCondition, style: RenderStyle): string {
  const blank = style.compact ? '' : ' ';
  const selector = renderSelector(condition);
  if (condition.kind === 'keyword') return `${selector} ${condition.test}`;
  return `${selector}${blank}${condition.operator}${blank}${renderValue(condition.value, style)}`;
}

function renderSelector(condition: JsonCondition): string {
  return (
    '$' +
    condition.selector.segments
      .map((segment) => (segment.kind === 'key' ? `.${segment.name}` : segment.kind === 'index' ? `[${segment.index}]` : segment.kind === 'anyKey' ? '.*' : '[*]'))
      .join('')
  );
}

function renderValue(value: Value, style: RenderStyle): string {
  if (value.kind === 'number') return value.text;
  if (value.kind === 'regex') return `%${value.source}%`;
  const text = value.pieces.join('*');
  const bareOk = /^[A-Za-z][A-Za-z0-9_.*-]*$/.test(text) || text === '*';
  return style.bare && bareOk ? text : `"${text}"`;
}

// ---------------------------------------------------------------- tree transforms

function rebuild(kind: 'and' | 'or', operands: readonly JsonExpression[]): JsonExpression {
  return operands.length === 1 ? (operands[0] as JsonExpression) : { kind, operands, start: 0, end: 0 };
}

/** Every && and || with its operands in reverse order. */
export function reversed(expression: JsonExpression): JsonExpression {
  if (expression.kind !== 'and' && expression.kind !== 'or') return expression;
  return rebuild(expression.kind, [...expression.operands].reverse().map(reversed));
}

/** && distributed over ||: the same events, as an || of &&s. */
export function distributed(expression: JsonExpression): JsonExpression {
  if (expression.kind === 'or') return rebuild('or', expression.operands.map(distributed).flatMap((operand) => (operand.kind === 'or' ? operand.operands : [operand])));
  if (expression.kind !== 'and') return expression;
  let terms: JsonExpression[][] = [[]];
  for (const operand of expression.operands.map(distributed)) {
    const alternatives = operand.kind === 'or' ? operand.operands : [operand];
    terms = terms.flatMap((term) => alternatives.map((alternative) => [...term, alternative]));
  }
  return rebuild('or', terms.map((term) => rebuild('and', term)));
}

/** The conditions `$.eventName = X` that are alternatives of an || (dropping one narrows the pattern). */
export function eventNameAlternatives(expression: JsonExpression): string[] {
  if (expression.kind === 'or') {
    return expression.operands.flatMap((operand) =>
      operand.kind === 'comparison' && isEventName(operand) && operand.value.kind === 'glob' ? [operand.value.pieces.join('*')] : eventNameAlternatives(operand),
    );
  }
  if (expression.kind === 'and') return expression.operands.flatMap(eventNameAlternatives);
  return [];
}

function isEventName(condition: JsonCondition): boolean {
  return condition.selector.segments.length === 1 && condition.selector.segments[0]?.kind === 'key' && condition.selector.segments[0].name === 'eventName';
}

/** The expression without the alternative `$.eventName = name`. */
export function withoutEventName(expression: JsonExpression, name: string): JsonExpression {
  if (expression.kind === 'or') {
    const kept = expression.operands.filter(
      (operand) => !(operand.kind === 'comparison' && operand.operator === '=' && isEventName(operand) && operand.value.kind === 'glob' && operand.value.pieces.join('*') === name),
    );
    return rebuild('or', kept.map((operand) => withoutEventName(operand, name)));
  }
  if (expression.kind === 'and') return rebuild('and', expression.operands.map((operand) => withoutEventName(operand, name)));
  return expression;
}

/** Maps the first glob value that has a letter (or every one, with `all`). */
export function mapGlobValues(expression: JsonExpression, map: (text: string) => string, all = false): JsonExpression {
  let done = false;
  const visit = (node: JsonExpression): JsonExpression => {
    if (node.kind === 'and' || node.kind === 'or') return { ...node, operands: node.operands.map(visit) };
    if (node.kind !== 'comparison' || node.value.kind !== 'glob' || (done && !all)) return node;
    const text = node.value.pieces.join('*');
    const mapped = map(text);
    if (mapped === text) return node;
    done = true;
    return { ...node, value: { ...node.value, pieces: mapped.split('*') } };
  };
  return visit(expression);
}

export function swapFirstLetterCase(text: string): string {
  const index = text.search(/[A-Za-z]/);
  if (index < 0) return text;
  const letter = text[index] as string;
  const swapped = letter === letter.toUpperCase() ? letter.toLowerCase() : letter.toUpperCase();
  return text.slice(0, index) + swapped + text.slice(index + 1);
}

/** The text with every blank removed outside double-quoted strings, except one between two words. */
export function withoutBlanks(text: string): string {
  return text.replace(/("(?:[^"\\]|\\.)*")|\s+/g, (match: string, quoted: string | undefined, offset: number) => {
    if (quoted !== undefined) return quoted;
    const between = /\w$/.test(text.slice(0, offset)) && /^\w/.test(text.slice(offset + match.length));
    return between ? ' ' : '';
  });
}

export function body(pattern: JsonPattern): JsonExpression {
  return pattern.body;
}
