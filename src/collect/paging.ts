import { TrailwatchError } from '../errors';

/** Upper bound on pages of one list call: a server that never ends the list must not hang the scan. */
export const MAX_PAGES = 1000;

export interface Page<T> {
  readonly items: readonly T[] | undefined;
  readonly next: string | undefined;
}

/**
 * Reads a list to the end. Stops when the server sends no token, an empty one, or the token it
 * was just given (some emulators echo it back instead of ending the list).
 */
export async function readAllPages<T>(fetchPage: (token: string | undefined) => Promise<Page<T>>): Promise<T[]> {
  const all: T[] = [];
  let token: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const { items, next } = await fetchPage(token);
    all.push(...(items ?? []));
    if (!next || next === token) return all;
    token = next;
  }
  throw new TrailwatchError(`the list did not end after ${MAX_PAGES} pages`);
}
