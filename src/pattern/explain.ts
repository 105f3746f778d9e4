/**
 * One line a person can act on, derived from the counter-examples themselves, never from the
 * patterns' text alone.
 *
 * For each counter-example (the reference matches it, the candidate does not), find the field
 * whose value makes the candidate refuse it: a field F such that the event with F changed (to a
 * value the engine's field reasoning finds for what the candidate asks of F, or with F removed)
 * is accepted by the candidate, re-checked with the matcher. What the sentence then says about F
 * is what the event shows, each claim checked:
 * - type: F holds a kind of value (string, number, null, present...) that none of the
 *   candidate's ways of accepting this event allow ("requires x to be a number or absent");
 * - case: F's text differs only in letter case from a value the candidate names;
 * - missed value: the reference tests F on this event, and the candidate refuses its value;
 * - also-when: the reference has the failing condition, but not where this event satisfies it;
 * - added: otherwise the candidate adds a condition on F the reference does not have.
 * When no single field explains the event, a few fields changed together that do (those of its
 * closest way of accepting; checked the same way; five at most); when nothing is confirmed within
 * these bounds, a general sentence that is always true.
 */
import { FIELD_HINTS } from './cloudtrail';
import { fieldPossibilities, type FieldPossibilities } from './field';
import { isLiteral, sampleStrings } from './glob';
import { compareJsonValue, evaluateCondition, evaluateExpression, matchesEvent, select } from './match';
import { printCondition, printExpression, printSelector } from './print';
import type { JsonCondition, JsonExpression, JsonPattern, Pattern, Selector, SelectorSegment, Value } from './types';
import { isPlainObject } from './util';
import { MATCH_STEPS, Work, WorkLimitExceeded } from './work';
import { findTexts } from './automaton';
import { regexAutomaton } from './regex';

const MAX_LISTED = 5;
/** Ways (terms of the disjunctive form) of accepting an event considered per field, and for several fields together. */
const MAX_TERMS = 64;
const MAX_JOINT_TERMS = 64;
const JOINT_TERMS_TRIED = 8;
/** Fields a sentence says must change together, at most (more says little a person can act on). */
const MAX_FIELDS_CHANGED = 5;
/** Longest printed requirement or value before it is summarized (patterns and values are untrusted). */
const MAX_PRINTED = 200;
const MAX_VALUE_PRINTED = 80;

/** The sentence when no difference is confirmed: true of every counter-example. */
export const GENERAL_EXPLANATION = 'misses events the reference matches';

export type ValueType = 'absent' | 'null' | 'string' | 'number' | 'boolean' | 'object' | 'array';

/** A field's content: absent, or a JSON value. */
export type Slot = { readonly present: false } | { readonly present: true; readonly value: unknown };

export type DifferenceKind = 'type' | 'must-be-absent' | 'case' | 'missed-value' | 'also-when' | 'added';

/** One confirmed reason why the candidate refuses a counter-example. */
export interface Difference {
  readonly kind: DifferenceKind;
  readonly selector: Selector;
  /** The counter-example's content at the field. */
  readonly shown: Slot;
  /** Content with which the candidate accepts the event (together with the other differences' fixes, when several fields must change): checked by the matcher. */
  readonly fix: Slot;
  /** The words: an item of the "misses ..." list when `listed`, else a whole part of the sentence. */
  readonly text: string;
  readonly listed: boolean;
}

export function explainMisses(candidate: JsonPattern, reference: Pattern, events: readonly Record<string, unknown>[], work: Work): string {
  const listed: string[] = [];
  const parts: string[] = [];
  const add = (list: string[], item: string) => {
    if (!list.includes(item)) list.push(item);
  };
  for (const event of events) {
    const differences = differencesOf(candidate, reference, event, work);
    for (const difference of differences) add(difference.listed ? listed : parts, difference.text);
    // Further events only add to a list of missed values: once a difference of another kind is said, that is the sentence.
    if (differences.length === 0 || !differences.every((difference) => difference.listed)) break;
  }
  const sentence: string[] = [];
  if (listed.length > 0) {
    const shown = listed.slice(0, MAX_LISTED).join(', ');
    sentence.push(`misses ${shown}${listed.length > MAX_LISTED ? ` and ${listed.length - MAX_LISTED} more` : ''}`);
  }
  sentence.push(...parts);
  return sentence.join('; ') || GENERAL_EXPLANATION;
}

/**
 * Why the candidate refuses this event (which the reference matches): one difference when one
 * field explains it, one per field when several must change together, none when nothing is
 * confirmed.
 */
export function differencesOf(candidate: JsonPattern, reference: Pattern, event: Record<string, unknown>, work: Work): Difference[] {
  const explainer = new EventExplainer(candidate, reference, event, work);
  const differences = explainer.singleField() ?? explainer.severalFields() ?? [];
  return differences.map((difference) => ({ ...difference, text: escapeControls(difference.text) }));
}

/**
 * Field names and values come from untrusted patterns: control, line-breaking and
 * direction-changing characters are written as \u escapes, so the sentence stays one plain line.
 */
function escapeControls(text: string): string {
  let escaped = '';
  for (const character of text) {
    const code = character.charCodeAt(0);
    const control = code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029 || (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069);
    escaped += control ? `\\u${code.toString(16).padStart(4, '0')}` : character;
  }
  return escaped;
}

interface Field {
  readonly key: string;
  readonly selector: Selector;
}

const selectorKeys = new WeakMap<Selector, string>();
const conditionKeys = new WeakMap<JsonCondition, string>();

/** printSelector, once per tree node (trees are immutable; an explanation asks often). */
function selectorKey(selector: Selector): string {
  let key = selectorKeys.get(selector);
  if (key === undefined) {
    key = printSelector(selector);
    selectorKeys.set(selector, key);
  }
  return key;
}

function conditionKey(condition: JsonCondition): string {
  let key = conditionKeys.get(condition);
  if (key === undefined) {
    key = printCondition(condition);
    conditionKeys.set(condition, key);
  }
  return key;
}

interface PatternFacts {
  readonly conditions: readonly JsonCondition[];
  /** Its fields with concrete selectors, in order of first use. */
  readonly fields: readonly Field[];
  readonly printed: ReadonlySet<string>;
}

const patternFacts = new WeakMap<JsonExpression, PatternFacts>();

function factsOf(expression: JsonExpression): PatternFacts {
  let facts = patternFacts.get(expression);
  if (!facts) {
    const conditions = conditionsOf(expression);
    const fields = new Map<string, Field>();
    for (const condition of conditions) {
      const key = selectorKey(condition.selector);
      if (!fields.has(key) && condition.selector.segments.every(isConcrete)) fields.set(key, { key, selector: condition.selector });
    }
    facts = { conditions, fields: [...fields.values()], printed: new Set(conditions.map(conditionKey)) };
    patternFacts.set(expression, facts);
  }
  return facts;
}

class EventExplainer {
  private readonly truths = new Map<JsonCondition, boolean>();
  private readonly fields: Field[];
  /** The reference's conditions that make it match this event (for ||, its first true alternative). */
  private readonly satisfied: JsonCondition[];

  constructor(
    private readonly candidate: JsonPattern,
    private readonly reference: Pattern,
    private readonly event: Record<string, unknown>,
    private readonly work: Work,
    satisfied?: JsonCondition[],
    /** An event differing from this one only at `except`: the truth of conditions elsewhere is taken from it. */
    private readonly sameElsewhere?: { readonly explainer: EventExplainer; readonly except: Selector },
  ) {
    this.satisfied = satisfied ?? (reference.kind === 'json' ? conditionsSatisfying(reference.body, event, work) : []);
    const testedKeys = new Set(this.satisfied.map((condition) => selectorKey(condition.selector)));
    // Fields the reference tests on this event first: a value it misses says more than a condition it adds.
    const fields = factsOf(candidate.body).fields;
    this.fields = [...fields.filter((field) => testedKeys.has(field.key)), ...fields.filter((field) => !testedKeys.has(field.key))];
  }

  /** The first field that alone makes the candidate refuse the event, described. */
  singleField(): Difference[] | undefined {
    // The candidate is monotone in its conditions (no negation above them): a field all of whose
    // conditions hold already cannot be what makes it refuse the event.
    const failingFields = new Set(factsOf(this.candidate.body).conditions.filter((condition) => !this.truth(condition)).map((condition) => selectorKey(condition.selector)));
    for (const field of this.fields) {
      if (!failingFields.has(field.key)) continue;
      const difference = this.explainField(field);
      if (difference) return [difference];
    }
    return undefined;
  }

  /** The field, when changing it alone makes the candidate accept the event: what it shows. */
  private explainField(field: Field): Difference | undefined {
    // What the candidate asks of this field, the rest of the event being as it is.
    const requirement = restrict(this.candidate.body, (condition) => selectorKey(condition.selector) === field.key, (condition) => this.truth(condition));
    if (typeof requirement === 'boolean') return undefined;
    const terms = disjunctiveTerms(requirement, MAX_TERMS);
    if (terms === undefined || terms.length === 0) return undefined;
    const fix = this.findFix(field, terms);
    return fix ? this.describe(field, requirement, terms, fix) : undefined;
  }

  /**
   * A few fields that, changed together, make the candidate accept the event: those of its
   * closest way of accepting (the fewest failing conditions), else of its other ways (fewest
   * fields first). Each is then described as a single field of the event with the others changed
   * (its own content kept).
   */
  severalFields(): Difference[] | undefined {
    const tried = new Set<string>();
    const attempt = (term: readonly JsonCondition[]): Difference[] | undefined => {
      const key = term.map(conditionKey).join('\u0000');
      if (tried.has(key)) return undefined;
      tried.add(key);
      return this.changedTogether(groupByField(term));
    };
    const first = attempt(this.closestFailing(this.candidate.body));
    if (first) return first;
    const failing = restrict(this.candidate.body, (condition) => !this.truth(condition), () => true);
    if (typeof failing === 'boolean') return undefined;
    const terms = disjunctiveTerms(failing, MAX_JOINT_TERMS);
    if (!terms) return undefined;
    const fieldCount = (term: readonly JsonCondition[]) => new Set(term.map((condition) => selectorKey(condition.selector))).size;
    const ordered = terms
      .map((term) => ({ term, count: fieldCount(term) }))
      .sort((a, b) => a.count - b.count)
      .slice(0, JOINT_TERMS_TRIED);
    for (const { term } of ordered) {
      const found = attempt(term);
      if (found) return found;
    }
    return undefined;
  }

  /** The failing conditions of the candidate's closest way of accepting the event (for ||, the alternative with fewest). */
  private closestFailing(expression: JsonExpression): JsonCondition[] {
    switch (expression.kind) {
      case 'and':
        return expression.operands.flatMap((operand) => this.closestFailing(operand));
      case 'or': {
        let best: JsonCondition[] | undefined;
        for (const operand of expression.operands) {
          const failing = this.closestFailing(operand);
          if (!best || failing.length < best.length) best = failing;
        }
        return best ?? [];
      }
      default:
        return this.truth(expression) ? [] : [expression];
    }
  }

  /** The groups' fields changed together to contents satisfying their conditions: described when the candidate then accepts. */
  private changedTogether(groups: readonly { field: Field; conditions: JsonCondition[] }[]): Difference[] | undefined {
    if (groups.length === 0 || groups.length > MAX_FIELDS_CHANGED || !groups.every((group) => group.field.selector.segments.every(isConcrete))) return undefined;
    let fixed = this.event;
    const contents: Slot[] = [];
    for (const group of groups) {
      const content = this.contentsFor(group.field, group.conditions)[0];
      if (!content) return undefined;
      contents.push(content);
      fixed = withField(fixed, group.field.selector.segments, content);
    }
    if (!matchesEvent(this.candidate, fixed, this.work)) return undefined;
    const differences: Difference[] = [];
    const changed = new EventExplainer(this.candidate, this.reference, fixed, this.work, this.satisfied);
    for (const [at, group] of groups.entries()) {
      const others = withField(fixed, group.field.selector.segments, this.shown(group.field));
      const sameElsewhere = { explainer: changed, except: group.field.selector };
      const difference = new EventExplainer(this.candidate, this.reference, others, this.work, this.satisfied, sameElsewhere).explainField(group.field);
      if (!difference) return undefined;
      // The fix that is checked for this event: all the fields' contents together.
      differences.push({ ...difference, fix: contents[at] as Slot });
    }
    return differences;
  }

  private truth(condition: JsonCondition): boolean {
    let truth = this.truths.get(condition);
    if (truth === undefined) {
      const elsewhere = this.sameElsewhere;
      truth =
        elsewhere && !onSamePath(condition.selector, elsewhere.except)
          ? elsewhere.explainer.truth(condition)
          : evaluateCondition(condition, select(this.event, condition.selector.segments, this.work), this.work);
      this.truths.set(condition, truth);
    }
    return truth;
  }

  /** A content of the field with which the candidate accepts the event, re-checked by the matcher. */
  private findFix(field: Field, terms: readonly (readonly JsonCondition[])[]): Slot | undefined {
    for (const term of terms) {
      const fix = this.contentsFor(field, term).find((slot) => this.acceptsWith(field, slot));
      if (fix) return fix;
    }
    return undefined;
  }

  private acceptsWith(field: Field, slot: Slot): boolean {
    return matchesEvent(this.candidate, withField(this.event, field.selector.segments, slot), this.work);
  }

  /**
   * Contents of the field for which every condition of `term` holds: the values the conditions
   * name when one does, else what the engine's field reasoning finds (exact for text and numbers).
   */
  private contentsFor(field: Field, term: readonly JsonCondition[]): Slot[] {
    const holds = (slot: Slot) => term.every((condition) => evaluateCondition(condition, slot.present ? [slot.value] : [], this.work));
    const quick = term.flatMap(namedContents).find(holds);
    if (quick) return [quick];
    const label = field.key.replace(/^\$\.?/, '');
    const possible: FieldPossibilities = fieldPossibilities(
      term.map((condition) => ({ condition, want: true })),
      FIELD_HINTS[label] ?? [],
      label,
      this.work,
    );
    const found: Slot[] = [];
    if (possible.kinds.scalar === 'yes' && possible.witness !== undefined) found.push({ present: true, value: possible.witness });
    if (possible.kinds.missing === 'yes') found.push({ present: false });
    if (possible.kinds.null === 'yes') found.push({ present: true, value: null });
    if (possible.kinds.object === 'yes') found.push({ present: true, value: {} });
    if (possible.kinds.array === 'yes') found.push({ present: true, value: [] });
    return found;
  }

  private shown(field: Field): Slot {
    const values = select(this.event, field.selector.segments, this.work);
    return values.length === 0 ? { present: false } : { present: true, value: values[0] };
  }

  private testedByReference(field: Field): JsonCondition[] {
    return this.satisfied.filter((condition) => selectorKey(condition.selector) === field.key);
  }

  /** The field alone explains the event: say what its content shows. */
  private describe(field: Field, requirement: JsonExpression, terms: readonly (readonly JsonCondition[])[], fix: Slot): Difference {
    const shown = this.shown(field);
    const type = typeOfSlot(shown);
    const name = fieldName(field.selector);
    const base = { selector: field.selector, shown, fix };
    // Some way of accepting the event may take this kind of content (types are over-approximated: "requires" claims stay true).
    if (!terms.some((term) => term.every((condition) => typesAccepting(condition).has(type)))) {
      const allowed = new Set(terms.flatMap((term) => [...intersection(term.map(typesAccepting))]));
      const required = parenthesized(requirementText(requirement, name));
      if (allowed.size === 1 && allowed.has('absent')) {
        const how = requirement.kind === 'keyword' && requirement.test === 'NOT EXISTS' ? '(NOT EXISTS)' : required;
        return { ...base, kind: 'must-be-absent', listed: false, text: `requires ${name} to be absent ${how}, so it misses events where ${name} is set` };
      }
      if (type !== 'absent') {
        return {
          ...base,
          kind: 'type',
          listed: false,
          text: `misses events where ${name} is ${typeWords(type)} (here ${name} = ${printJson(slotValue(shown))}), since it requires ${name} to be ${orList([...allowed].sort(byTypeOrder).map(typeWords))} ${required}, which the reference does not`,
        };
      }
      // Absent where the candidate needs it present: said below, as a missed value or an added condition.
    }
    return this.describeValue(field, requirement, terms.flat(), fix);
  }

  /** What a changed value of the field shows: a case change, a value the reference accepts, a condition it lacks. */
  private describeValue(field: Field, requirement: JsonExpression, conditions: readonly JsonCondition[], fix: Slot): Difference {
    const shown = this.shown(field);
    const name = fieldName(field.selector);
    const base = { selector: field.selector, shown, fix };
    const failing = unique(conditions.filter((condition) => !this.truth(condition)));
    const tested = this.testedByReference(field);
    const casing = this.caseDifference(field, failing, shown);
    if (casing) {
      return { ...base, fix: casing.fix, kind: 'case', listed: true, text: `${this.missedItem(field, tested, shown)} (${casing.words}, and values are case-sensitive)` };
    }
    if (tested.length > 0) return { ...base, kind: 'missed-value', listed: true, text: this.missedItem(field, tested, shown) };
    const required = requirementText(requirement, name);
    const referenceConditions = this.reference.kind === 'json' ? factsOf(this.reference.body).printed : new Set<string>();
    const mentioned = failing.some((condition) => referenceConditions.has(conditionKey(condition)));
    if (mentioned && this.satisfied.length > 0) {
      const when = this.satisfied.map(describeCondition).join(' and ');
      return { ...base, kind: 'also-when', listed: false, text: `requires ${required} also when ${bounded(when)}, where the reference does not` };
    }
    if (!shown.present && requirement.kind === 'comparison' && requirement.operator === '=' && requirement.value.kind === 'glob' && requirement.value.pieces.join('') === '') {
      return { ...base, kind: 'added', listed: false, text: `requires ${name} to be present (= *), which the reference does not` };
    }
    const without = shown.present ? '' : `, so it misses events without ${name}`;
    return { ...base, kind: 'added', listed: false, text: `adds the condition ${required} that the reference does not have${without}` };
  }

  /** "eventName = DisableKey" when the reference has that equality, else "events where F = value". */
  private missedItem(field: Field, tested: readonly JsonCondition[], shown: Slot): string {
    const name = fieldName(field.selector);
    const equality = tested.find((condition): condition is Extract<JsonCondition, { kind: 'comparison' }> => condition.kind === 'comparison' && condition.operator === '=');
    if (equality) {
      const example = isExact(equality.value) ? '' : ` (e.g. ${actualText(shown)})`;
      return `${name} = ${valueText(equality.value)}${example}`;
    }
    return `events where ${name} ${slotDescription(shown)}`;
  }

  /**
   * A failing literal condition whose value differs from the event's only in letter case (`=`),
   * or equals it where the reference's same test differs only in case (`!=`), and the event with
   * the other spelling accepted: confirmed by the matcher.
   */
  private caseDifference(field: Field, failing: readonly JsonCondition[], shown: Slot): { words: string; fix: Slot } | undefined {
    if (!shown.present || typeof shown.value !== 'string') return undefined;
    const text = shown.value;
    const lower = text.toLowerCase();
    const referenceConditions = this.reference.kind === 'json' ? factsOf(this.reference.body).conditions : [];
    for (const condition of failing) {
      const literal = literalOf(condition);
      if (literal === undefined || condition.kind !== 'comparison') continue;
      if (condition.operator === '=' && literal.length === text.length && literal !== text && literal.toLowerCase() === lower) {
        const fix: Slot = { present: true, value: literal };
        if (this.acceptsWith(field, fix)) return { words: `it has ${printCondition(condition)}`, fix };
      }
      if (condition.operator === '!=' && literal === text) {
        const partner = referenceConditions.find((other) => {
          const spelling = literalOf(other);
          return (
            other.kind === 'comparison' &&
            other.operator === '!=' &&
            selectorKey(other.selector) === field.key &&
            spelling !== undefined &&
            spelling !== literal &&
            spelling.toLowerCase() === literal.toLowerCase()
          );
        });
        const spelling = partner ? literalOf(partner) : undefined;
        if (partner && spelling !== undefined) {
          const fix: Slot = { present: true, value: spelling };
          if (this.acceptsWith(field, fix)) return { words: `it has ${printCondition(condition)} where the reference has ${printCondition(partner)}`, fix };
        }
      }
    }
    return undefined;
  }
}

// ---------------------------------------------------------------- expressions

function isConcrete(segment: SelectorSegment): boolean {
  return segment.kind === 'key' || segment.kind === 'index';
}

/** One selector reaches into the other (`$.a` and `$.a.b`), so changing one may change the other. */
function onSamePath(a: Selector, b: Selector): boolean {
  const length = Math.min(a.segments.length, b.segments.length);
  for (let at = 0; at < length; at += 1) {
    const x = a.segments[at] as SelectorSegment;
    const y = b.segments[at] as SelectorSegment;
    if (x.kind !== y.kind) return false;
    if (x.kind === 'key' && y.kind === 'key' && x.name !== y.name) return false;
    if (x.kind === 'index' && y.kind === 'index' && x.index !== y.index) return false;
  }
  return true;
}

function conditionsOf(expression: JsonExpression, into: JsonCondition[] = []): JsonCondition[] {
  switch (expression.kind) {
    case 'and':
    case 'or':
      for (const operand of expression.operands) conditionsOf(operand, into);
      return into;
    default:
      into.push(expression);
      return into;
  }
}

function node(kind: 'and' | 'or', operands: readonly JsonExpression[]): JsonExpression {
  return { kind, operands, start: 0, end: 0 };
}

/**
 * The expression with every condition not kept replaced by its truth value, simplified: what
 * the kept conditions must do. A boolean when the kept ones do not matter.
 */
function restrict(expression: JsonExpression, keep: (condition: JsonCondition) => boolean, truth: (condition: JsonCondition) => boolean): JsonExpression | boolean {
  if (expression.kind === 'comparison' || expression.kind === 'keyword') return keep(expression) ? expression : truth(expression);
  const absorbing = expression.kind === 'or';
  const operands: JsonExpression[] = [];
  let changed = false;
  for (const operand of expression.operands) {
    const restricted = restrict(operand, keep, truth);
    if (restricted === absorbing) return absorbing;
    if (typeof restricted !== 'boolean') operands.push(restricted);
    changed ||= restricted !== operand;
  }
  if (operands.length === 0) return !absorbing;
  if (operands.length === 1) return operands[0] as JsonExpression;
  // The node itself when nothing changed: what is derived from it is cached by node.
  return changed ? node(expression.kind, operands) : expression;
}

const termsByLimit = new Map<number, WeakMap<JsonExpression, JsonCondition[][] | 'too many'>>();

/** The ways of making an expression true, each a conjunction of its conditions; undefined past `limit` ways. */
function disjunctiveTerms(expression: JsonExpression, limit: number): JsonCondition[][] | undefined {
  let cache = termsByLimit.get(limit);
  if (!cache) {
    cache = new WeakMap();
    termsByLimit.set(limit, cache);
  }
  let terms = cache.get(expression);
  if (terms === undefined) {
    terms = termsOf(expression, limit) ?? 'too many';
    cache.set(expression, terms);
  }
  return terms === 'too many' ? undefined : terms;
}

function termsOf(expression: JsonExpression, limit: number): JsonCondition[][] | undefined {
  switch (expression.kind) {
    case 'comparison':
    case 'keyword':
      return [[expression]];
    case 'or': {
      const terms: JsonCondition[][] = [];
      for (const operand of expression.operands) {
        const more = disjunctiveTerms(operand, limit);
        if (!more || terms.length + more.length > limit) return undefined;
        terms.push(...more);
      }
      return terms;
    }
    case 'and': {
      let terms: JsonCondition[][] = [[]];
      for (const operand of expression.operands) {
        const more = disjunctiveTerms(operand, limit);
        if (!more || terms.length * more.length > limit) return undefined;
        terms = terms.flatMap((term) => more.map((other) => unique([...term, ...other])));
      }
      return terms;
    }
  }
}

function unique(conditions: readonly JsonCondition[]): JsonCondition[] {
  const seen = new Set<string>();
  return conditions.filter((condition) => {
    const key = conditionKey(condition);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function groupByField(term: readonly JsonCondition[]): { field: Field; conditions: JsonCondition[] }[] {
  const groups = new Map<string, { field: Field; conditions: JsonCondition[] }>();
  for (const condition of term) {
    const key = selectorKey(condition.selector);
    const group = groups.get(key) ?? { field: { key, selector: condition.selector }, conditions: [] };
    group.conditions.push(condition);
    groups.set(key, group);
  }
  return [...groups.values()];
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

/** The contents a condition names, if any: its literal or sample text, its number, absence, null, a boolean. */
function namedContents(condition: JsonCondition): Slot[] {
  if (condition.kind === 'keyword') {
    switch (condition.test) {
      case 'NOT EXISTS':
        return [{ present: false }];
      case 'IS NULL':
        return [{ present: true, value: null }];
      case 'IS TRUE':
        return [{ present: true, value: true }];
      default:
        return [{ present: true, value: false }];
    }
  }
  const { operator, value } = condition;
  const contents = (...values: unknown[]): Slot[] => values.map((content) => ({ present: true, value: content }));
  if (operator === '!=') return contents('x', 'example', 0);
  if (value.kind === 'number') {
    if (operator === '=') return contents(value.value);
    return contents(value.value, operator === '<' || operator === '<=' ? value.value - 1 : value.value + 1);
  }
  if (operator !== '=') return [];
  if (value.kind === 'glob') return contents(...sampleStrings(value.pieces));
  const sample = regexSample(value.source);
  return sample === undefined ? [] : contents(sample);
}

const regexSamples = new Map<string, string | null>();
/**
 * Work for one regex's shortest text, spent once per regex (cached): a pure function of the regex,
 * so explanations do not depend on what ran before.
 */
const REGEX_SAMPLE_STEPS = 100_000;

/** The shortest text a regex matches, when found within its own small budget. */
function regexSample(source: string): string | undefined {
  let sample = regexSamples.get(source);
  if (sample === undefined) {
    try {
      sample = findTexts([regexAutomaton(source)], [], 1, new Work(REGEX_SAMPLE_STEPS))[0] ?? null;
    } catch (error) {
      if (!(error instanceof WorkLimitExceeded)) throw error;
      sample = null;
    }
    if (regexSamples.size >= 1000) regexSamples.clear();
    regexSamples.set(source, sample);
  }
  return sample ?? undefined;
}

// ---------------------------------------------------------------- types of values

const TYPE_ORDER: readonly ValueType[] = ['string', 'number', 'boolean', 'null', 'object', 'array', 'absent'];
const SCALARS: ReadonlySet<ValueType> = new Set(['string', 'number']);

function byTypeOrder(a: ValueType, b: ValueType): number {
  return TYPE_ORDER.indexOf(a) - TYPE_ORDER.indexOf(b);
}

/**
 * The kinds of content a condition can be true for (match.ts): only absence for NOT EXISTS, null
 * for IS NULL, booleans for IS TRUE/FALSE, numbers for order comparisons; `=`/`!=` compare text
 * (strings, numbers, and booleans where their text can match). Never too small.
 */
function typesAccepting(condition: JsonCondition): ReadonlySet<ValueType> {
  let types = acceptedTypes.get(condition);
  if (!types) {
    types = typesAcceptingUncached(condition);
    acceptedTypes.set(condition, types);
  }
  return types;
}

const acceptedTypes = new WeakMap<JsonCondition, ReadonlySet<ValueType>>();

function typesAcceptingUncached(condition: JsonCondition): ReadonlySet<ValueType> {
  if (condition.kind === 'keyword') {
    switch (condition.test) {
      case 'NOT EXISTS':
        return new Set(['absent']);
      case 'IS NULL':
        return new Set(['null']);
      default:
        return new Set(['boolean']);
    }
  }
  if (condition.operator !== '=' && condition.operator !== '!=') return new Set(condition.value.kind === 'number' ? ['number'] : []);
  const types = new Set(SCALARS);
  // A boolean compares as its text ("true", "false"): asked of the matcher (on its own small budget: two short texts).
  if ([true, false].some((value) => compareJsonValue(condition.operator, condition.value, value, new Work(MATCH_STEPS)))) types.add('boolean');
  return types;
}

function intersection(sets: readonly ReadonlySet<ValueType>[]): Set<ValueType> {
  const [first, ...rest] = sets;
  return new Set([...(first ?? [])].filter((type) => rest.every((set) => set.has(type))));
}

function typeOfSlot(slot: Slot): ValueType {
  if (!slot.present) return 'absent';
  const { value } = slot;
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    default:
      return 'object';
  }
}

function typeWords(type: ValueType): string {
  switch (type) {
    case 'absent':
      return 'absent';
    case 'null':
      return 'null';
    case 'array':
      return 'an array';
    case 'object':
      return 'an object';
    default:
      return `a ${type}`;
  }
}

function orList(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1] as string}`;
}

// ---------------------------------------------------------------- events

function slotValue(slot: Slot): unknown {
  return slot.present ? slot.value : undefined;
}

/**
 * The event with the field set to the content (parents made as needed) or removed. Only the
 * objects and arrays on the field's path are copied: the event itself is never changed.
 */
export function withField(event: Record<string, unknown>, segments: readonly SelectorSegment[], slot: Slot): Record<string, unknown> {
  return replaced(event, segments, 0, slot) as Record<string, unknown>;
}

function replaced(container: unknown, segments: readonly SelectorSegment[], at: number, slot: Slot): unknown {
  const segment = segments[at];
  if (!segment) return slot.present ? slot.value : undefined;
  const last = at === segments.length - 1;
  if (segment.kind === 'key') {
    if (!isPlainObject(container)) return container;
    const copy: Record<string, unknown> = { ...container };
    if (last && !slot.present) {
      delete copy[segment.name];
      return copy;
    }
    const child = Object.prototype.hasOwnProperty.call(container, segment.name) ? container[segment.name] : undefined;
    const next = replaced(last ? undefined : fitting(child, segments[at + 1] as SelectorSegment, slot), segments, at + 1, slot);
    if (!last && next === undefined) return container;
    Object.defineProperty(copy, segment.name, { value: next, enumerable: true, writable: true, configurable: true });
    return copy;
  }
  if (segment.kind !== 'index' || !Array.isArray(container)) return container;
  const copy = [...(container as unknown[])];
  if (last && !slot.present) {
    if (segment.index < copy.length) copy.length = segment.index;
    return copy;
  }
  while (copy.length < segment.index) copy.push(null);
  const next = replaced(last ? undefined : fitting(copy[segment.index], segments[at + 1] as SelectorSegment, slot), segments, at + 1, slot);
  if (!last && next === undefined) return container;
  copy[segment.index] = next;
  return copy;
}

/** The child as the next segment needs it: itself when it fits, a new empty object or array to set a field in, nothing to remove one from. */
function fitting(child: unknown, next: SelectorSegment, slot: Slot): unknown {
  const fits = next.kind === 'index' ? Array.isArray(child) : isPlainObject(child);
  if (fits) return child;
  if (!slot.present) return undefined;
  return next.kind === 'index' ? [] : {};
}

// ---------------------------------------------------------------- words

const fieldNames = new WeakMap<Selector, string>();

function fieldName(selector: Selector): string {
  let name = fieldNames.get(selector);
  if (name === undefined) {
    name = selectorKey(selector).replace(/^\$\.?/, '');
    fieldNames.set(selector, name);
  }
  return name;
}

/** A condition as a person reads it: `errorCode = *UnauthorizedOperation`, `userIdentity.invokedBy is absent`. */
function describeCondition(condition: JsonCondition): string {
  const path = fieldName(condition.selector);
  if (condition.kind === 'keyword') return condition.test === 'NOT EXISTS' ? `${path} is absent` : `${path} ${condition.test}`;
  return `${path} ${condition.operator} ${valueText(condition.value)}`;
}

/**
 * What the candidate asks of a field, printed by the printer (which quotes untrusted values): a
 * condition bare, several in parentheses; past MAX_PRINTED the first ones and how many in all.
 */
function requirementText(requirement: JsonExpression, name: string): string {
  if (requirement.kind === 'comparison' || requirement.kind === 'keyword') return bounded(conditionKey(requirement));
  let text = requirementTexts.get(requirement);
  if (text === undefined) {
    text = compoundRequirementText(requirement, name);
    requirementTexts.set(requirement, text);
  }
  return text;
}

/** By node: a requirement is often the candidate's own subtree (restrict keeps unchanged nodes). */
const requirementTexts = new WeakMap<JsonExpression, string>();

function compoundRequirementText(requirement: Extract<JsonExpression, { kind: 'and' | 'or' }>, name: string): string {
  const text = printExpression(requirement, requirement.kind === 'or');
  if (text.length <= MAX_PRINTED) return requirement.kind === 'or' ? text : `(${text})`;
  const count = conditionsOf(requirement).length;
  const joiner = requirement.kind === 'or' ? ' || ' : ' && ';
  const shown: string[] = [];
  for (const operand of requirement.operands) {
    if (operand.kind !== 'comparison' && operand.kind !== 'keyword') break;
    const next = conditionKey(operand);
    if ([...shown, next].join(joiner).length > MAX_PRINTED) break;
    shown.push(next);
  }
  return shown.length > 0 ? `(${shown.join(joiner)}${joiner}... ${count} conditions on ${name} in all)` : `(${count} conditions on ${name})`;
}

function parenthesized(text: string): string {
  return text.startsWith('(') ? text : `(${text})`;
}

function bounded(text: string): string {
  return text.length <= MAX_PRINTED ? text : `${text.slice(0, MAX_PRINTED)}...`;
}

function literalOf(condition: JsonCondition): string | undefined {
  return condition.kind === 'comparison' && condition.value.kind === 'glob' && condition.value.pieces.length === 1 ? condition.value.pieces[0] : undefined;
}

function isExact(value: Value): boolean {
  return value.kind === 'number' || (value.kind === 'glob' && isLiteral(value.pieces));
}

function plain(text: string): string {
  return /^[A-Za-z0-9_.:/@+*-]+$/.test(text) && text.length <= MAX_VALUE_PRINTED ? text : printJson(text);
}

/** JSON text (quoted, escaped), shortened past MAX_VALUE_PRINTED. */
function printJson(value: unknown): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length <= MAX_VALUE_PRINTED ? text : `${text.slice(0, MAX_VALUE_PRINTED)}...`;
}

function valueText(value: Value): string {
  switch (value.kind) {
    case 'glob':
      return plain(value.pieces.join('*'));
    case 'number':
      return value.text;
    default: {
      const text = `%${value.source}%`;
      return /^[\x20-\x7e]*$/.test(text) && text.length <= MAX_VALUE_PRINTED ? text : printJson(text);
    }
  }
}

function actualText(slot: Slot): string {
  if (!slot.present) return 'absent';
  return typeof slot.value === 'string' ? plain(slot.value) : printJson(slot.value);
}

function slotDescription(slot: Slot): string {
  if (!slot.present) return 'is absent';
  const { value } = slot;
  if (value === null) return 'is null';
  if (typeof value === 'object') return `is ${Array.isArray(value) ? 'an array' : 'an object'}`;
  return `= ${typeof value === 'string' ? plain(value) : String(value)}`;
}
