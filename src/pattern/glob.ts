/**
 * Globs: literal pieces joined by `*` wildcards (`['Access', '']` is `Access*`).
 *
 * `matchGlob` is what the matcher uses; `findString` is what coverage uses: it searches for a
 * string inside every `include` glob and outside every `exclude` glob, over the product of the
 * globs' automata (subset construction, breadth first, so the answer is a shortest string), and
 * says 'none' only after exhausting every reachable product state.
 */

export type Pieces = readonly string[];

/** Normalized pieces of a glob given as literal/wildcard parts (runs of `*` collapse). */
export function normalizePieces(pieces: readonly string[]): string[] {
  if (pieces.length <= 1) return [pieces[0] ?? ''];
  const first = pieces[0] ?? '';
  const last = pieces[pieces.length - 1] ?? '';
  const middle = pieces.slice(1, -1).filter((piece) => piece !== '');
  return [first, ...middle, last];
}

export function isLiteral(pieces: Pieces): boolean {
  return pieces.length === 1;
}

/** `*` alone: every string. */
export function isMatchAll(pieces: Pieces): boolean {
  return pieces.length === 2 && pieces[0] === '' && pieces[1] === '';
}

export function matchGlob(pieces: Pieces, text: string): boolean {
  const first = pieces[0] ?? '';
  if (pieces.length === 1) return text === first;
  const last = pieces[pieces.length - 1] ?? '';
  if (text.length < first.length + last.length) return false;
  if (!text.startsWith(first) || !text.endsWith(last)) return false;
  // Leftmost placement of each middle piece is optimal for the pieces after it.
  let position = first.length;
  const limit = text.length - last.length;
  for (let index = 1; index < pieces.length - 1; index += 1) {
    const piece = pieces[index] ?? '';
    const found = text.indexOf(piece, position);
    if (found < 0 || found + piece.length > limit) return false;
    position = found + piece.length;
  }
  return true;
}

/** A glob as an automaton over its characters: a step is a literal character or a wildcard. */
interface GlobAutomaton {
  /** steps[i]: the character to consume at state i, or null for a wildcard (a self loop). */
  readonly steps: readonly (string | null)[];
}

function automatonOf(pieces: Pieces): GlobAutomaton {
  const steps: (string | null)[] = [];
  pieces.forEach((piece, index) => {
    if (index > 0) steps.push(null);
    for (const character of piece) steps.push(character);
  });
  return { steps };
}

/** The states reachable from `states` without consuming (wildcards may match nothing). */
function closure(automaton: GlobAutomaton, states: readonly number[]): number[] {
  const result = new Set<number>();
  for (const start of states) {
    let state = start;
    result.add(state);
    while (automaton.steps[state] === null) {
      state += 1;
      result.add(state);
    }
  }
  return [...result].sort((a, b) => a - b);
}

function step(automaton: GlobAutomaton, states: readonly number[], character: string): number[] {
  const next: number[] = [];
  for (const state of states) {
    const expected = automaton.steps[state];
    if (expected === null) next.push(state);
    else if (expected === character) next.push(state + 1);
  }
  return closure(automaton, next);
}

function accepts(automaton: GlobAutomaton, states: readonly number[]): boolean {
  return states.includes(automaton.steps.length);
}

export type StringSearch = { readonly found: readonly string[] } | 'none' | 'budget';

/**
 * Strings matching every glob of `include` and none of `exclude` (up to `wanted` of them, shortest
 * first), 'none' when there is none, 'budget' when deciding would visit more than `maxStates`
 * product states.
 */
export function findStrings(include: readonly Pieces[], exclude: readonly Pieces[], wanted = 1, maxStates = 5000): StringSearch {
  const literal = include.find(isLiteral);
  if (literal) {
    const text = literal[0] ?? '';
    const ok = include.every((pieces) => matchGlob(pieces, text)) && !exclude.some((pieces) => matchGlob(pieces, text));
    return ok ? { found: [text] } : 'none';
  }
  const found: string[] = [];
  const automata = [...include, ...exclude].map(automatonOf);
  const includeCount = include.length;
  const alphabet = alphabetOf([...include, ...exclude]);
  const isGoal = (states: readonly (readonly number[])[]) =>
    states.every((set, index) => {
      const automaton = automata[index] as GlobAutomaton;
      return index < includeCount ? accepts(automaton, set) : !accepts(automaton, set);
    });
  const start = automata.map((automaton) => closure(automaton, [0]));
  const keyOf = (states: readonly (readonly number[])[]) => states.map((set) => set.join(',')).join('|');
  const seen = new Set<string>([keyOf(start)]);
  let frontier: { states: number[][]; text: string }[] = [{ states: start, text: '' }];
  while (frontier.length > 0) {
    const next: { states: number[][]; text: string }[] = [];
    for (const node of frontier) {
      if (isGoal(node.states)) {
        found.push(node.text);
        if (found.length >= wanted) return { found };
      }
      // An include automaton with no live state can never accept again.
      if (node.states.some((set, index) => index < includeCount && set.length === 0)) continue;
      for (const character of alphabet) {
        const states = node.states.map((set, index) => step(automata[index] as GlobAutomaton, set, character));
        const key = keyOf(states);
        if (seen.has(key)) continue;
        if (seen.size >= maxStates) return found.length > 0 ? { found } : 'budget';
        seen.add(key);
        next.push({ states, text: node.text + character });
      }
    }
    frontier = next;
  }
  return found.length > 0 ? { found } : 'none';
}

/** The characters of the globs plus one that none of them uses (it stands for all the others). */
function alphabetOf(globs: readonly Pieces[]): string[] {
  const used = new Set<string>();
  for (const pieces of globs) for (const piece of pieces) for (const character of piece) used.add(character);
  const other = [...'xyzqXYZQ0123456789_-'].find((character) => !used.has(character)) ?? String.fromCharCode(0x2603);
  return [...used, other];
}

/**
 * Sample strings inside a glob: its wildcards filled with nothing, then with realistic fillers
 * (`*UnauthorizedOperation` -> `Client.UnauthorizedOperation`, `AccessDenied*` ->
 * `AccessDeniedException`), then with a few plain ones.
 */
export function sampleStrings(pieces: Pieces): string[] {
  if (isLiteral(pieces)) return [pieces[0] ?? ''];
  const last = pieces.length - 1;
  const realistic = pieces
    .map((piece, index) => {
      if (index === 0) return piece;
      if (index === 1 && pieces[0] === '') return `Client.${piece}`;
      return (index === last && piece === '' ? 'Exception' : 'x') + piece;
    })
    .join('');
  return [pieces.join(''), realistic, ...['x', 'example', 'Exception'].map((filler) => pieces.join(filler))];
}
