/**
 * The accounts a scan covers: every page of Organizations ListAccounts, narrowed by
 * --ous, --accounts and --exclude-accounts. ACTIVE accounts are read, the others listed as
 * not scanned. Without an organization, or without permission to list it, the caller's
 * account alone (or the accounts given explicitly), and a note that says so.
 */
import { DescribeOrganizationCommand, ListAccountsCommand, type Account, type OrganizationsClient } from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AccountSession, AwsClients } from '../aws/clients';
import { readAllPages } from '../collect/paging';
import { describeError, isAbort, isNoAnswer, readErrorCode } from '../collect/read-errors';
import { DiscoveryError, EndpointUnreachableError, UnknownOrganizationalUnitError } from './errors';
import { accountParents, walkOrganization } from './organizational-units';
import type { AccountDiscovery, DiscoveredAccount, DiscoveredOrganization, NotScannedAccount, OrganizationalUnitPlacement } from './types';

export interface ListAccountsOptions {
  /** Only these accounts (--accounts). */
  readonly accounts?: readonly string[];
  /** Never these (--exclude-accounts). */
  readonly excludeAccounts?: readonly string[];
  /** Only accounts under these OUs or roots, at any depth (--ous). */
  readonly ous?: readonly string[];
  /**
   * Also read where each account sits (its root and OUs: `organization.accountParents`, and each
   * account's `ou` with the units' names), for exceptions that name OUs and the report page's
   * grouping. Costs ListRoots plus two listings per root or OU.
   */
  readonly organizationalUnits?: boolean;
  /** Where STS is called. Default us-east-1. */
  readonly region?: string;
  readonly signal?: AbortSignal;
}

/** The pseudo account under which organization-wide discovery calls can be counted. */
export const DISCOVERY_SESSION: AccountSession = { accountId: 'organization' };

type Listing =
  | { readonly kind: 'listed'; readonly organization: DiscoveredOrganization; readonly accounts: Account[] }
  | { readonly kind: 'not-listed'; readonly organization?: DiscoveredOrganization; readonly note: string };

function stateOf(account: Account): string {
  return account.State ?? account.Status ?? 'UNKNOWN';
}

async function describeOrganization(
  org: OrganizationsClient,
  signal: AbortSignal | undefined,
): Promise<{ organization?: DiscoveredOrganization; problem?: string }> {
  try {
    const { Organization } = await org.send(new DescribeOrganizationCommand({}), { abortSignal: signal });
    return {
      organization: {
        ...(Organization?.Id ? { id: Organization.Id } : {}),
        ...(Organization?.MasterAccountId ? { managementAccountId: Organization.MasterAccountId } : {}),
        memberAccountIds: [],
      },
    };
  } catch (error) {
    if (isAbort(error)) throw error;
    const name = (error as Error)?.name;
    if (name === 'AWSOrganizationsNotInUseException') return { problem: 'not in an organization' };
    if (readErrorCode(error) === 'AccessDenied') return { problem: `no permission to describe the organization (${describeError(error)})` };
    throw new DiscoveryError(`cannot describe the organization: ${describeError(error)}`, { cause: error });
  }
}

async function listOrganization(org: OrganizationsClient, callerAccountId: string, signal: AbortSignal | undefined): Promise<Listing> {
  const described = await describeOrganization(org, signal);
  if (!described.organization) return { kind: 'not-listed', note: described.problem ?? 'no organization' };
  const organization = described.organization;
  try {
    const accounts = await readAllPages(async (token) => {
      const page = await org.send(new ListAccountsCommand({ MaxResults: 20, NextToken: token }), { abortSignal: signal });
      return { items: page.Accounts, next: page.NextToken };
    });
    const memberAccountIds = accounts.map((a) => a.Id).filter((id): id is string => Boolean(id) && id !== organization.managementAccountId);
    return { kind: 'listed', organization: { ...organization, memberAccountIds }, accounts };
  } catch (error) {
    if (isAbort(error)) throw error;
    if (readErrorCode(error) !== 'AccessDenied') {
      throw new DiscoveryError(`cannot list the organization's accounts: ${describeError(error)}`, { cause: error });
    }
    const memberAccountIds = callerAccountId === organization.managementAccountId ? [] : [callerAccountId];
    return {
      kind: 'not-listed',
      organization: { ...organization, memberAccountIds },
      note: `no permission to list the organization's accounts (${describeError(error)})`,
    };
  }
}

/** Account ids under a parent (OU or root), at any depth. */
async function accountsUnder(org: OrganizationsClient, parentId: string, signal: AbortSignal | undefined): Promise<string[]> {
  try {
    return [...(await walkOrganization(org, parentId, signal)).keys()];
  } catch (error) {
    if (isAbort(error)) throw error;
    const name = (error as Error)?.name;
    if (name === 'ParentNotFoundException' || name === 'InvalidInputException' || readErrorCode(error) === 'NotFound') {
      throw new UnknownOrganizationalUnitError(parentId);
    }
    throw new DiscoveryError(`cannot list the accounts under ${parentId}: ${describeError(error)}`, { cause: error });
  }
}

/**
 * Who the scanner is and which accounts it covers. `session` is the scanner's own session (its
 * accountId only names the bucket the calls are counted under, e.g. DISCOVERY_SESSION).
 */
export async function listAccounts(clients: AwsClients, session: AccountSession, options: ListAccountsOptions = {}): Promise<AccountDiscovery> {
  const { signal } = options;
  const region = options.region ?? 'us-east-1';
  let identity;
  try {
    identity = await clients.sts(session, region).send(new GetCallerIdentityCommand({}), { abortSignal: signal });
  } catch (error) {
    if (isAbort(error)) throw error;
    const message = `cannot tell who the scanner is (STS GetCallerIdentity): ${describeError(error)}`;
    throw isNoAnswer(error) ? new EndpointUnreachableError(message, { cause: error }) : new DiscoveryError(message, { cause: error });
  }
  const callerAccountId = identity.Account ?? '';
  const callerArn = identity.Arn ?? '';
  if (!callerAccountId) throw new DiscoveryError('STS GetCallerIdentity returned no account');

  const org = clients.organizations(session);
  const listing = await listOrganization(org, callerAccountId, signal);
  const excluded = new Set(options.excludeAccounts ?? []);
  const requested = options.accounts ? [...new Set(options.accounts)] : undefined;
  const notes: string[] = [];
  const accounts: DiscoveredAccount[] = [];
  const notScanned: NotScannedAccount[] = [];
  const managementAccountId = listing.organization?.managementAccountId;
  const describe = (accountId: string, extra: Partial<DiscoveredAccount> = {}): DiscoveredAccount => ({
    accountId,
    isCaller: accountId === callerAccountId,
    isManagement: accountId === managementAccountId,
    ...extra,
  });

  if (listing.kind === 'not-listed') {
    if (options.ous?.length) notes.push(`--ous ignored: the organization's accounts could not be listed`);
    const ids = (requested ?? [callerAccountId]).filter((id) => !excluded.has(id));
    for (const id of ids) accounts.push(describe(id));
    notes.push(
      requested
        ? `${listing.note}: scanning the accounts given with --accounts`
        : `${listing.note}: scanning the caller's account ${callerAccountId} alone`,
    );
    return {
      callerAccountId,
      callerArn,
      ...(listing.organization ? { organization: listing.organization } : {}),
      listedFromOrganization: false,
      accounts,
      notScanned,
      notes,
    };
  }

  let inScope = listing.accounts.filter((a): a is Account & { Id: string } => Boolean(a.Id));
  if (options.ous?.length) {
    const underOus = new Set<string>();
    for (const ou of new Set(options.ous)) for (const id of await accountsUnder(org, ou, signal)) underOus.add(id);
    inScope = inScope.filter((a) => underOus.has(a.Id));
  }
  if (requested) {
    const wanted = new Set(requested);
    const listedIds = new Set(listing.accounts.map((a) => a.Id));
    inScope = inScope.filter((a) => wanted.has(a.Id));
    for (const id of requested) {
      if (!listedIds.has(id) && !excluded.has(id)) {
        notScanned.push({ accountId: id, reason: `not an account of organization ${listing.organization.id ?? ''}`.trim() });
      }
    }
  }
  const names = new Map<string, string>();
  const organization = options.organizationalUnits ? await withAccountParents(org, listing.organization, notes, signal, names) : listing.organization;
  const placement = placementOf(organization.accountParents, names);
  for (const account of inScope) {
    if (excluded.has(account.Id)) continue;
    const state = stateOf(account);
    const ou = placement(account.Id);
    const details = {
      ...(account.Name ? { name: account.Name } : {}),
      ...(account.Email ? { email: account.Email } : {}),
      status: state,
      ...(ou ? { ou } : {}),
    };
    if (state === 'ACTIVE') accounts.push(describe(account.Id, details));
    else notScanned.push({ accountId: account.Id, ...(account.Name ? { name: account.Name } : {}), status: state, reason: `account is ${state}`, ...(ou ? { ou } : {}) });
  }
  return { callerAccountId, callerArn, organization, listedFromOrganization: true, accounts, notScanned, notes };
}

/** The organization with each account's root and OUs; without them (and a note) when they cannot be read. */
async function withAccountParents(
  org: OrganizationsClient,
  organization: DiscoveredOrganization,
  notes: string[],
  signal: AbortSignal | undefined,
  names?: Map<string, string>,
): Promise<DiscoveredOrganization> {
  try {
    return { ...organization, accountParents: await accountParents(org, signal, names) };
  } catch (error) {
    if (isAbort(error)) throw error;
    notes.push(`cannot tell which organizational unit each account is in (${describeError(error)}): exceptions naming OUs apply to no account, and the report page lists the accounts without their OUs`);
    return organization;
  }
}

/** An account's place as the report shows it: its unit's id and the names from the root down. */
function placementOf(
  parents: Readonly<Record<string, readonly string[]>> | undefined,
  names: ReadonlyMap<string, string>,
): (accountId: string) => OrganizationalUnitPlacement | undefined {
  return (accountId) => {
    const path = parents?.[accountId];
    const id = path?.[path.length - 1];
    return path && id ? { id, path: path.map((unit) => names.get(unit) ?? unit), ids: [...path] } : undefined;
  };
}
