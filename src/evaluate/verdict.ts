/**
 * What one link of the chain says: it works (pass), it is broken (fail, with a reason a person can
 * act on and the fix), or trailwatch cannot tell (unknown: never credited, an ERROR if nothing else passes).
 */
import type { BrokenLink } from './types';

export type LinkVerdict =
  | { readonly outcome: 'pass'; readonly warnings?: readonly string[] }
  | {
      readonly outcome: 'fail' | 'unknown';
      readonly link: BrokenLink;
      readonly reason: string;
      readonly fix?: string;
      readonly warnings?: readonly string[];
    };

export const PASS: LinkVerdict = { outcome: 'pass' };

export function pass(warnings: readonly string[] = []): LinkVerdict {
  return warnings.length > 0 ? { outcome: 'pass', warnings } : PASS;
}

export function fail(link: BrokenLink, reason: string, fix?: string, warnings: readonly string[] = []): LinkVerdict {
  return { outcome: 'fail', link, reason, ...(fix !== undefined ? { fix } : {}), ...(warnings.length > 0 ? { warnings } : {}) };
}

export function unknown(link: BrokenLink, reason: string, fix?: string): LinkVerdict {
  return { outcome: 'unknown', link, reason, ...(fix !== undefined ? { fix } : {}) };
}
