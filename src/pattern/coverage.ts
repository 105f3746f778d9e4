/**
 * Coverage: does `candidate` match every event `reference` matches?
 *
 * Method. The candidate covers the reference iff (reference AND NOT candidate) has no model.
 * Both JSON patterns become one formula over atoms, one atom per distinct condition (selector +
 * test), with the candidate negated into negation normal form. A backtracking search (DPLL
 * without learning) gives atoms truth values: it first picks one way to satisfy the reference,
 * then looks for a way to falsify the candidate, and backtracks as soon as the formula is false
 * under three-valued evaluation or a field cannot take the values asked of it.
 *
 * Fields (selector paths) are independent except through structure (a present `$.a.b` needs
 * `$.a` to be an object, `$.a[2]` needs an array of 3 or more), so a complete choice is realizable
 * iff each node of the selector trie can take a kind (missing, null, object, array, scalar)
 * compatible with its children, decided bottom-up at each leaf of the search. Conditions on one
 * field interact through its value (see field.ts): strings inside some globs and outside others
 * are decided exactly on the product of the globs' automata; numbers exactly by intervals.
 *
 * Fast path: the same search, with nothing to falsify, lists one CloudTrail event per way of
 * satisfying the reference (cached per reference); when the candidate misses one of them, that
 * event is the counter-example and the full search is not needed.
 *
 * Exact (never a wrong answer) for =, !=, presence/absence, wildcards, regexes and numbers
 * (compared with numbers or as text) with &&, || and parentheses. A wildcard selector (`[*]`,
 * `.*`) stands for the disjunction of its condition over enough concrete elements and keys to
 * hold any counter-example (see WildcardSlots). Term and space-delimited patterns (matched on raw
 * text) are 'undetermined' unless the two patterns are the same. Every counter-example is
 * re-checked with matchesEvent before it is returned, and the work is bounded: past the budget
 * the answer is 'undetermined', never a guess.
 */
import { parsePattern } from './parse';
import { printPattern } from './print';
import { evaluateCondition, matchesEvent, select } from './match';
import type { CoverageResult, JsonCondition, JsonExpression, JsonPattern, Pattern, SelectorSegment } from './types';
import { assertNever, isPlainObject } from './util';
import { cloudTrailSkeleton, FIELD_HINTS, TOUCH_UPS } from './cloudtrail';
import { explainMisses } from './explain';
import { decideRawText } from './raw-text';
import { FIELD_KINDS, fieldPossibilities, type FieldKind, type FieldPossibilities, type Requirement, type Tri } from './field';
import { COVERAGE_STEPS, Work, WorkLimitExceeded } from './work';

/** Extra search nodes spent looking for more counter-examples once one is found. */
const EXTRA_NODES = 2_000;
const MAX_COUNTEREXAMPLES = 3;
/** What one node of the search costs, in steps, besides its goals. */
const SEARCH_NODE_STEPS = 32;
/** Steps for the reference's own witnesses (cached per reference) and for an explanation: fixed, so verdicts stay deterministic. */
const WITNESS_STEPS = 100_000;
const EXPLANATION_STEPS = 100_000;

/**
 * Does `candidate` match every event `reference` matches? Within `limit` steps of work (see
 * work.ts): past them the verdict is 'undetermined' with `workLimit` set. Throws
 * PatternSyntaxError when either does not parse.
 */
export function covers(candidate: Pattern | string, reference: Pattern | string, limit = COVERAGE_STEPS): CoverageResult {
  const work = new Work(limit);
  try {
    return decideCoverage(candidate, reference, work);
  } catch (error) {
    if (error instanceof WorkLimitExceeded) return { verdict: 'undetermined', reason: error.message, workLimit: true };
    throw error;
  }
}

/** covers() on a given Work (its `spent` tells what the decision cost); throws WorkLimitExceeded past its limit. */
export function decideCoverage(candidate: Pattern | string, reference: Pattern | string, work: Work): CoverageResult {
  const candidateTree = typeof candidate === 'string' ? parseCached(candidate) : candidate;
  const referenceTree = typeof reference === 'string' ? parseCached(reference) : reference;
  if (canonicalText(candidateTree) === canonicalText(referenceTree)) return { verdict: 'covered' };
  if (matchesEverything(candidateTree)) return { verdict: 'covered' };
  if (referenceTree.kind !== 'json' && !matchesEverything(referenceTree)) {
    return {
      verdict: 'undetermined',
      reason: `the reference is a ${referenceTree.kind === 'terms' ? 'term' : 'space-delimited'} pattern, matched on raw text; coverage is decided for JSON references`,
    };
  }
  if (candidateTree.kind !== 'json') return decideRawText(candidateTree, referenceTree, witnessesOf(referenceTree), witnessesOf(referenceTree, true), work);
  const json = candidateTree as JsonPattern;
  // Fast path: a witness of the reference that the candidate misses is a counter-example already.
  const missed = witnessesOf(referenceTree)
    .events    .filter((event) => !matchesEvent(json, event, work))
    .slice(0, MAX_COUNTEREXAMPLES);
  if (missed.length > 0) {
    return { verdict: 'not-covered', counterexamples: missed.map(copyEvent), explanation: explain(json, referenceTree, missed) };
  }
  return new CoverageSearch(json, referenceTree, MAX_COUNTEREXAMPLES, work).run();
}

/** The explanation, on its own fixed budget (a decision that found its counter-examples is never lost to it). */
function explain(candidate: JsonPattern, reference: Pattern, events: readonly Record<string, unknown>[]): string {
  try {
    return explainMisses(candidate, reference, events, new Work(EXPLANATION_STEPS));
  } catch (error) {
    if (error instanceof WorkLimitExceeded) return 'misses events the reference matches';
    throw error;
  }
}

/** Forgets what earlier decisions learnt (for measuring a decision's cost from scratch). */
export function forgetCoverageCaches(): void {
  witnessCache.clear();
  possibilitiesByContent.clear();
}

/** Events a reference matches, and whether it matches none at all (its search ended without one). */
export interface Witnesses {
  readonly events: readonly Record<string, unknown>[];
  readonly none: boolean;
}

/** Witnesses by the reference's canonical text (callers may parse the same reference again and again). */
const witnessCache = new Map<string, Witnesses>();
/** Witnesses built per reference: one per way of satisfying it, up to this many. */
const MAX_WITNESSES = 32;

/**
 * CloudTrail events the reference matches, one per way of satisfying it (its alternatives in
 * order), built by the same search with nothing to falsify. They depend only on the reference.
 * `bare`: events with nothing but what the reference needs (no CloudTrail skeleton), whose raw
 * text holds as little as can be.
 */
function witnessesOf(reference: Pattern, bare = false): Witnesses {
  const key = `${bare ? 'bare' : 'cloudtrail'}\n${canonicalText(reference)}`;
  let witnesses = witnessCache.get(key);
  if (!witnesses) {
    // Only a shortcut: a small budget of its own, and whatever it finds in it.
    const search = new CoverageSearch(undefined, reference, MAX_WITNESSES, new Work(WITNESS_STEPS), 400, bare);
    let result: CoverageResult;
    try {
      result = search.run();
    } catch (error) {
      if (!(error instanceof WorkLimitExceeded)) throw error;
      result = { verdict: 'undetermined', reason: error.message };
    }
    witnesses = { events: result.verdict === 'not-covered' ? result.counterexamples : [], none: result.verdict === 'covered' };
    if (witnessCache.size >= 256) witnessCache.clear();
    witnessCache.set(key, witnesses);
  }
  return witnesses;
}

function copyEvent(event: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(event)) as Record<string, unknown>;
}

const canonicalTexts = new WeakMap<Pattern, string>();

function canonicalText(pattern: Pattern): string {
  let text = canonicalTexts.get(pattern);
  if (text === undefined) {
    text = printPattern(pattern);
    canonicalTexts.set(pattern, text);
  }
  return text;
}

/** Parsed texts: a scan compares the same few references with many filters (trees are immutable). */
const parsedTexts = new Map<string, Pattern>();

function parseCached(text: string): Pattern {
  let pattern = parsedTexts.get(text);
  if (!pattern) {
    pattern = parsePattern(text);
    if (parsedTexts.size >= 256) parsedTexts.clear();
    parsedTexts.set(text, pattern);
  }
  return pattern;
}

function matchesEverything(pattern: Pattern): boolean {
  return pattern.kind === 'terms' && pattern.terms.every((term) => term.value.kind === 'text' && term.mode !== 'exclude' && term.value.text.trim() === '');
}

function hasWildcard(condition: JsonCondition): boolean {
  return condition.selector.segments.some((segment) => segment.kind === 'anyKey' || segment.kind === 'anyIndex');
}

function conditionsOf(expression: JsonExpression): JsonCondition[] {
  switch (expression.kind) {
    case 'and':
    case 'or':
      return expression.operands.flatMap(conditionsOf);
    default:
      return [expression];
  }
}

/**
 * What wildcard selectors range over, exactly. A condition on `$.a[*].b` holds when it holds on
 * `$.a[i].b` for some element i (NOT EXISTS: when `$.a[i].b` is missing for every i), so over an
 * array of K elements it is the disjunction (conjunction) of the same condition on `$.a[0].b` to
 * `$.a[K-1].b`; `.*` likewise over an object's keys. That is exact for every event whose arrays
 * and objects reached by wildcards have no other elements, and if some event separates the two
 * patterns, one of those does: keep the elements at the indices and keys the patterns name, and
 * one element per wildcard condition that some element satisfies (its witness); dropping the
 * others changes no condition. So K is the highest index named there plus one, plus the number
 * of wildcard conditions; an object gets the keys named there plus that many fresh ones (and no
 * key of the CloudTrail skeleton: materialize leaves them out). The same slots for every
 * condition on the same node, so they all range over the same elements.
 */
class WildcardSlots {
  /** Path keys (pathKey) of the objects a `.*` ranges over. */
  readonly enumerated = new Set<string>();
  private readonly witnesses: number;
  private readonly byNode = new Map<string, readonly Step[]>();

  constructor(private readonly conditions: readonly JsonCondition[]) {
    this.witnesses = new Set(conditions.filter(hasWildcard).map((condition) => printedCondition(condition))).size;
  }

  /** The condition on each concrete path its selector may reach. */
  concrete(condition: JsonCondition, work: Work): JsonCondition[] {
    let paths: Step[][] = [[]];
    for (const segment of condition.selector.segments) {
      const next: Step[][] = [];
      for (const path of paths) {
        work.spend(4);
        if (segment.kind === 'key' || segment.kind === 'index') next.push([...path, segment]);
        else for (const step of this.slotsOf(path, segment.kind, work)) next.push([...path, step]);
      }
      paths = next;
    }
    return paths.map((segments) => ({ ...condition, selector: { ...condition.selector, segments } }));
  }

  private slotsOf(path: readonly Step[], kind: 'anyKey' | 'anyIndex', work: Work): readonly Step[] {
    const key = `${kind}${pathKey(path)}`;
    let slots = this.byNode.get(key);
    if (slots) return slots;
    // The steps the patterns name right below this node (a wildcard above matches any step).
    const names = new Set<string>();
    let indices = 0;
    for (const condition of this.conditions) {
      work.spend(1 + path.length);
      const segments = condition.selector.segments;
      if (segments.length <= path.length || !path.every((step, at) => reaches(segments[at] as SelectorSegment, step))) continue;
      const below = segments[path.length] as SelectorSegment;
      if (below.kind === 'key') names.add(below.name);
      if (below.kind === 'index') indices = Math.max(indices, below.index + 1);
    }
    if (kind === 'anyIndex') {
      slots = Array.from({ length: indices + this.witnesses }, (_, index): Step => ({ kind: 'index', index }));
    } else {
      const fresh: string[] = [];
      for (let number = 1; fresh.length < this.witnesses; number += 1) if (!names.has(`key${number}`)) fresh.push(`key${number}`);
      slots = [...names, ...fresh].map((name): Step => ({ kind: 'key', name }));
      this.enumerated.add(pathKey(path));
    }
    this.byNode.set(key, slots);
    return slots;
  }
}

/** Whether a selector segment can take this concrete step. */
function reaches(segment: SelectorSegment, step: Step): boolean {
  switch (segment.kind) {
    case 'key':
      return step.kind === 'key' && step.name === segment.name;
    case 'index':
      return step.kind === 'index' && step.index === segment.index;
    case 'anyKey':
      return step.kind === 'key';
    case 'anyIndex':
      return step.kind === 'index';
    default:
      return assertNever(segment);
  }
}

function printedCondition(condition: JsonCondition): string {
  const selector = condition.selector.segments
    .map((segment) => (segment.kind === 'key' ? `.${JSON.stringify(segment.name)}` : segment.kind === 'index' ? `[${segment.index}]` : segment.kind === 'anyKey' ? '.*' : '[*]'))
    .join('');
  return `${selector}\u0000${condition.kind === 'keyword' ? condition.test : `${condition.operator} ${valueKey(condition)}`}`;
}

// ---------------------------------------------------------------- formulas over atoms

type Formula =
  | { readonly t: 'const'; readonly value: boolean }
  | { readonly t: 'lit'; readonly atom: number; readonly positive: boolean }
  | { readonly t: 'and' | 'or'; readonly kids: readonly Formula[] };

type Step = { readonly kind: 'key'; readonly name: string } | { readonly kind: 'index'; readonly index: number };

/** A node of the selector trie: one concrete path, the atoms on it, its children. */
interface PathNode {
  readonly steps: readonly Step[];
  readonly key: string;
  readonly label: string;
  readonly children: PathNode[];
  readonly atoms: number[];
  /** What the field can be, by the truth values of its atoms (signature: base-3 digits). */
  readonly possibilities: Map<number | string, FieldPossibilities>;
}

interface Atom {
  readonly condition: JsonCondition;
  readonly node: PathNode;
}

const FALSE = 0;
const TRUE = 1;
const UNDECIDED = 2;
type Truth = typeof FALSE | typeof TRUE | typeof UNDECIDED;

interface Goal {
  readonly formula: Formula;
  /** 'reference': satisfying the reference; 'candidate': falsifying the candidate. */
  readonly phase: 'reference' | 'candidate';
}

type Outcome = 'sat' | 'fail' | 'stop';

class CoverageSearch {
  private readonly atoms: Atom[] = [];
  private readonly atomIds = new Map<string, number>();
  private readonly root: PathNode = { steps: [], key: '', label: '$', children: [], atoms: [], possibilities: new Map() };
  private readonly nodes = new Map<string, PathNode>([['', this.root]]);
  private values = new Int8Array(0);
  private readonly trail: number[] = [];
  private readonly unknownReasons = new Set<string>();
  /** Whether every unknown field was unknown for want of work. */
  private unknownForWork = true;
  private readonly counterexamples: Record<string, unknown>[] = [];
  private visited = 0;
  private limit = Infinity;
  private exhausted = false;
  private readonly referenceFormula: Formula;
  private readonly candidateFormula: Formula;
  /** What wildcard selectors range over (see WildcardSlots). */
  private readonly slots: WildcardSlots;

  /**
   * `candidate` undefined: a pattern that matches nothing (the search then lists the reference's
   * witnesses). `maxNodes`: stop (with what was found) after that many search nodes.
   */
  constructor(
    private readonly candidate: JsonPattern | undefined,
    private readonly reference: Pattern,
    private readonly wanted: number,
    private readonly work: Work,
    private readonly maxNodes = Infinity,
    /** Events without the CloudTrail skeleton: only what the patterns need. */
    private readonly bare = false,
  ) {
    this.slots = new WildcardSlots([...(reference.kind === 'json' ? conditionsOf(reference.body) : []), ...(candidate ? conditionsOf(candidate.body) : [])]);
    this.referenceFormula = reference.kind === 'json' ? this.formulaOf(reference.body, false) : { t: 'const', value: true };
    this.candidateFormula = candidate ? this.formulaOf(candidate.body, true) : { t: 'const', value: true };
    this.values = new Int8Array(this.atoms.length).fill(-1);
  }

  /** The verdict; throws WorkLimitExceeded when the work runs out before any counter-example is found. */
  run(): CoverageResult {
    this.limit = this.maxNodes;
    try {
      this.solve([
        { formula: this.referenceFormula, phase: 'reference' },
        { formula: this.candidateFormula, phase: 'candidate' },
      ]);
    } catch (error) {
      // Counter-examples found before the work ran out settle it.
      if (!(error instanceof WorkLimitExceeded) || this.counterexamples.length === 0) throw error;
    }
    if (this.counterexamples.length > 0) {
      return {
        verdict: 'not-covered',
        counterexamples: this.counterexamples,
        explanation: this.candidate ? explain(this.candidate, this.reference, this.counterexamples) : '',
      };
    }
    if (this.exhausted) return { verdict: 'undetermined', reason: `the search stopped after ${this.maxNodes} nodes` };
    if (this.unknownReasons.size > 0) return { verdict: 'undetermined', reason: [...this.unknownReasons].join('; '), ...(this.unknownForWork ? { workLimit: true } : {}) };
    return { verdict: 'covered' };
  }

  // ---- building

  /** The formula of an expression (negated into negation normal form when `negate`). */
  private formulaOf(expression: JsonExpression, negate: boolean): Formula {
    switch (expression.kind) {
      case 'and':
      case 'or': {
        const kind = (expression.kind === 'and') !== negate ? 'and' : 'or';
        return { t: kind, kids: expression.operands.map((operand) => this.formulaOf(operand, negate)) };
      }
      case 'comparison':
      case 'keyword': {
        if (!hasWildcard(expression)) return { t: 'lit', atom: this.atomOf(expression), positive: !negate };
        // Any element it reaches may satisfy it; NOT EXISTS: none is there.
        const kids = this.slots.concrete(expression, this.work).map((condition): Formula => ({ t: 'lit', atom: this.atomOf(condition), positive: !negate }));
        const existential = !(expression.kind === 'keyword' && expression.test === 'NOT EXISTS');
        return { t: existential !== negate ? 'or' : 'and', kids };
      }
      default:
        return assertNever(expression);
    }
  }

  private atomOf(condition: JsonCondition): number {
    const key = atomKey(condition);
    const known = this.atomIds.get(key);
    if (known !== undefined) return known;
    const node = this.nodeOf(condition.selector.segments as readonly Step[]);
    const id = this.atoms.length;
    this.atoms.push({ condition, node });
    this.atomIds.set(key, id);
    node.atoms.push(id);
    return id;
  }

  private nodeOf(steps: readonly Step[]): PathNode {
    const key = pathKey(steps);
    const known = this.nodes.get(key);
    if (known) return known;
    const parent = this.nodeOf(steps.slice(0, -1));
    const node: PathNode = { steps, key, label: labelOf(steps), children: [], atoms: [], possibilities: new Map() };
    parent.children.push(node);
    this.nodes.set(key, node);
    return node;
  }

  // ---- search

  private truth(formula: Formula): Truth {
    this.work.spend(1);
    switch (formula.t) {
      case 'const':
        return formula.value ? TRUE : FALSE;
      case 'lit': {
        const value = this.values[formula.atom] as number;
        if (value < 0) return UNDECIDED;
        return (value === 1) === formula.positive ? TRUE : FALSE;
      }
      case 'and': {
        let result: Truth = TRUE;
        for (const kid of formula.kids) {
          const truth = this.truth(kid);
          if (truth === FALSE) return FALSE;
          if (truth === UNDECIDED) result = UNDECIDED;
        }
        return result;
      }
      case 'or': {
        let result: Truth = FALSE;
        for (const kid of formula.kids) {
          const truth = this.truth(kid);
          if (truth === TRUE) return TRUE;
          if (truth === UNDECIDED) result = UNDECIDED;
        }
        return result;
      }
      default:
        return assertNever(formula);
    }
  }

  private undo(mark: number): void {
    while (this.trail.length > mark) this.values[this.trail.pop() as number] = -1;
  }

  private solve(goals: readonly Goal[]): Outcome {
    this.visited += 1;
    // A node allocates its goal lists: it costs more than the goals it looks at.
    this.work.spend(SEARCH_NODE_STEPS + 4 * goals.length);
    if (this.visited > this.limit) {
      this.exhausted = true;
      return 'stop';
    }
    const mark = this.trail.length;
    let pending = goals;
    // Propagate: drop satisfied goals, assign literals, open conjunctions; fail on a false goal.
    for (let progressed = true; progressed; ) {
      progressed = false;
      const rest: Goal[] = [];
      for (const goal of pending) {
        const truth = this.truth(goal.formula);
        if (truth === TRUE) continue;
        if (truth === FALSE) {
          this.undo(mark);
          return 'fail';
        }
        const formula = goal.formula;
        if (formula.t === 'lit') {
          this.values[formula.atom] = formula.positive ? 1 : 0;
          this.trail.push(formula.atom);
          if (!this.fieldCanComply(formula.atom)) {
            this.undo(mark);
            return 'fail';
          }
          progressed = true;
        } else if (formula.t === 'and') {
          for (const kid of formula.kids) rest.push({ formula: kid, phase: goal.phase });
          progressed = true;
        } else rest.push(goal);
      }
      pending = rest;
    }
    if (pending.length === 0) {
      const outcome = this.leaf();
      this.undo(mark);
      return outcome;
    }
    const choice = this.pickChoice(pending);
    const others = pending.filter((goal) => goal !== choice);
    const options = (choice.formula as { kids: readonly Formula[] }).kids.filter((kid) => this.truth(kid) !== FALSE);
    let found = false;
    for (const option of options) {
      const outcome = this.solve([{ formula: option, phase: choice.phase }, ...others]);
      if (outcome === 'stop') {
        this.undo(mark);
        return 'stop';
      }
      if (outcome === 'sat') {
        // Falsifying the candidate once is enough; each way of satisfying the reference may
        // give another counter-example.
        if (choice.phase === 'candidate') {
          this.undo(mark);
          return 'sat';
        }
        found = true;
      }
    }
    this.undo(mark);
    return found ? 'sat' : 'fail';
  }

  /** The disjunction to branch on: the reference's first, then the one with fewest options. */
  private pickChoice(pending: readonly Goal[]): Goal {
    const referenceGoals = pending.filter((goal) => goal.phase === 'reference');
    const pool = referenceGoals.length > 0 ? referenceGoals : pending;
    let best = pool[0] as Goal;
    let bestCount = Infinity;
    for (const goal of pool) {
      const count = (goal.formula as { kids: readonly Formula[] }).kids.filter((kid) => this.truth(kid) !== FALSE).length;
      if (count < bestCount) [best, bestCount] = [goal, count];
    }
    return best;
  }

  /** Whether the field of the atom just assigned can still take a value. */
  private fieldCanComply(atom: number): boolean {
    const node = this.atoms[atom]!.node;
    const signature = this.signatureOf(node);
    let result = node.possibilities.get(signature);
    if (!result) {
      // One more requirement only narrows what the field can be: derive from the result without it.
      const value = this.values[atom] as number;
      this.values[atom] = -1;
      const before = node.possibilities.get(this.signatureOf(node));
      this.values[atom] = value;
      result = before && narrowed(before, this.atoms[atom]!.condition, value === 1, this.work);
      if (result) node.possibilities.set(signature, result);
      else result = this.possibilitiesOf(node);
    }
    const kinds = result.kinds;
    return FIELD_KINDS.some((kind) => kinds[kind] !== 'no');
  }

  private signatureOf(node: PathNode): number | string {
    this.work.spend(node.atoms.length);
    if (node.atoms.length > 30) return node.atoms.map((atom) => this.values[atom]).join(',');
    let signature = 0;
    for (const atom of node.atoms) signature = signature * 3 + ((this.values[atom] as number) + 1);
    return signature;
  }

  private possibilitiesOf(node: PathNode): FieldPossibilities {
    const signature = this.signatureOf(node);
    let result = node.possibilities.get(signature);
    if (!result) {
      const requirements: Requirement[] = [];
      for (const atom of node.atoms) {
        const value = this.values[atom] as number;
        if (value >= 0) requirements.push({ condition: this.atoms[atom]!.condition, want: value === 1 });
      }
      result = sharedPossibilities(node, requirements, () => this.preferredValues(node), this.bare, this.work);
      node.possibilities.set(signature, result);
    }
    return result;
  }

  private preferredValues(node: PathNode): unknown[] {
    if (this.bare) return [];
    const fromSkeleton = select(cloudTrailSkeleton(), node.steps);
    return [...fromSkeleton, ...(FIELD_HINTS[node.label] ?? [])];
  }

  // ---- leaves: is the assignment realizable, and by which event?

  private leaf(): Outcome {
    const analysis = new Map<PathNode, NodeAnalysis>();
    const reasons: string[] = [];
    const analyse = (node: PathNode): NodeAnalysis => {
      this.work.spend(1 + node.children.length);
      if (node !== this.root && !this.constrained(node)) {
        analysis.set(node, UNCONSTRAINED);
        return UNCONSTRAINED;
      }
      const own = node === this.root ? undefined : this.possibilitiesOf(node);
      if (own?.kinds.scalar === 'unknown' && own.reason) {
        reasons.push(own.reason);
        if (!own.workLimit) this.unknownForWork = false;
      }
      const result = analyseNode(node, own, node.children.map(analyse));
      analysis.set(node, result);
      return result;
    };
    const root = analyse(this.root);
    if (root.kinds.object === 'no') return 'fail';
    if (root.kinds.object === 'unknown') {
      for (const reason of reasons) this.unknownReasons.add(reason);
      return 'fail';
    }
    const event = this.counterexample(analysis);
    if (!event) return 'fail';
    this.counterexamples.push(event);
    if (this.counterexamples.length === 1) this.limit = Math.min(this.limit, this.visited + EXTRA_NODES);
    return this.counterexamples.length >= this.wanted ? 'stop' : 'sat';
  }

  /** Whether any atom of the node's subtree has a truth value yet. */
  private constrained(node: PathNode): boolean {
    this.work.spend(1);
    for (const atom of node.atoms) if ((this.values[atom] as number) >= 0) return true;
    for (const child of node.children) if (this.constrained(child)) return true;
    return false;
  }

  private counterexample(analysis: ReadonlyMap<PathNode, NodeAnalysis>): Record<string, unknown> | undefined {
    const event = materialize(this.root, 'object', this.bare ? {} : cloudTrailSkeleton(), analysis, (node) => this.possibilitiesOf(node), this.slots.enumerated, this.work) as Record<string, unknown>;
    if (!this.separates(event)) {
      this.unknownReasons.add('internal check failed: a constructed counter-example did not verify');
      this.unknownForWork = false;
      return undefined;
    }
    let result = event;
    for (const touchUp of this.bare ? [] : TOUCH_UPS) {
      this.work.spend(8);
      const touched = touchUp(result);
      if (touched && this.separates(touched)) result = touched;
    }
    return result;
  }

  private separates(event: Record<string, unknown>): boolean {
    return matchesEvent(this.reference, event, this.work) && !(this.candidate && matchesEvent(this.candidate, event, this.work));
  }
}

const KIND_VALUES: Readonly<Record<Exclude<FieldKind, 'scalar'>, readonly unknown[]>> = { missing: [], null: [null], object: [{}], array: [[]] };

/**
 * `before` with one more requirement, when that is cheap to tell: the fixed kinds are evaluated
 * directly and a scalar witness that still fits stays. Undefined when the scalar needs a new search.
 */
function narrowed(before: FieldPossibilities, condition: JsonCondition, want: boolean, work: Work): FieldPossibilities | undefined {
  const scalar = before.kinds.scalar;
  if (scalar === 'unknown') return undefined;
  if (scalar === 'yes' && (before.witness === undefined || evaluateCondition(condition, [before.witness], work) !== want)) return undefined;
  const fixed = (kind: Exclude<FieldKind, 'scalar'>): Tri =>
    before.kinds[kind] === 'no' || evaluateCondition(condition, KIND_VALUES[kind], work) !== want ? 'no' : before.kinds[kind];
  return {
    kinds: { missing: fixed('missing'), null: fixed('null'), object: fixed('object'), array: fixed('array'), scalar },
    witness: before.witness,
  };
}

/**
 * Field possibilities by content: the same references meet the same filters scan after scan. Each
 * is computed on a fresh Work and remembers what it cost; a decision that reuses it pays that cost
 * again, so what a decision may spend never depends on what ran before it.
 */
const possibilitiesByContent = new Map<string, { readonly result: FieldPossibilities; readonly cost: number }>();

function sharedPossibilities(node: PathNode, requirements: readonly Requirement[], preferred: () => unknown[], bare: boolean, work: Work): FieldPossibilities {
  const key = `${bare ? 'bare' : ''}${node.key}\n${requirements
    .map((requirement) => `${requirement.want ? '+' : '-'}${atomKey(requirement.condition)}`)
    .sort()
    .join('\n')}`;
  work.spend(1 + (key.length >> 4));
  const known = possibilitiesByContent.get(key);
  if (known) {
    work.spend(known.cost);
    return known.result;
  }
  const own = new Work(work.remaining);
  try {
    const result = fieldPossibilities(requirements, preferred(), node.label, own);
    if (possibilitiesByContent.size >= 20_000) possibilitiesByContent.clear();
    possibilitiesByContent.set(key, { result, cost: own.spent });
    return result;
  } finally {
    work.spend(own.spent);
  }
}

const atomKeys = new WeakMap<JsonCondition, string>();

/** Equal for conditions that test the same path the same way, whatever their spelling. */
function atomKey(condition: JsonCondition): string {
  let key = atomKeys.get(condition);
  if (key === undefined) {
    const test = condition.kind === 'keyword' ? condition.test : `${condition.operator} ${valueKey(condition)}`;
    key = `${pathKey(condition.selector.segments as readonly Step[])}\u0000${test}`;
    atomKeys.set(condition, key);
  }
  return key;
}

function pathKey(steps: readonly Step[]): string {
  let key = '';
  for (const step of steps) key += step.kind === 'key' ? `.${JSON.stringify(step.name)}` : `[${step.index}]`;
  return key;
}

function valueKey(condition: JsonCondition & { kind: 'comparison' }): string {
  const value = condition.value;
  switch (value.kind) {
    case 'glob':
      return `glob:${JSON.stringify(value.pieces)}`;
    case 'number':
      return `number:${value.text}`;
    case 'regex':
      return `regex:${value.source}`;
    default:
      return assertNever(value);
  }
}

function labelOf(steps: readonly Step[]): string {
  return steps
    .map((step, index) => {
      if (step.kind === 'index') return `[${step.index}]`;
      const simple = /^[A-Za-z0-9_-]+$/.test(step.name);
      return simple ? `${index === 0 ? '' : '.'}${step.name}` : `['${step.name}']`;
    })
    .join('');
}

// ---------------------------------------------------------------- the selector trie, bottom-up

interface NodeAnalysis {
  /** Whether the node can be each kind with a consistent subtree. */
  readonly kinds: Readonly<Record<FieldKind, Tri>>;
  /** For an array: the lengths that work with the index children. */
  readonly lengths: readonly { readonly length: number; readonly tri: Tri }[];
}

/** A subtree without constraints can be anything (its own children absent). */
const UNCONSTRAINED: NodeAnalysis = {
  kinds: { missing: 'yes', null: 'yes', object: 'yes', array: 'yes', scalar: 'yes' },
  lengths: [{ length: 0, tri: 'yes' }],
};

function all(values: readonly Tri[]): Tri {
  if (values.includes('no')) return 'no';
  return values.includes('unknown') ? 'unknown' : 'yes';
}

function any(values: readonly Tri[]): Tri {
  if (values.includes('yes')) return 'yes';
  return values.includes('unknown') ? 'unknown' : 'no';
}

function present(analysis: NodeAnalysis): Tri {
  return any([analysis.kinds.null, analysis.kinds.scalar, analysis.kinds.object, analysis.kinds.array]);
}

function stepOf(node: PathNode): Step {
  return node.steps[node.steps.length - 1] as Step;
}

function analyseNode(node: PathNode, own: FieldPossibilities | undefined, children: readonly NodeAnalysis[]): NodeAnalysis {
  const local: Record<FieldKind, Tri> = own ? { ...own.kinds } : { missing: 'no', null: 'no', object: 'yes', array: 'no', scalar: 'no' };
  const keyed = node.children.map((child, index) => ({ child, analysis: children[index] as NodeAnalysis }));
  const absent = keyed.map(({ analysis }) => analysis.kinds.missing);
  const keyChildren = keyed.filter(({ child }) => stepOf(child).kind === 'key');
  const indexChildren = keyed.filter(({ child }) => stepOf(child).kind === 'index');
  const lengths = [0, ...indexChildren.map(({ child }) => (stepOf(child) as { index: number }).index + 1)]
    .filter((length, index, list) => list.indexOf(length) === index)
    .map((length) => ({
      length,
      tri: all(indexChildren.map(({ child, analysis }) => ((stepOf(child) as { index: number }).index < length ? present(analysis) : analysis.kinds.missing))),
    }));
  const kinds: Record<FieldKind, Tri> = {
    missing: all([local.missing, ...absent]),
    null: all([local.null, ...absent]),
    scalar: all([local.scalar, ...absent]),
    object: all([
      local.object,
      ...keyChildren.map(({ analysis }) => any(FIELD_KINDS.map((kind) => analysis.kinds[kind]))),
      ...indexChildren.map(({ analysis }) => analysis.kinds.missing),
    ]),
    array: all([local.array, ...keyChildren.map(({ analysis }) => analysis.kinds.missing), any(lengths.map((option) => option.tri))]),
  };
  return { kinds, lengths };
}

const MISSING = Symbol('missing');
/** Kinds tried when the skeleton gives no hint: set a value rather than invent structure. */
const KIND_ORDER: readonly FieldKind[] = ['scalar', 'object', 'null', 'array', 'missing'];

function kindOfValue(value: unknown): FieldKind {
  if (value === MISSING || value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value === 'object' ? 'object' : 'scalar';
}

/** Builds the value of `node` as `kind`, starting from the skeleton's value `base`. */
function materialize(
  node: PathNode,
  kind: FieldKind,
  base: unknown,
  analysis: ReadonlyMap<PathNode, NodeAnalysis>,
  possibilitiesOf: (node: PathNode) => FieldPossibilities,
  enumerated: ReadonlySet<string>,
  work: Work,
): unknown {
  work.spend(1 + node.children.length);
  const own = analysis.get(node) as NodeAnalysis;
  switch (kind) {
    case 'missing':
      return MISSING;
    case 'null':
      return null;
    case 'scalar': {
      const possibilities = node.steps.length > 0 ? possibilitiesOf(node) : undefined;
      if (possibilities?.witness !== undefined) return possibilities.witness;
      return typeof base === 'string' || typeof base === 'number' || typeof base === 'boolean' ? base : 'example';
    }
    case 'object': {
      // An object a `.*` ranges over holds only the keys the search gave it: any other would be one more value to compare.
      const object: Record<string, unknown> = isPlainObject(base) && !enumerated.has(node.key) ? { ...base } : {};
      for (const child of node.children) {
        const step = stepOf(child);
        // An unconstrained field keeps the skeleton's value (or its absence).
        if (step.kind !== 'key' || analysis.get(child) === UNCONSTRAINED) continue;
        const childBase = Object.prototype.hasOwnProperty.call(object, step.name) ? object[step.name] : MISSING;
        const childKind = preferredKind(analysis.get(child) as NodeAnalysis, childBase);
        const value = materialize(child, childKind, childBase, analysis, possibilitiesOf, enumerated, work);
        if (value === MISSING) delete object[step.name];
        else Object.defineProperty(object, step.name, { value, enumerable: true, writable: true, configurable: true });
      }
      return object;
    }
    case 'array': {
      const option = own.lengths.find((candidate) => candidate.tri === 'yes') as { length: number };
      const array: unknown[] = Array.isArray(base) ? base.slice(0, option.length) : [];
      while (array.length < option.length) array.push(null);
      for (const child of node.children) {
        const step = stepOf(child);
        if (step.kind !== 'index' || step.index >= option.length || analysis.get(child) === UNCONSTRAINED) continue;
        const childAnalysis = analysis.get(child) as NodeAnalysis;
        const childKind = preferredKind(childAnalysis, array[step.index], true);
        array[step.index] = materialize(child, childKind, array[step.index], analysis, possibilitiesOf, enumerated, work);
      }
      return array;
    }
    default:
      return assertNever(kind);
  }
}

/** The kind to build: the skeleton's own if possible, else absent if possible, else the first possible. */
function preferredKind(analysis: NodeAnalysis, base: unknown, mustBePresent = false): FieldKind {
  const possible = (kind: FieldKind) => analysis.kinds[kind] === 'yes' && !(mustBePresent && kind === 'missing');
  const baseKind = kindOfValue(base);
  if (possible(baseKind)) return baseKind;
  if (base === MISSING && possible('missing')) return 'missing';
  return KIND_ORDER.find(possible) as FieldKind;
}
