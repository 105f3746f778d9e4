/**
 * Where each account sits in the organization: its root and organizational units, outermost
 * first. One walk down the tree from the roots, two listings per root or OU
 * (ListAccountsForParent and ListOrganizationalUnitsForParent, which names the OUs too), never one ListParents
 * per account per level: 30 OUs cost about 62 calls whether they hold 50 accounts or 5,000.
 */
import {
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListRootsCommand,
  type OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { readAllPages } from '../collect/paging';

/** Each account under `parentId`, with the path from `path` down to the unit that holds it. */
export async function walkOrganization(
  org: OrganizationsClient,
  parentId: string,
  signal: AbortSignal | undefined,
  path: readonly string[] = [],
  /** Filled with each unit's name (ListOrganizationalUnitsForParent gives them at no extra call). */
  names?: Map<string, string>,
): Promise<Map<string, string[]>> {
  const parents = new Map<string, string[]>();
  const pending: { id: string; path: string[] }[] = [{ id: parentId, path: [...path, parentId] }];
  while (pending.length > 0) {
    const parent = pending.pop() as { id: string; path: string[] };
    const accounts = await readAllPages(async (token) => {
      const page = await org.send(new ListAccountsForParentCommand({ ParentId: parent.id, NextToken: token }), { abortSignal: signal });
      return { items: page.Accounts, next: page.NextToken };
    });
    for (const account of accounts) if (account.Id) parents.set(account.Id, parent.path);
    const children = await readAllPages(async (token) => {
      const page = await org.send(new ListOrganizationalUnitsForParentCommand({ ParentId: parent.id, NextToken: token }), { abortSignal: signal });
      return { items: page.OrganizationalUnits, next: page.NextToken };
    });
    for (const child of children) {
      if (!child.Id) continue;
      if (child.Name) names?.set(child.Id, child.Name);
      pending.push({ id: child.Id, path: [...parent.path, child.Id] });
    }
  }
  return parents;
}

/** Every account of the organization with its root and units, outermost first: ListRoots, then the walk. */
export async function accountParents(
  org: OrganizationsClient,
  signal: AbortSignal | undefined,
  names?: Map<string, string>,
): Promise<Record<string, string[]>> {
  const roots = await readAllPages(async (token) => {
    const page = await org.send(new ListRootsCommand({ NextToken: token }), { abortSignal: signal });
    return { items: page.Roots, next: page.NextToken };
  });
  const out: Record<string, string[]> = {};
  for (const root of roots) {
    if (!root.Id) continue;
    names?.set(root.Id, root.Name ?? 'Root');
    for (const [accountId, path] of await walkOrganization(org, root.Id, signal, [], names)) out[accountId] = path;
  }
  return out;
}
