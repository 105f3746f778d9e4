/**
 * The accounts a scan covers: the organization's accounts, narrowed by --ous, --accounts and
 * --exclude-accounts. ACTIVE accounts are read, the others listed as not scanned. Without an
 * organization, or without permission to list it, the caller's account alone (or the accounts
 * given explicitly), and a note that says so.
 *
 * How the organization is listed, whichever is cheaper:
 * - ListAccounts is one chain: 20 accounts a page, each page waiting for the previous page's
 *   token (500 calls one after another at 10,000 accounts). Nothing beats it for an organization
 *   that fits in its first pages.
 * - The walk (organizational-units.ts) lists each root and OU with ListAccountsForParent and
 *   ListOrganizationalUnitsForParent, several parents at once: about two calls more per OU, but
 *   the chains of different OUs overlap, so the time is the calls divided by the concurrency (and
 *   at least the tree's depth). With --ous it lists only those subtrees, and when the OUs are
 *   wanted anyway (exceptions naming OUs, the report page) it replaces ListAccounts altogether.
 * So: --ous or OUs wanted: the walk. Otherwise LIST_ACCOUNTS_PAGES_BEFORE_WALK pages of
 * ListAccounts; an organization that has not ended by then is walked (the pages read are not
 * read again), and where the walk is not allowed, ListAccounts goes on from where it stopped.
 *
 * Every account is handed to `onAccount` as soon as it is found, so the scan reads accounts while
 * the listing goes on; the management account first when it is in scope.
 */
import { DescribeOrganizationCommand, ListAccountsCommand, type Account, type OrganizationsClient } from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AccountSession, AwsClients } from '../aws/clients';
import { MAX_PAGES } from '../collect/paging';
import { describeError, isAbort, isNoAnswer, readErrorCode } from '../collect/read-errors';
import { TrailwatchError } from '../errors';
import { DiscoveryError, EndpointUnreachableError, UnknownOrganizationalUnitError } from './errors';
import { listRoots, walkParents, type UnlistedParent } from './organizational-units';
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
   * grouping. Costs ListRoots plus two listings per root or OU (and then no ListAccounts).
   */
  readonly organizationalUnits?: boolean;
  /** Where STS is called. Default us-east-1. */
  readonly region?: string;
  readonly signal?: AbortSignal;
  /** Organizations listings in flight at once during a walk (ORGANIZATIONS_CONCURRENCY when absent). */
  readonly concurrency?: number;
  /** ListAccounts pages read before an organization that has not ended is walked instead (LIST_ACCOUNTS_PAGES_BEFORE_WALK when absent; 0: walk at once). */
  readonly pagesBeforeWalk?: number;
  /** Called once, before the first account is handed out: who the scanner is, and the organization's management account (the owner of its organization trails). */
  readonly onOrganization?: (facts: { readonly callerAccountId: string; readonly managementAccountId?: string }) => void;
  /** Each account to scan as soon as it is found, each once (the result lists them all again). Not called for accounts that are not listed from an organization. */
  readonly onAccount?: (account: DiscoveredAccount) => void;
}

/** The pseudo account under which organization-wide discovery calls can be counted. */
export const DISCOVERY_SESSION: AccountSession = { accountId: 'organization' };

/** ListAccounts pages read before an organization that has not ended is walked instead. */
export const LIST_ACCOUNTS_PAGES_BEFORE_WALK = 2;

function stateOf(account: Account): string {
  return account.State ?? account.Status ?? 'UNKNOWN';
}

function isNotFound(error: unknown): boolean {
  const name = (error as Error)?.name;
  return name === 'ParentNotFoundException' || name === 'InvalidInputException' || readErrorCode(error) === 'NotFound';
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

/** The listing could not even start (AccessDenied on its first call): the caller's account alone, as without permission. */
class NotListed extends TrailwatchError {}

/**
 * ListAccounts, page by page, from `token` on; stops after `maxPages` pages and returns the token
 * to go on with (undefined once the list has ended).
 */
async function listAccountPages(
  org: OrganizationsClient,
  signal: AbortSignal | undefined,
  take: (accounts: readonly Account[]) => void,
  from: { token?: string; maxPages?: number } = {},
): Promise<{ next?: string; pages: number }> {
  let token = from.token;
  const maxPages = from.maxPages ?? MAX_PAGES;
  for (let pages = 0; pages < maxPages; pages += 1) {
    const page = await org.send(new ListAccountsCommand({ MaxResults: 20, NextToken: token }), { abortSignal: signal });
    take(page.Accounts ?? []);
    // Some emulators echo the token back instead of ending the list.
    if (!page.NextToken || page.NextToken === token) return { pages: pages + 1 };
    token = page.NextToken;
  }
  if (from.maxPages !== undefined) return { next: token, pages: maxPages };
  throw new TrailwatchError(`the list did not end after ${MAX_PAGES} pages`);
}

/**
 * What was found, narrowed to what the scan covers, handed out as it comes. Every account listed
 * is a member of the organization (the management account aside) whatever its state or scope.
 */
class Intake {
  readonly listed = new Set<string>();
  readonly members: string[] = [];
  readonly accounts = new Map<string, DiscoveredAccount>();
  readonly notScanned: NotScannedAccount[] = [];
  readonly parents = new Map<string, string[]>();

  constructor(
    private readonly scope: {
      readonly callerAccountId: string;
      readonly managementAccountId?: string;
      readonly excluded: ReadonlySet<string>;
      readonly requested?: ReadonlySet<string>;
      /** Where an account's place decides its scope (--ous while walking the whole tree). */
      readonly underOus?: (path: readonly string[] | undefined) => boolean;
      /** The placement of an account in the report, when OUs are wanted. */
      readonly placement?: (path: readonly string[] | undefined) => OrganizationalUnitPlacement | undefined;
      readonly onAccount?: (account: DiscoveredAccount) => void;
      /** Handed out with the first page listed, before anything else (the management account, so its chain is read first). */
      readonly first?: string;
    },
  ) {}

  describe(accountId: string, extra: Partial<DiscoveredAccount> = {}): DiscoveredAccount {
    return { accountId, isCaller: accountId === this.scope.callerAccountId, isManagement: accountId === this.scope.managementAccountId, ...extra };
  }

  inScope(accountId: string): boolean {
    return !this.scope.excluded.has(accountId) && (this.scope.requested?.has(accountId) ?? true);
  }

  private handOut(account: DiscoveredAccount): void {
    this.accounts.set(account.accountId, account);
    this.scope.onAccount?.(account);
  }

  take(found: readonly Account[], path?: readonly string[]): void {
    const first = this.scope.first;
    if (first !== undefined && !this.accounts.has(first) && !this.listed.has(first)) this.handOut(this.describe(first));
    for (const account of found) {
      const id = account.Id;
      if (!id || this.listed.has(id)) continue;
      this.listed.add(id);
      if (path) this.parents.set(id, [...path]);
      if (id !== this.scope.managementAccountId) this.members.push(id);
      if (this.scope.underOus && !this.scope.underOus(path)) continue;
      if (!this.inScope(id)) continue;
      const state = stateOf(account);
      const ou = this.scope.placement?.(path);
      const details = {
        ...(account.Name ? { name: account.Name } : {}),
        ...(account.Email ? { email: account.Email } : {}),
        status: state,
        ...(ou ? { ou } : {}),
      };
      const handedOut = this.accounts.get(id);
      // Handed out before it was listed (the management account): its details now; it is being read whatever its state.
      if (handedOut) this.accounts.set(id, { ...handedOut, ...details });
      else if (state === 'ACTIVE') this.handOut(this.describe(id, details));
      else this.notScanned.push({ accountId: id, ...(account.Name ? { name: account.Name } : {}), status: state, reason: `account is ${state}`, ...(ou ? { ou } : {}) });
    }
  }
}

function unlistedNote(unlisted: readonly UnlistedParent[]): string {
  return unlisted.map((parent) => `${parent.parentId} (${describeError(parent.error)})`).join(', ');
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
  const described = await describeOrganization(org, signal);
  const excluded = new Set(options.excludeAccounts ?? []);
  const requested = options.accounts ? [...new Set(options.accounts)] : undefined;
  if (described.organization) {
    const organization = described.organization;
    options.onOrganization?.({ callerAccountId, ...(organization.managementAccountId ? { managementAccountId: organization.managementAccountId } : {}) });
    try {
      return await listOrganization(org, organization, { ...options, callerAccountId, callerArn, excluded, ...(requested ? { requested } : {}) });
    } catch (error) {
      if (!(error instanceof NotListed)) throw error;
      const memberAccountIds = callerAccountId === organization.managementAccountId ? [] : [callerAccountId];
      return notListed({ callerAccountId, callerArn, excluded, requested, ous: options.ous }, error.message, { ...organization, memberAccountIds });
    }
  }
  options.onOrganization?.({ callerAccountId });
  return notListed({ callerAccountId, callerArn, excluded, requested, ous: options.ous }, described.problem ?? 'no organization');
}

/** No organization, or no permission to list it: the accounts given with --accounts, or the caller's alone. */
function notListed(
  who: { callerAccountId: string; callerArn: string; excluded: ReadonlySet<string>; requested: readonly string[] | undefined; ous: readonly string[] | undefined },
  note: string,
  organization?: DiscoveredOrganization,
): AccountDiscovery {
  const notes: string[] = [];
  if (who.ous?.length) notes.push(`--ous ignored: the organization's accounts could not be listed`);
  const ids = (who.requested ?? [who.callerAccountId]).filter((id) => !who.excluded.has(id));
  const accounts = ids.map((accountId) => ({ accountId, isCaller: accountId === who.callerAccountId, isManagement: accountId === organization?.managementAccountId }));
  notes.push(who.requested ? `${note}: scanning the accounts given with --accounts` : `${note}: scanning the caller's account ${who.callerAccountId} alone`);
  return { callerAccountId: who.callerAccountId, callerArn: who.callerArn, ...(organization ? { organization } : {}), listedFromOrganization: false, accounts, notScanned: [], notes };
}

async function listOrganization(
  org: OrganizationsClient,
  organization: DiscoveredOrganization,
  options: ListAccountsOptions & { callerAccountId: string; callerArn: string; excluded: ReadonlySet<string>; requested?: readonly string[] },
): Promise<AccountDiscovery> {
  const { signal, callerAccountId, requested } = options;
  const management = organization.managementAccountId;
  const ous = options.ous?.length ? [...new Set(options.ous)] : undefined;
  const names = new Map<string, string>();
  const notes: string[] = [];
  const placement = options.organizationalUnits
    ? (path: readonly string[] | undefined): OrganizationalUnitPlacement | undefined => {
        const id = path?.[path.length - 1];
        return path && id ? { id, path: path.map((unit) => names.get(unit) ?? unit), ids: [...path] } : undefined;
      }
    : undefined;
  const wantedOus = new Set(ous ?? []);
  const intake = new Intake({
    callerAccountId,
    ...(management ? { managementAccountId: management } : {}),
    excluded: options.excluded,
    ...(requested ? { requested: new Set(requested) } : {}),
    // --ous with the OUs wanted: the whole tree is walked (for the placements) and --ous picks from it.
    ...(ous && options.organizationalUnits ? { underOus: (path: readonly string[] | undefined) => path?.some((unit) => wantedOus.has(unit)) ?? false } : {}),
    ...(placement ? { placement } : {}),
    ...(options.onAccount ? { onAccount: options.onAccount } : {}),
    // The management account of an organization is ACTIVE (it cannot be closed while the organization exists), and without
    // --ous it is in scope unless left out: handed out first, once the listing answers, for its organization trail to be read first.
    ...(management && !ous && !options.excluded.has(management) && (requested?.includes(management) ?? true) ? { first: management } : {}),
  });

  const walkOptions = { signal, names, ...(options.concurrency ? { concurrency: options.concurrency } : {}), onAccounts: (found: readonly Account[], path: readonly string[]) => intake.take(found, path) };
  let placed = options.organizationalUnits === true;
  if (ous && !options.organizationalUnits) {
    // Only the subtrees asked for.
    const walk = await walkParents(org, ous.map((id) => ({ id, path: [] })), { ...walkOptions, starts: 'report' });
    for (const parent of walk.unlisted) {
      if (!walk.starts.has(parent.parentId)) continue;
      if (isNotFound(parent.error)) throw new UnknownOrganizationalUnitError(parent.parentId);
      if (readErrorCode(parent.error) === 'AccessDenied') throw new NotListed(`no permission to list the organization's accounts (${describeError(parent.error)})`);
    }
    if (walk.unlisted.length > 0) notes.push(`discovery incomplete: the accounts under ${unlistedNote(walk.unlisted)} could not be listed, so they are not in this scan`);
  } else {
    let next: string | undefined;
    let listedAll = false;
    const pagesBeforeWalk = options.pagesBeforeWalk ?? LIST_ACCOUNTS_PAGES_BEFORE_WALK;
    if (!options.organizationalUnits && pagesBeforeWalk > 0) {
      const first = await firstCall(() => listAccountPages(org, signal, (found) => intake.take(found), { maxPages: pagesBeforeWalk }));
      next = first.next;
      listedAll = next === undefined;
    }
    if (!listedAll) {
      const walked = await walkWholeTree(org, walkOptions);
      if (walked.kind === 'walked') {
        if (ous) for (const ou of ous) if (!walked.parents.has(ou)) throw new UnknownOrganizationalUnitError(ou);
        if (walked.unlisted.length > 0) {
          // Nothing lost: ListAccounts finds what the walk could not (without its OU).
          placed = false;
          try {
            await listAccountPages(org, signal, (found) => intake.take(found));
            notes.push(`the accounts under ${unlistedNote(walked.unlisted)} could not be listed by parent: ListAccounts listed them instead${options.organizationalUnits ? ', without their OUs' : ''}`);
          } catch (error) {
            if (isAbort(error)) throw error;
            notes.push(`discovery incomplete: the accounts under ${unlistedNote(walked.unlisted)} could not be listed (nor by ListAccounts: ${describeError(error)}), so some may be missing from this scan`);
          }
        }
      } else {
        // The walk is not allowed: ListAccounts, from where it stopped (or from the start, when the OUs were wanted).
        if (options.organizationalUnits) {
          placed = false;
          notes.push(`cannot tell which organizational unit each account is in (${describeError(walked.error)}): exceptions naming OUs apply to no account, and the report page lists the accounts without their OUs`);
        }
        await firstCall(() => listAccountPages(org, signal, (found) => intake.take(found), next === undefined ? {} : { token: next }));
      }
    }
  }

  if (requested) {
    for (const id of requested) {
      if (intake.listed.has(id) || options.excluded.has(id)) continue;
      const reason = ous ? `not an account under ${ous.join(', ')} (--ous) in organization ${organization.id ?? ''}` : `not an account of organization ${organization.id ?? ''}`;
      intake.notScanned.push({ accountId: id, reason: reason.trim() });
    }
  }
  const byId = (a: { accountId: string }, b: { accountId: string }) => (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0);
  return {
    callerAccountId,
    callerArn: options.callerArn,
    organization: {
      ...organization,
      memberAccountIds: [...intake.members].sort(),
      ...(placed ? { accountParents: Object.fromEntries([...intake.parents].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) } : {}),
    },
    listedFromOrganization: true,
    // In account order: the same whichever way (and in whichever order) they were found.
    accounts: [...intake.accounts.values()].sort(byId),
    notScanned: intake.notScanned.sort(byId),
    notes,
  };
}

/** The first call of a listing: AccessDenied there means the organization cannot be listed at all; anything else stops discovery. */
async function firstCall<T>(list: () => Promise<T>): Promise<T> {
  try {
    return await list();
  } catch (error) {
    if (isAbort(error) || error instanceof DiscoveryError) throw error;
    if (readErrorCode(error) === 'AccessDenied') throw new NotListed(`no permission to list the organization's accounts (${describeError(error)})`);
    throw new DiscoveryError(`cannot list the organization's accounts: ${describeError(error)}`, { cause: error });
  }
}

/** ListRoots, then the walk from every root; 'not-walked' when the tree cannot be read from its roots. */
async function walkWholeTree(
  org: OrganizationsClient,
  walkOptions: Parameters<typeof walkParents>[2],
): Promise<{ kind: 'walked'; parents: ReadonlySet<string>; unlisted: UnlistedParent[] } | { kind: 'not-walked'; error: unknown }> {
  const signal = walkOptions?.signal;
  try {
    const roots = await listRoots(org, signal, walkOptions?.names);
    const walk = await walkParents(org, roots.map((id) => ({ id, path: [] })), { ...walkOptions, starts: 'report' });
    const startFailed = walk.unlisted.find((parent) => walk.starts.has(parent.parentId));
    // A root that cannot be listed: nothing under it is known, as if the walk was not allowed.
    if (startFailed) return { kind: 'not-walked', error: startFailed.error };
    return { kind: 'walked', parents: new Set([...roots, ...(walkOptions?.names?.keys() ?? [])]), unlisted: walk.unlisted };
  } catch (error) {
    if (isAbort(error)) throw error;
    return { kind: 'not-walked', error };
  }
}
