/**
 * Walking the organization's tree: from a root or OU down, per parent one ListAccountsForParent
 * and one ListOrganizationalUnitsForParent chain (which names the OUs too), never one ListParents
 * per account per level: 30 OUs cost about 62 calls whether they hold 50 accounts or 5,000.
 *
 * The listings of different parents run in parallel, ORGANIZATIONS_CONCURRENCY at a time (each
 * parent's pages still follow one another: a page needs the previous one's token). Organizations
 * throttles its API per account, hard, so that stays small; a throttled call is retried by the
 * client factory's adaptive retries. Each page of accounts is handed out as soon as it arrives, so
 * a scan can start reading accounts while the walk goes on.
 */
import {
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListRootsCommand,
  type Account,
  type OrganizationsClient,
} from '@aws-sdk/client-organizations';
import pLimit from 'p-limit';
import { readAllPages } from '../collect/paging';
import { isAbort } from '../collect/read-errors';

/** Organizations listings in flight at once during a walk. */
export const ORGANIZATIONS_CONCURRENCY = 4;

export interface WalkOptions {
  readonly signal?: AbortSignal;
  /** Listings in flight at once; ORGANIZATIONS_CONCURRENCY when absent. */
  readonly concurrency?: number;
  /** Filled with each unit's name (ListOrganizationalUnitsForParent gives them at no extra call). */
  readonly names?: Map<string, string>;
  /** Each page of accounts as it arrives, with the path (root and units, outermost first) of the parent that holds them. */
  readonly onAccounts?: (accounts: readonly Account[], path: readonly string[]) => void;
  /** 'report': a starting parent that cannot be listed is in `unlisted` too, instead of rejecting the walk. */
  readonly starts?: 'reject' | 'report';
}

/** A parent whose listing failed after the client's retries: the accounts under it are unknown. */
export interface UnlistedParent {
  readonly parentId: string;
  readonly error: unknown;
}

export interface Walk {
  /** Each account found, with the path of the parent that holds it. */
  readonly parents: Map<string, string[]>;
  /** Parents that could not be listed (their subtrees are missing from `parents`); empty when the walk is whole. */
  readonly unlisted: UnlistedParent[];
  /** The starting parents' ids. */
  readonly starts: ReadonlySet<string>;
}

/**
 * Every account under the given parents (roots or OUs), at any depth. A listing that fails for a
 * parent below the starting ones (after the client's retries) is recorded in `unlisted` and the
 * rest of the tree is still walked; a starting parent that fails rejects the walk, unless
 * `starts: 'report'` (it may not be a parent at all: the caller decides what that means).
 */
export async function walkParents(org: OrganizationsClient, starts: readonly { id: string; path: readonly string[] }[], options: WalkOptions = {}): Promise<Walk> {
  const { signal, names, onAccounts } = options;
  const limit = pLimit(Math.max(1, options.concurrency ?? ORGANIZATIONS_CONCURRENCY));
  const parents = new Map<string, string[]>();
  const unlisted: UnlistedParent[] = [];

  const visit = async (parentId: string, path: string[], isStart: boolean): Promise<void> => {
    const listAccounts = limit(() =>
      readAllPages(async (token) => {
        const page = await org.send(new ListAccountsForParentCommand({ ParentId: parentId, NextToken: token }), { abortSignal: signal });
        const accounts = (page.Accounts ?? []).filter((account) => account.Id && !parents.has(account.Id));
        for (const account of accounts) parents.set(account.Id as string, path);
        if (accounts.length > 0) onAccounts?.(accounts, path);
        // Handed out already: nothing to keep.
        return { items: [], next: page.NextToken };
      }),
    );
    const listChildren = limit(() =>
      readAllPages(async (token) => {
        const page = await org.send(new ListOrganizationalUnitsForParentCommand({ ParentId: parentId, NextToken: token }), { abortSignal: signal });
        return { items: page.OrganizationalUnits, next: page.NextToken };
      }),
    );
    const [accounts, children] = await Promise.allSettled([listAccounts, listChildren]);
    for (const outcome of [accounts, children]) {
      if (outcome.status === 'rejected') {
        if (isAbort(outcome.reason) || (isStart && options.starts !== 'report')) throw outcome.reason;
        unlisted.push({ parentId, error: outcome.reason });
        break;
      }
    }
    if (children.status !== 'fulfilled') return;
    await Promise.all(
      children.value.map((child) => {
        if (!child.Id) return undefined;
        if (child.Name) names?.set(child.Id, child.Name);
        return visit(child.Id, [...path, child.Id], false);
      }),
    );
  };

  await Promise.all(starts.map((start) => visit(start.id, [...start.path, start.id], true)));
  return { parents, unlisted, starts: new Set(starts.map((start) => start.id)) };
}

/** Each account under `parentId`, with the path from `path` down to the unit that holds it. */
export async function walkOrganization(
  org: OrganizationsClient,
  parentId: string,
  signal: AbortSignal | undefined,
  path: readonly string[] = [],
  names?: Map<string, string>,
): Promise<Map<string, string[]>> {
  const walk = await walkParents(org, [{ id: parentId, path }], { signal, names });
  const [failed] = walk.unlisted;
  if (failed) throw failed.error;
  return walk.parents;
}

/** The organization's roots (one in every organization AWS makes today), named in `names`. */
export async function listRoots(org: OrganizationsClient, signal: AbortSignal | undefined, names?: Map<string, string>): Promise<string[]> {
  const roots = await readAllPages(async (token) => {
    const page = await org.send(new ListRootsCommand({ NextToken: token }), { abortSignal: signal });
    return { items: page.Roots, next: page.NextToken };
  });
  const ids: string[] = [];
  for (const root of roots) {
    if (!root.Id) continue;
    names?.set(root.Id, root.Name ?? 'Root');
    ids.push(root.Id);
  }
  return ids;
}

/** Every account of the organization with its root and units, outermost first: ListRoots, then the walk. */
export async function accountParents(
  org: OrganizationsClient,
  signal: AbortSignal | undefined,
  names?: Map<string, string>,
): Promise<Record<string, string[]>> {
  const roots = await listRoots(org, signal, names);
  const walk = await walkParents(
    org,
    roots.map((id) => ({ id, path: [] })),
    { signal, ...(names ? { names } : {}) },
  );
  const [failed] = walk.unlisted;
  if (failed) throw failed.error;
  return Object.fromEntries(walk.parents);
}
