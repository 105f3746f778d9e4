/**
 * One line a person can act on, from the counter-examples: for each, the candidate's closest
 * alternative and the conditions that fail it. A failing condition on a field the reference also
 * tests is something the candidate misses ("misses eventName = DetachGroupPolicy"); one on a
 * field the reference does not test is a condition the candidate adds.
 */
import { isLiteral } from './glob';
import { evaluateExpression, select } from './match';
import { printCondition, printSelector } from './print';
import type { JsonCondition, JsonExpression, JsonPattern, Pattern, Selector, Value } from './types';
import type { Work } from './work';

const MAX_LISTED = 5;

export function explainMisses(candidate: JsonPattern, reference: Pattern, events: readonly Record<string, unknown>[], work: Work): string {
  const misses: string[] = [];
  const additions: string[] = [];
  const add = (list: string[], item: string) => {
    if (!list.includes(item)) list.push(item);
  };
  for (const event of events) {
    const satisfied = reference.kind === 'json' ? conditionsSatisfying(reference.body, event, work) : [];
    for (const failing of conditionsFailing(candidate.body, event, work)) {
      const path = fieldName(failing.selector);
      const related = satisfied.filter((condition) => printSelector(condition.selector) === printSelector(failing.selector));
      if (related.length > 0) {
        const equality = related.find((condition) => condition.kind === 'comparison' && condition.operator === '=');
        if (equality && equality.kind === 'comparison') {
          const example = isExact(equality.value) ? '' : ` (e.g. ${actual(event, failing.selector)})`;
          add(misses, `${path} = ${valueText(equality.value)}${example}`);
        } else add(misses, `events where ${path} ${actualDescription(event, failing.selector)}`);
      } else if (failing.kind === 'keyword' && failing.test === 'NOT EXISTS') {
        add(additions, `requires ${path} to be absent (NOT EXISTS), so it misses events where ${path} is set`);
      } else if (failing.kind === 'comparison' && failing.operator === '=' && failing.value.kind === 'glob' && failing.value.pieces.join('') === '' && failing.value.pieces.length === 2) {
        add(additions, `requires ${path} to be present (= *), which the reference does not`);
      } else if (reference.kind === 'json' && mentions(reference.body, printCondition(failing)) && satisfied.length > 0) {
        const when = satisfied.map((condition) => describe(condition)).join(' and ');
        add(additions, `requires ${printCondition(failing)} also when ${when}, where the reference does not`);
      } else {
        add(additions, `adds the condition ${printCondition(failing)} that the reference does not have`);
      }
    }
  }
  const parts: string[] = [];
  if (misses.length > 0) {
    const listed = misses.slice(0, MAX_LISTED).join(', ');
    parts.push(`misses ${listed}${misses.length > MAX_LISTED ? ` and ${misses.length - MAX_LISTED} more` : ''}`);
  }
  parts.push(...additions);
  return parts.join('; ') || 'misses events the reference matches';
}

function mentions(expression: JsonExpression, condition: string): boolean {
  switch (expression.kind) {
    case 'and':
    case 'or':
      return expression.operands.some((operand) => mentions(operand, condition));
    default:
      return printCondition(expression) === condition;
  }
}

/** A condition as a person reads it: `errorCode = *UnauthorizedOperation`, `userIdentity.invokedBy absent`. */
function describe(condition: JsonCondition): string {
  const path = fieldName(condition.selector);
  if (condition.kind === 'keyword') return condition.test === 'NOT EXISTS' ? `${path} is absent` : `${path} ${condition.test}`;
  return `${path} ${condition.operator} ${valueText(condition.value)}`;
}

/** The conditions that make a true expression true (for ||, its first true alternative). */
function conditionsSatisfying(expression: JsonExpression, event: Record<string, unknown>, work: Work): JsonCondition[] {
  switch (expression.kind) {
    case 'and':
      return expression.operands.flatMap((operand) => conditionsSatisfying(operand, event, work));
    case 'or': {
      const alternative = expression.operands.find((operand) => evaluateExpression(operand, event, work));
      return alternative ? conditionsSatisfying(alternative, event, work) : [];
    }
    default:
      return [expression];
  }
}

/** The conditions that make a false expression false (for ||, its closest alternative's). */
function conditionsFailing(expression: JsonExpression, event: Record<string, unknown>, work: Work): JsonCondition[] {
  switch (expression.kind) {
    case 'and':
      return expression.operands.filter((operand) => !evaluateExpression(operand, event, work)).flatMap((operand) => conditionsFailing(operand, event, work));
    case 'or': {
      let best: JsonCondition[] | undefined;
      for (const operand of expression.operands) {
        const failing = conditionsFailing(operand, event, work);
        if (!best || failing.length < best.length) best = failing;
      }
      return best ?? [];
    }
    default:
      return evaluateExpression(expression, event, work) ? [] : [expression];
  }
}

function fieldName(selector: Selector): string {
  return printSelector(selector).replace(/^\$\.?/, '');
}

function isExact(value: Value): boolean {
  return value.kind === 'number' || (value.kind === 'glob' && isLiteral(value.pieces));
}

function plain(text: string): string {
  return /^[A-Za-z0-9_.:/@+*-]+$/.test(text) ? text : JSON.stringify(text);
}

function valueText(value: Value): string {
  switch (value.kind) {
    case 'glob':
      return plain(value.pieces.join('*'));
    case 'number':
      return value.text;
    default:
      return `%${value.source}%`;
  }
}

function actual(event: Record<string, unknown>, selector: Selector): string {
  const [value] = select(event, selector.segments);
  return typeof value === 'string' ? plain(value) : JSON.stringify(value);
}

function actualDescription(event: Record<string, unknown>, selector: Selector): string {
  const values = select(event, selector.segments);
  if (values.length === 0) return 'is absent';
  const [value] = values;
  if (value === null) return 'is null';
  if (typeof value === 'object') return `is ${Array.isArray(value) ? 'an array' : 'an object'}`;
  return `= ${typeof value === 'string' ? plain(value) : String(value)}`;
}
