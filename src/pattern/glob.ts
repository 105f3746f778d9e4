/**
 * Globs: literal pieces joined by `*` wildcards (`['Access', '']` is `Access*`).
 *
 * `matchGlob` is what the matcher uses; coverage decides globs with their automata
 * (automaton.ts globAutomaton), and tries `sampleStrings` first for readable counter-examples.
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
