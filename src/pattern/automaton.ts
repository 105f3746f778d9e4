/**
 * Automata for the text conditions of filter patterns. CloudWatch's regex subset has no groups
 * and `*` globs are plain wildcards, so both describe regular languages, and both have the same
 * shape: `|`-separated branches, each a sequence of anchors and quantified character sets. A glob
 * is one branch anchored at both ends (`a*b` is `^a.*b$` with `.` any character).
 *
 * The automaton keeps that shape instead of unrolling repetitions into states: where a branch is
 * is one bit set per item, the counts of characters the item may have read so far (an item
 * `a{1000}` is 32 words, not 1000 states). Reading a character shifts the bits of every item whose
 * set holds it; an item that has read its minimum passes on to the next one. So:
 *
 * - matching (`LazyDfa`): a configuration of all bit sets is a DFA state, built the first time it
 *   is reached and remembered for the Work, so a text costs one step per character once its
 *   states exist, and `%a{1000}a{1000}...%` stays linear;
 * - searching for a text inside some automata and outside others (`findTexts`): breadth first
 *   over the product of a single position in each automaton it must match (an NFA path: linear in
 *   the automaton) and the DFA state of each it must not match (the only exponential part, bounded
 *   by the Work).
 *
 * Anchors follow JavaScript without flags: `^` holds only at position 0, `$` only at the end. A
 * regex matches anywhere in the text: every position may start a branch again.
 */
import { alphabetClasses, ANY_CHARACTER, has, single, type CharSet } from './charset';
import type { Work } from './work';

export type AutomatonItem =
  | { readonly kind: 'start' }
  | { readonly kind: 'end' }
  | { readonly kind: 'set'; readonly set: CharSet; readonly min: number; readonly max: number };

/** What building a new DFA or product state costs, in steps, besides its size (allocation and its collection). */
const NEW_STATE_STEPS = 48;
/** What a lookup that builds a small key or list costs, in steps. */
const LOOKUP_STEPS = 8;
/** DFA states a Work keeps per automaton while matching texts. */
const MAX_KEPT_STATES = 256;

/** An automaton: branches of items, laid out as bit sets in one word array. */
export class TextAutomaton {
  /** Items of every branch, one after the other. */
  readonly items: readonly AutomatonItem[];
  /** Per item: its branch's first and last item. */
  private readonly branchFirst: Int32Array;
  private readonly branchLast: Int32Array;
  /** Per item: the word where its bit set starts, how many words, the highest count kept. */
  private readonly offsets: Int32Array;
  private readonly widths: Int32Array;
  private readonly caps: Int32Array;
  /** First item of each branch. */
  readonly entries: readonly number[];
  /** Words of a configuration; the last one holds the "matched" flag. */
  readonly size: number;
  /** Per item: the first position id of its counts (positions number every (item, count)). */
  private readonly positionBase: Int32Array;
  readonly sets: readonly CharSet[];
  /** Every branch starts with `^`: a match can only start at position 0. */
  readonly anchoredStart: boolean;

  constructor(branches: readonly (readonly AutomatonItem[])[]) {
    const items: AutomatonItem[] = [];
    const first: number[] = [];
    const last: number[] = [];
    const entries: number[] = [];
    for (const branch of branches) {
      const start = items.length;
      // An empty branch matches the empty text: an item that reads nothing.
      const own = branch.length > 0 ? branch : [{ kind: 'set', set: [], min: 0, max: 0 } as const];
      entries.push(start);
      for (const item of own) {
        items.push(item);
        first.push(start);
      }
      for (let index = start; index < items.length; index += 1) last.push(items.length - 1);
    }
    this.items = items;
    this.entries = entries;
    this.branchFirst = Int32Array.from(first);
    this.branchLast = Int32Array.from(last);
    this.offsets = new Int32Array(items.length);
    this.widths = new Int32Array(items.length);
    this.caps = new Int32Array(items.length);
    this.positionBase = new Int32Array(items.length);
    let words = 0;
    let positions = 0;
    items.forEach((item, index) => {
      const cap = item.kind === 'set' ? (Number.isFinite(item.max) ? item.max : item.min) : 0;
      this.caps[index] = cap;
      this.offsets[index] = words;
      this.widths[index] = (cap >> 5) + 1;
      this.positionBase[index] = positions;
      words += (cap >> 5) + 1;
      positions += cap + 1;
    });
    this.size = words + 1;
    this.sets = [...new Set(items.flatMap((item) => (item.kind === 'set' ? [item.set] : [])))];
    this.anchoredStart = branches.every((branch) => branch[0]?.kind === 'start');
  }

  /** The configuration before any character: every branch entered at position 0. */
  initialConfiguration(work: Work): Uint32Array {
    const configuration = new Uint32Array(this.size);
    this.enterAll(configuration);
    this.close(configuration, true, false, work);
    return configuration;
  }

  /** The configuration after reading `code`, in `into` when given (the argument is left as it was). */
  step(configuration: Uint32Array, code: number, work: Work, into?: Uint32Array): Uint32Array {
    const next = into ? (into.fill(0), into) : new Uint32Array(this.size);
    next[this.size - 1] = configuration[this.size - 1] as number;
    work.spend(this.size + this.items.length);
    if (next[this.size - 1] === 1) return next;
    for (let index = 0; index < this.items.length; index += 1) {
      const item = this.items[index] as AutomatonItem;
      if (item.kind === 'set' && has(item.set, code)) this.shift(configuration, next, index);
    }
    if (!this.anchoredStart) this.enterAll(next);
    this.close(next, false, false, work);
    return next;
  }

  matched(configuration: Uint32Array): boolean {
    return configuration[this.size - 1] === 1;
  }

  /** Whether the text read so far is accepted where it ends. */
  acceptsAtEnd(configuration: Uint32Array, atStart: boolean, work: Work): boolean {
    if (this.matched(configuration)) return true;
    const copy = Uint32Array.from(configuration);
    this.close(copy, atStart, true, work);
    return this.matched(copy);
  }

  /** No text can lead to a match any more. */
  isDead(configuration: Uint32Array): boolean {
    if (!this.anchoredStart || this.matched(configuration)) return false;
    for (let index = 0; index < this.size; index += 1) if (configuration[index] !== 0) return false;
    return true;
  }

  private enterAll(configuration: Uint32Array): void {
    for (const entry of this.entries) configuration[this.offsets[entry] as number]! |= 1;
  }

  /** Count c of item `index` becomes c + 1 (kept at the minimum once past it, when unbounded). */
  private shift(from: Uint32Array, to: Uint32Array, index: number): void {
    const item = this.items[index] as { min: number; max: number };
    const offset = this.offsets[index] as number;
    const width = this.widths[index] as number;
    const cap = this.caps[index] as number;
    let carry = 0;
    for (let word = 0; word < width; word += 1) {
      const value = from[offset + word] as number;
      to[offset + word] = ((value << 1) | carry) >>> 0;
      carry = value >>> 31;
    }
    // Drop counts above the cap; an unbounded item keeps every count past its minimum as the minimum.
    const top = offset + (cap >> 5);
    const mask = (cap & 31) === 31 ? 0xffffffff : ((1 << ((cap & 31) + 1)) - 1) >>> 0;
    const overflow = ((to[top] as number) & ~mask) !== 0 || (!Number.isFinite(item.max) && this.hasBit(from, index, cap));
    to[top] = ((to[top] as number) & mask) >>> 0;
    if (!Number.isFinite(item.max) && overflow) to[top] = ((to[top] as number) | (1 << (cap & 31))) >>> 0;
  }

  private hasBit(configuration: Uint32Array, index: number, count: number): boolean {
    return (((configuration[(this.offsets[index] as number) + (count >> 5)] as number) >>> (count & 31)) & 1) === 1;
  }

  /** Whether the item holds a count it may leave with (at least its minimum; an anchor that holds). */
  private canLeave(configuration: Uint32Array, index: number, atStart: boolean, atEnd: boolean): boolean {
    const item = this.items[index] as AutomatonItem;
    if (item.kind === 'start') return atStart && this.hasBit(configuration, index, 0);
    if (item.kind === 'end') return atEnd && this.hasBit(configuration, index, 0);
    const offset = this.offsets[index] as number;
    const cap = this.caps[index] as number;
    for (let word = item.min >> 5; word <= cap >> 5; word += 1) {
      let value = configuration[offset + word] as number;
      if (word === item.min >> 5) value = (value >>> (item.min & 31)) << (item.min & 31);
      if (value !== 0) return true;
    }
    return false;
  }

  /** Passes every item that may be left on to the next one (or to a match at a branch's end). */
  private close(configuration: Uint32Array, atStart: boolean, atEnd: boolean, work: Work): void {
    work.spend(this.items.length);
    for (let index = 0; index < this.items.length; index += 1) {
      const item = this.items[index] as AutomatonItem;
      // A `^` that does not hold now never will.
      if (item.kind === 'start' && !atStart) configuration[this.offsets[index] as number] = 0;
      if (!this.canLeave(configuration, index, atStart, atEnd)) continue;
      if (index === this.branchLast[index]) configuration[this.size - 1] = 1;
      else configuration[this.offsets[index + 1] as number]! |= 1;
    }
  }

  // ---- single positions, for the texts an automaton must accept (an NFA path)

  /** A position: an item and the count it has read (position ids number them); MATCHED after a branch's end. */
  static readonly MATCHED = -1;
  /** Before a match has started (only where a branch may start anywhere). */
  static readonly BEFORE = -2;

  private position(index: number, count: number): number {
    return (this.positionBase[index] as number) + count;
  }

  private itemOf(position: number): { index: number; count: number } {
    let low = 0;
    let high = this.items.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.positionBase[middle] as number) <= position) low = middle;
      else high = middle - 1;
    }
    return { index: low, count: position - (this.positionBase[low] as number) };
  }

  /** Positions reachable from entering `index` with `count` read, without reading. */
  private closePosition(index: number, count: number, atStart: boolean, atEnd: boolean, out: Set<number>, work: Work): void {
    let current = index;
    let read = count;
    for (;;) {
      work.spend(1);
      const item = this.items[current] as AutomatonItem;
      if (item.kind === 'set') {
        if (read < (Number.isFinite(item.max) ? item.max : Number.POSITIVE_INFINITY)) out.add(this.position(current, Math.min(read, this.caps[current] as number)));
        if (read < item.min) return;
      } else if (item.kind === 'start' ? !atStart : !atEnd) {
        if (item.kind === 'end') out.add(this.position(current, 0));
        return;
      }
      if (current === this.branchLast[current]) {
        out.add(TextAutomaton.MATCHED);
        return;
      }
      current += 1;
      read = 0;
    }
  }

  /** Where a path may be at position 0. */
  initialPositions(work: Work): number[] {
    const out = new Set<number>();
    if (!this.anchoredStart) out.add(TextAutomaton.BEFORE);
    for (const entry of this.entries) this.closePosition(entry, 0, true, false, out, work);
    return [...out];
  }

  /** Where a path at `position` may be after reading `code`. */
  nextPositions(position: number, code: number, work: Work): number[] {
    if (position === TextAutomaton.MATCHED) return [TextAutomaton.MATCHED];
    const out = new Set<number>();
    if (position === TextAutomaton.BEFORE) {
      out.add(TextAutomaton.BEFORE);
      for (const entry of this.entries) this.closePosition(entry, 0, false, false, out, work);
      return [...out];
    }
    const { index, count } = this.itemOf(position);
    const item = this.items[index] as AutomatonItem;
    work.spend(LOOKUP_STEPS);
    if (item.kind !== 'set' || !has(item.set, code)) return [];
    this.closePosition(index, count + 1, false, false, out, work);
    return [...out];
  }

  /** Whether a path at `position` is accepted if the text ends here. */
  positionAcceptsAtEnd(position: number, atStart: boolean, work: Work): boolean {
    if (position === TextAutomaton.MATCHED) return true;
    const out = new Set<number>();
    if (position === TextAutomaton.BEFORE) {
      for (const entry of this.entries) this.closePosition(entry, 0, atStart, true, out, work);
    } else {
      const { index, count } = this.itemOf(position);
      this.closePosition(index, count, atStart, true, out, work);
    }
    return out.has(TextAutomaton.MATCHED);
  }
}

/** The whole-text automaton of a glob (`pieces` joined by `*`; a literal is one piece). */
export function globAutomaton(pieces: readonly string[]): TextAutomaton {
  const items: AutomatonItem[] = [{ kind: 'start' }];
  pieces.forEach((piece, index) => {
    if (index > 0) items.push({ kind: 'set', set: ANY_CHARACTER, min: 0, max: Number.POSITIVE_INFINITY });
    for (let at = 0; at < piece.length; at += 1) items.push({ kind: 'set', set: single(piece.charCodeAt(at)), min: 1, max: 1 });
  });
  items.push({ kind: 'end' });
  return new TextAutomaton([items]);
}

/** A hash of a configuration (FNV-1a over its words). */
function configurationHash(configuration: Uint32Array, initial: boolean): number {
  let hash = initial ? 0x811c9dc5 ^ 1 : 0x811c9dc5;
  for (let index = 0; index < configuration.length; index += 1) hash = Math.imul(hash ^ (configuration[index] as number), 0x01000193);
  return hash >>> 0;
}

function sameConfiguration(a: Uint32Array, b: Uint32Array): boolean {
  for (let index = 0; index < a.length; index += 1) if (a[index] !== b[index]) return false;
  return true;
}

/** A DFA state: one configuration, interned. */
export interface DfaState {
  readonly id: number;
  readonly configuration: Uint32Array;
  readonly initial: boolean;
  readonly matched: boolean;
  byCode?: Map<number, DfaState>;
  acceptsAtEnd?: boolean;
}

/**
 * An automaton determinized on demand, for one Work: its states are built (and charged) once
 * each, so what a decision costs never depends on what another decision built before.
 */
export class LazyDfa {
  /** States by the hash of their configuration. */
  private readonly interned = new Map<number, DfaState[]>();
  private count = 0;
  readonly initial: DfaState;

  constructor(
    readonly automaton: TextAutomaton,
    private readonly work: Work,
  ) {
    work.spend(automaton.items.length);
    this.initial = this.intern(automaton.initialConfiguration(work), true);
  }

  get stateCount(): number {
    return this.count;
  }

  isDead(state: DfaState): boolean {
    return this.automaton.isDead(state.configuration);
  }

  next(state: DfaState, code: number): DfaState {
    if (state.matched) return state;
    this.work.spend(1);
    const known = state.byCode?.get(code);
    if (known) return known;
    const next = this.intern(this.automaton.step(state.configuration, code, this.work), false);
    (state.byCode ??= new Map()).set(code, next);
    return next;
  }

  acceptsAtEnd(state: DfaState): boolean {
    state.acceptsAtEnd ??= this.automaton.acceptsAtEnd(state.configuration, state.initial, this.work);
    return state.acceptsAtEnd;
  }

  /**
   * Does the automaton accept `text`? One step per character, more for states reached the first
   * time. Past MAX_KEPT_STATES states it stops keeping new ones (a long text through a counted
   * repetition reaches a new state at every character): it reads on without remembering them.
   */
  accepts(text: string): boolean {
    let state = this.initial;
    let spare: Uint32Array | undefined;
    for (let index = 0; index < text.length; index += 1) {
      if (state.matched) return true;
      if (this.isDead(state)) return false;
      const code = text.charCodeAt(index);
      const known = state.byCode?.get(code);
      if (known || this.count < MAX_KEPT_STATES) {
        state = known ? (this.work.spend(1), known) : this.next(state, code);
        continue;
      }
      // Two buffers in turn: nothing to allocate or collect per character.
      const into = state.id === -1 && spare ? spare : new Uint32Array(this.automaton.size);
      spare = state.id === -1 ? state.configuration : undefined;
      const configuration = this.automaton.step(state.configuration, code, this.work, into);
      state = { id: -1, configuration, initial: false, matched: this.automaton.matched(configuration) };
    }
    return this.acceptsAtEnd(state);
  }

  private intern(configuration: Uint32Array, initial: boolean): DfaState {
    this.work.spend(configuration.length);
    const hash = configurationHash(configuration, initial);
    const bucket = this.interned.get(hash);
    const known = bucket?.find((state) => state.initial === initial && sameConfiguration(state.configuration, configuration));
    if (known) return known;
    this.work.spend(NEW_STATE_STEPS);
    const state: DfaState = { id: this.count, configuration, initial, matched: this.automaton.matched(configuration) };
    this.count += 1;
    if (bucket) bucket.push(state);
    else this.interned.set(hash, [state]);
    return state;
  }
}

/**
 * Texts accepted by every automaton of `include` and by none of `exclude`, shortest first (up to
 * `wanted`); none when there are none. Breadth first over the product of a position in each
 * automaton to accept and the DFA state of each to refuse, on one representative character per
 * class of characters they tell apart: an empty answer means no such text exists. Every product
 * state is paid for.
 */
export function findTexts(include: readonly TextAutomaton[], exclude: readonly TextAutomaton[], wanted: number, work: Work): string[] {
  const dfas = exclude.map((automaton) => work.automaton(automaton));
  const alphabet = alphabetClasses(
    [...include, ...exclude].flatMap((automaton) => automaton.sets),
    work,
  ).sort((a, b) => readability(a) - readability(b));

  interface Node {
    readonly positions: readonly number[];
    readonly states: readonly DfaState[];
    readonly parent: number;
    readonly code: number;
  }
  const nodes: Node[] = [];
  const seen = new Set<string>();
  const add = (positions: readonly number[], states: readonly DfaState[], parent: number, code: number) => {
    // A key to build and look up even when the node is known.
    work.spend(LOOKUP_STEPS + positions.length + states.length);
    const key = `${positions.join(',')}|${states.map((state) => state.id).join(',')}`;
    if (seen.has(key)) return;
    work.spend(NEW_STATE_STEPS);
    seen.add(key);
    nodes.push({ positions, states, parent, code });
  };
  const textOf = (index: number): string => {
    const codes: number[] = [];
    for (let at = index; (nodes[at] as Node).parent >= 0; at = (nodes[at] as Node).parent) codes.push((nodes[at] as Node).code);
    work.spend(codes.length);
    return String.fromCharCode(...codes.reverse());
  };

  for (const positions of combinations(include.map((automaton) => automaton.initialPositions(work)), work)) {
    add(positions, dfas.map((dfa) => dfa.initial), -1, -1);
  }
  const found = new Set<string>();
  for (let index = 0; index < nodes.length; index += 1) {
    const { positions, states, parent } = nodes[index] as Node;
    const atStart = parent < 0;
    // An automaton to refuse that has matched for good rules out every continuation.
    if (states.some((state) => state.matched)) continue;
    const accepted =
      positions.every((position, at) => (include[at] as TextAutomaton).positionAcceptsAtEnd(position, atStart, work)) &&
      states.every((state, at) => !(dfas[at] as LazyDfa).acceptsAtEnd(state));
    if (accepted) {
      found.add(textOf(index));
      if (found.size >= wanted) return [...found];
    }
    for (const code of alphabet) {
      const options = positions.map((position, at) => (include[at] as TextAutomaton).nextPositions(position, code, work));
      if (options.some((list) => list.length === 0)) continue;
      const nextStates = states.map((state, at) => (dfas[at] as LazyDfa).next(state, code));
      for (const next of combinations(options, work)) add(next, nextStates, index, code);
    }
  }
  return [...found];
}

/** Every way of picking one element of each list. */
function combinations(lists: readonly (readonly number[])[], work: Work): number[][] {
  if (lists.length === 0) return [[]];
  if (lists.length === 1) {
    work.spend((lists[0] as readonly number[]).length);
    return (lists[0] as readonly number[]).map((element) => [element]);
  }
  let result: number[][] = [[]];
  for (const list of lists) {
    work.spend(result.length * list.length);
    result = result.flatMap((prefix) => list.map((element) => [...prefix, element]));
  }
  return result;
}

const READABLE_ORDER = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:/ ';

/** Counter-examples read better with letters than with punctuation or control characters. */
function readability(code: number): number {
  const at = READABLE_ORDER.indexOf(String.fromCharCode(code));
  return at >= 0 ? at : code < 0x7f && code >= 0x20 ? 100 + code : 1000 + code;
}

/** A deterministic automaton given by its transitions, over a finite language (every path ends). */
export interface FiniteShape<State extends { readonly key: string }> {
  readonly initial: State;
  /** The state after `code`; undefined when no text of the language goes on so. */
  next(state: State, code: number): State | undefined;
  accepts(state: State): boolean;
}

/**
 * The first text (depth first, characters in `alphabet` order) in the language of `shape`,
 * accepted by every automaton of `include` and by none of `exclude`, for which `accept` holds;
 * undefined when there is none. Unlike findTexts it looks at every text, not one per product
 * state, so `accept` may test what no automaton tells (how a number prints); the shape's finite
 * language makes every path end, and a product state with no accepted text below it is
 * remembered and never searched again. Every product state and step is paid for.
 */
export function findTextWhere<State extends { readonly key: string }>(
  shape: FiniteShape<State>,
  include: readonly TextAutomaton[],
  exclude: readonly TextAutomaton[],
  alphabet: readonly number[],
  accept: (text: string) => boolean,
  work: Work,
): string | undefined {
  const dfas = exclude.map((automaton) => work.automaton(automaton));
  /** Product states below which no text is accepted at all. */
  const barren = new Set<string>();
  /** Where each automaton to accept goes from a position on a character (asked again and again). */
  const moves = new Map<number, number[]>();
  const nextPositions = (at: number, position: number, code: number): number[] => {
    work.spend(1);
    const key = (position * include.length + at) * 0x10000 + code;
    let next = moves.get(key);
    if (!next) {
      next = (include[at] as TextAutomaton).nextPositions(position, code, work);
      moves.set(key, next);
    }
    return next;
  };
  const codes: number[] = [];
  let found: string | undefined;
  /** Whether some text is accepted below (whether or not `accept` held for it); sets `found`. */
  const visit = (own: State, positions: readonly number[], states: readonly DfaState[]): boolean => {
    work.spend(LOOKUP_STEPS + positions.length + states.length);
    const key = `${own.key}|${positions.join(',')}|${states.map((state) => state.id).join(',')}`;
    if (barren.has(key)) return false;
    if (states.some((state) => state.matched)) return false;
    const atStart = codes.length === 0;
    let fertile = false;
    if (
      shape.accepts(own) &&
      positions.every((position, at) => (include[at] as TextAutomaton).positionAcceptsAtEnd(position, atStart, work)) &&
      states.every((state, at) => !(dfas[at] as LazyDfa).acceptsAtEnd(state))
    ) {
      fertile = true;
      work.spend(codes.length);
      const text = String.fromCharCode(...codes);
      if (accept(text)) {
        found = text;
        return true;
      }
    }
    for (const code of alphabet) {
      work.spend(1);
      const nextOwn = shape.next(own, code);
      if (nextOwn === undefined) continue;
      const options = positions.map((position, at) => nextPositions(at, position, code));
      if (options.some((list) => list.length === 0)) continue;
      const nextStates = states.map((state, at) => (dfas[at] as LazyDfa).next(state, code));
      codes.push(code);
      for (const next of combinations(options, work)) {
        if (visit(nextOwn, next, nextStates)) fertile = true;
        if (found !== undefined) return true;
      }
      codes.pop();
    }
    if (!fertile) {
      work.spend(NEW_STATE_STEPS);
      barren.add(key);
    }
    return fertile;
  };
  for (const positions of combinations(include.map((automaton) => automaton.initialPositions(work)), work)) {
    visit(shape.initial, positions, dfas.map((dfa) => dfa.initial));
    if (found !== undefined) return found;
  }
  return undefined;
}
