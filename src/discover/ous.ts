/**
 * Where every account sits: the organization's tree walked from its roots, so the calls grow
 * with the number of OUs (ListRoots once, then per root or OU ListOrganizationalUnitsForParent
 * and ListAccountsForParent), not with the number of accounts as ListParents would.
 */
import {
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListRootsCommand,
  type OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { readAllPages } from '../collect/paging';
import { DiscoveryError } from './errors';
import type { OrganizationalUnitPlacement } from './types';

/** AWS allows 1,000 OUs per organization; more parents than this is not an organization's tree. */
export const MAX_PARENTS = 2000;

export async function organizationalUnits(org: OrganizationsClient, signal?: AbortSignal): Promise<Map<string, OrganizationalUnitPlacement>> {
  const placement = new Map<string, OrganizationalUnitPlacement>();
  const roots = await readAllPages(async (token) => {
    const page = await org.send(new ListRootsCommand({ NextToken: token }), { abortSignal: signal });
    return { items: page.Roots, next: page.NextToken };
  });
  const pending: { id: string; path: string[] }[] = roots
    .filter((root) => root.Id)
    .map((root) => ({ id: root.Id as string, path: [root.Name ?? 'Root'] }));
  let visited = 0;
  while (pending.length > 0) {
    const parent = pending.shift() as { id: string; path: string[] };
    visited += 1;
    if (visited > MAX_PARENTS) throw new DiscoveryError(`the organization has more than ${MAX_PARENTS} organizational units: not reading them`);
    const accounts = await readAllPages(async (token) => {
      const page = await org.send(new ListAccountsForParentCommand({ ParentId: parent.id, NextToken: token }), { abortSignal: signal });
      return { items: page.Accounts, next: page.NextToken };
    });
    for (const account of accounts) if (account.Id) placement.set(account.Id, { id: parent.id, path: parent.path });
    const children = await readAllPages(async (token) => {
      const page = await org.send(new ListOrganizationalUnitsForParentCommand({ ParentId: parent.id, NextToken: token }), { abortSignal: signal });
      return { items: page.OrganizationalUnits, next: page.NextToken };
    });
    for (const child of children) if (child.Id) pending.push({ id: child.Id, path: [...parent.path, child.Name ?? child.Id] });
  }
  return placement;
}
