/**
 * Coverage of a JSON reference by a term or space-delimited filter: such a filter is matched on
 * the event's raw text, which for a JSON event is its JSON text (matchesEvent writes it with
 * JSON.stringify). Decided where it can be told:
 * - not covered: one of the reference's witness events (CloudTrail events it matches, and bare
 *   ones with nothing but what it needs) is missed, or, for a term the filter excludes, a
 *   witness given one more field named by that term;
 * - covered: the reference matches no event at all (its witness search ends without one);
 * - covered: every term it needs is written into the text of every event the reference matches,
 *   because every way of matching it fixes a key or a value that holds the term (`ConsoleLogin`
 *   is in the text of every event with `$.eventName = ConsoleLogin`).
 * Otherwise (a term only some matching events would hold, a regex term with an anchor, a
 * space-delimited filter no witness refutes) it is 'undetermined' with the reason.
 */
import { matchesEvent } from './match';
import { regexMatches } from './regex';
import type { CoverageResult, DelimitedPattern, JsonCondition, JsonExpression, Pattern, Term, TermPattern } from './types';
import type { Work } from './work';
import type { Witnesses } from './coverage';

/** `candidate` against `reference` (JSON, or a pattern matching everything), given the reference's witness events (CloudTrail events, and bare ones). */
export function decideRawText(candidate: TermPattern | DelimitedPattern, reference: Pattern, cloudTrail: Witnesses, bare: Witnesses, work: Work): CoverageResult {
  if (cloudTrail.none || bare.none) return { verdict: 'covered' };
  const witnesses = [...cloudTrail.events, ...bare.events];
  const missed = witnesses.filter((event) => !matchesEvent(candidate, event, work)).slice(0, 3);
  if (missed.length > 0) return notCovered(candidate, missed);
  if (candidate.kind === 'delimited') {
    return { verdict: 'undetermined', reason: 'the candidate is a space-delimited pattern, matched on raw text: coverage of a JSON reference is decided for term patterns, and none of the reference\'s example events refutes it' };
  }
  const excluded = candidate.terms.filter((term) => term.mode === 'exclude');
  for (const term of excluded) {
    const events = witnesses.flatMap((event) => withTermAsKey(event, term)).filter((event) => matchesEvent(reference, event, work) && !matchesEvent(candidate, event, work));
    if (events.length > 0) return notCovered(candidate, events.slice(0, 3));
  }
  const body = reference.kind === 'json' ? reference.body : undefined;
  /** Whether the text of every event the reference matches holds one of the terms. */
  const always = (terms: readonly Term[]) => {
    const present = terms.flatMap((term) => presence(term, work));
    return terms.some((term) => term.value.kind === 'text' && term.value.text.trim() === '') || (body !== undefined && present.length > 0 && guarantees(body, present, work));
  };
  const required = candidate.terms.filter((term) => term.mode === 'require');
  const optional = candidate.terms.filter((term) => term.mode === 'optional');
  const undecided = required.length > 0 ? required.find((term) => !always([term])) : always(optional) ? undefined : optional[0];
  if (excluded.length === 0 && undecided === undefined) return { verdict: 'covered' };
  const what = excluded.length > 0 ? `lack ${quoted(excluded[0] as Term)}` : `hold ${quoted(undecided as Term)}`;
  return {
    verdict: 'undetermined',
    reason: `the candidate is a term pattern, matched on raw text: trailwatch cannot tell whether every event the reference matches has a text that would ${what}`,
  };
}

function quoted(term: Term): string {
  return term.value.kind === 'text' ? JSON.stringify(term.value.text) : `%${term.value.source}%`;
}

function notCovered(candidate: TermPattern | DelimitedPattern, events: readonly Record<string, unknown>[]): CoverageResult {
  return { verdict: 'not-covered', counterexamples: events.map((event) => JSON.parse(JSON.stringify(event)) as Record<string, unknown>), explanation: explainRawText(candidate, events[0] as Record<string, unknown>) };
}

/** What the raw text of the first missed event lacks or holds. */
function explainRawText(candidate: TermPattern | DelimitedPattern, event: Record<string, unknown>): string {
  if (candidate.kind === 'delimited') return 'misses events the reference matches: a space-delimited pattern is matched on the event\'s raw text, and a JSON event\'s text does not fit its fields';
  const text = JSON.stringify(event);
  const present = (term: Term) => (term.value.kind === 'text' ? term.value.text.trim() === '' || text.includes(term.value.text) : matchesEvent({ ...candidate, terms: [{ ...term, mode: 'require' }] }, event));
  const excluded = candidate.terms.find((term) => term.mode === 'exclude' && present(term));
  if (excluded) return `misses events whose text holds ${quoted(excluded)}, which it excludes: a term pattern is matched on the event's raw text`;
  const missing = candidate.terms.find((term) => term.mode === 'require' && !present(term));
  if (missing) return `misses events whose text does not hold ${quoted(missing)}: a term pattern is matched on the event's raw text`;
  const optional = candidate.terms.filter((term) => term.mode === 'optional').map(quoted);
  return `misses events whose text holds none of ${optional.join(', ')}: a term pattern is matched on the event's raw text`;
}

/** The witness with one more top-level field whose name is the term (when JSON writes it as itself). */
function withTermAsKey(event: Record<string, unknown>, term: Term): Record<string, unknown>[] {
  if (term.value.kind !== 'text' || !writtenAsItself(term.value.text) || Object.prototype.hasOwnProperty.call(event, term.value.text)) return [];
  return [{ ...event, [term.value.text]: {} }];
}

/** JSON.stringify writes the text unchanged inside a string (no quote, backslash or control character). */
function writtenAsItself(text: string): boolean {
  return JSON.stringify(text) === `"${text}"`;
}

/** Whether a text holding `text` holds the term. */
type Presence = (text: string) => boolean;

/**
 * The term's test on a part of the text, when passing it there means passing it on the whole: a
 * plain term, or a regex without anchors (a match inside a part is a match inside the whole).
 */
function presence(term: Term, work: Work): Presence[] {
  const value = term.value;
  if (value.kind === 'text') return [(text) => text.includes(value.text)];
  return /[\^$]/.test(value.source) ? [] : [(text) => regexMatches(value.source, text, work)];
}

/**
 * Whether the JSON text of every event matching `expression` holds one of the terms: every way
 * of matching it needs a condition that names a key, or fixes a value, whose text holds one.
 */
function guarantees(expression: JsonExpression, terms: readonly Presence[], work: Work): boolean {
  work.spend(terms.length);
  switch (expression.kind) {
    case 'and':
      return expression.operands.some((operand) => guarantees(operand, terms, work));
    case 'or':
      return expression.operands.every((operand) => guarantees(operand, terms, work));
    default:
      return writtenTexts(expression).some((text) => terms.some((holds) => holds(text)));
  }
}

/** Texts the JSON text of every event satisfying the condition holds. */
function writtenTexts(condition: JsonCondition): string[] {
  // Every condition but NOT EXISTS reaches a value: each key on its path is written.
  if (condition.kind === 'keyword' && condition.test === 'NOT EXISTS') return [];
  const texts = condition.selector.segments.flatMap((segment) => (segment.kind === 'key' && writtenAsItself(segment.name) ? [segment.name] : []));
  if (condition.kind === 'keyword') texts.push(condition.test === 'IS TRUE' ? 'true' : condition.test === 'IS FALSE' ? 'false' : 'null');
  if (condition.kind !== 'comparison' || condition.operator !== '=') return texts;
  const value = condition.value;
  // The value's text (a string, or a number or boolean written as String() writes it) holds every piece of the glob.
  if (value.kind === 'glob') texts.push(...value.pieces.filter((piece) => piece !== '' && writtenAsItself(piece)));
  // A number equal to it is written as String(n); a string equal to it is its text.
  if (value.kind === 'number' && String(value.value) === value.text) texts.push(value.text);
  return texts;
}
