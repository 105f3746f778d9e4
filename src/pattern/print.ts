/**
 * Canonical text of a tree: one space around operators, string values always double-quoted
 * (presence `= *` excepted), parentheses only where precedence needs them. Parsing the printed
 * text gives back an equal tree.
 */
import { isMatchAll } from './glob';
import { isBareTerm } from './parse';
import type { DelimitedField, FieldCondition, JsonCondition, JsonExpression, Pattern, Selector, Term, Value } from './types';
import { assertNever } from './util';

export function printPattern(pattern: Pattern): string {
  switch (pattern.kind) {
    case 'json':
      return `{ ${printExpression(pattern.body, false)} }`;
    case 'terms':
      return pattern.terms.map(printTerm).join(' ');
    case 'delimited':
      return `[${pattern.fields.map(printField).join(', ')}]`;
    default:
      return assertNever(pattern);
  }
}

export function printExpression(expression: JsonExpression, insideAnd: boolean): string {
  switch (expression.kind) {
    case 'and':
      return expression.operands.map((operand) => printExpression(operand, true)).join(' && ');
    case 'or': {
      const text = expression.operands.map((operand) => printExpression(operand, false)).join(' || ');
      return insideAnd ? `(${text})` : text;
    }
    case 'comparison':
    case 'keyword':
      return printCondition(expression);
    default:
      return assertNever(expression);
  }
}

export function printCondition(condition: JsonCondition): string {
  return condition.kind === 'keyword'
    ? `${printSelector(condition.selector)} ${condition.test}`
    : `${printSelector(condition.selector)} ${condition.operator} ${printValue(condition.value)}`;
}

export function printSelector(selector: Selector): string {
  return (
    '$' +
    selector.segments
      .map((segment) => {
        switch (segment.kind) {
          case 'key':
            return /^[A-Za-z0-9_-]+$/.test(segment.name) ? `.${segment.name}` : `.['${segment.name.replace(/[\\']/g, '\\$&')}']`;
          case 'index':
            return `[${segment.index}]`;
          case 'anyKey':
            return '.*';
          case 'anyIndex':
            return '[*]';
          default:
            return assertNever(segment);
        }
      })
      .join('')
  );
}

export function printValue(value: Value): string {
  switch (value.kind) {
    case 'glob':
      if (isMatchAll(value.pieces)) return '*';
      return `"${value.pieces.map((piece) => piece.replace(/[\\"*]/g, '\\$&')).join('*')}"`;
    case 'number':
      return value.text;
    case 'regex':
      return `%${value.source}%`;
    default:
      return assertNever(value);
  }
}

function printTerm(term: Term): string {
  const prefix = term.mode === 'optional' ? '?' : term.mode === 'exclude' ? '-' : '';
  if (term.value.kind === 'regex') return `${prefix}%${term.value.source}%`;
  const text = term.value.text;
  return prefix + (isBareTerm(text) ? text : `"${text.replace(/[\\"]/g, '\\$&')}"`);
}

function printField(field: DelimitedField): string {
  if (field.kind === 'skip') return '...';
  return field.condition ? printFieldCondition(field.condition, false) : field.name;
}

function printFieldCondition(condition: FieldCondition, insideAnd: boolean): string {
  switch (condition.kind) {
    case 'and':
      return condition.operands.map((operand) => printFieldCondition(operand, true)).join(' && ');
    case 'or': {
      // The parser never puts || under && here (space-delimited conditions have no parentheses).
      void insideAnd;
      return condition.operands.map((operand) => printFieldCondition(operand, false)).join(' || ');
    }
    case 'fieldComparison':
      return `${condition.field} ${condition.operator} ${printValue(condition.value)}`;
    default:
      return assertNever(condition);
  }
}
