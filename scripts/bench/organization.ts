/**
 * A synthetic organization for the benchmark and the fault tests, seeded into moto with the
 * demo's helpers: a management account whose organization trail (multi-region, one topic)
 * covers every member, and members in the states real organizations have — most with nothing
 * of their own, some with chains of their own (complete, broken, single-region), a few closed.
 * Which member gets which state is fixed by its position, so runs compare.
 */
import { ListTrailsCommand } from '@aws-sdk/client-cloudtrail';
import {
  CloseAccountCommand,
  CreateAccountCommand,
  CreateOrganizationalUnitCommand,
  CreateOrganizationCommand,
  ListRootsCommand,
  MoveAccountCommand,
  type OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import pLimit from 'p-limit';
import type { AccountSession, AwsClients } from '../../src/aws/clients';
import { AccountCredentials } from '../../src/discover/credentials';
import { patternMissing, REFORMATTED_PATTERNS_V4 } from '../../src/demo/patterns';
import { seedChain, seedTrail, type SeededTrail } from '../../src/demo/seed';
import { TrailwatchError } from '../../src/errors';

export const SYNTHETIC_ROLE_NAME = 'OrganizationAccountAccessRole';
export const SYNTHETIC_REGIONS = ['us-east-1', 'eu-west-1'] as const;

/** What a member has of its own, besides the organization trail that covers it. */
export type MemberKind =
  | 'organization-trail-only'
  | 'own-chain'
  | 'own-chain-filter-misses-event'
  | 'own-single-region-trail'
  | 'own-chain-no-subscriber'
  | 'suspended';

/** Ten members in a row get these states; every 40th member is closed instead. */
const MEMBER_CYCLE: readonly MemberKind[] = [
  'organization-trail-only',
  'own-chain',
  'organization-trail-only',
  'organization-trail-only',
  'own-chain-filter-misses-event',
  'organization-trail-only',
  'own-single-region-trail',
  'organization-trail-only',
  'own-chain-no-subscriber',
  'organization-trail-only',
];

export function memberKindAt(index: number): MemberKind {
  if (index % 40 === 39) return 'suspended';
  return MEMBER_CYCLE[index % MEMBER_CYCLE.length] as MemberKind;
}

export interface SyntheticAccount {
  readonly accountId: string;
  readonly kind: MemberKind | 'management';
  /** The organizational unit it was moved to (none: the root). */
  readonly ouId?: string;
}

/**
 * Where members sit when the organization has OUs: under the root, `groups` OUs of
 * `unitsPerGroup` leaf OUs each, `accountsPerUnit` members per leaf (member i in leaf
 * floor(i / accountsPerUnit)), as many groups as the members fill; the management account stays
 * in the root. A tree walk (ListOrganizationalUnitsForParent, ListAccountsForParent) then has
 * something to walk in parallel, as in a real organization of that size.
 */
export interface SyntheticOuLayout {
  readonly accountsPerUnit: number;
  readonly unitsPerGroup: number;
}

/** The leaf OU (0-based) member `index` belongs to, and its group. */
export function ouPlacementAt(index: number, layout: SyntheticOuLayout): { readonly group: number; readonly unit: number } {
  const unit = Math.floor(index / layout.accountsPerUnit);
  return { group: Math.floor(unit / layout.unitsPerGroup), unit };
}

export interface SyntheticOrganization {
  readonly managementAccountId: string;
  readonly organizationTrail: SeededTrail;
  readonly topicArn: string;
  readonly regions: readonly string[];
  /** The management account first, then the members in creation order. */
  readonly accounts: readonly SyntheticAccount[];
  /** How many OUs the organization has (groups and leaves); 0 when every member is in the root. */
  readonly organizationalUnits: number;
}

export interface SyntheticOrganizationOptions {
  /** Accounts in all, the management account included. */
  readonly accounts: number;
  /** Default SYNTHETIC_REGIONS: the first is the home region, the second holds some members' trails. */
  readonly regions?: readonly [string, string];
  /** Members seeded at once. Default 8. */
  readonly concurrency?: number;
  /** Called after each member is seeded. */
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * Seed the own chains of the first this many members only (default: every member's). The
   * others are created with their kind (closed when it says so) and nothing of their own:
   * for runs where nothing reads them.
   */
  readonly chainsUpTo?: number;
  /** Put the members in OUs (default: every member in the root). */
  readonly organizationalUnits?: SyntheticOuLayout;
}

/** Creates the OUs the members need (groups under the root, leaves under their group): leaf index -> OU id. */
async function seedOrganizationalUnits(organizations: OrganizationsClient, memberCount: number, layout: SyntheticOuLayout): Promise<{ rootId: string; leaves: string[]; count: number }> {
  if (!Number.isInteger(layout.accountsPerUnit) || layout.accountsPerUnit < 1 || !Number.isInteger(layout.unitsPerGroup) || layout.unitsPerGroup < 1) {
    throw new TrailwatchError(`an OU layout needs whole numbers of at least 1, not ${JSON.stringify(layout)}`);
  }
  const rootId = (await organizations.send(new ListRootsCommand({}))).Roots?.[0]?.Id;
  if (!rootId) throw new TrailwatchError('moto created an organization without a root');
  const leafCount = Math.ceil(memberCount / layout.accountsPerUnit);
  const leaves: string[] = [];
  let count = 0;
  const groups = new Map<number, string>();
  for (let unit = 0; unit < leafCount; unit += 1) {
    const { group } = ouPlacementAt(unit * layout.accountsPerUnit, layout);
    let groupId = groups.get(group);
    if (!groupId) {
      const created = await organizations.send(new CreateOrganizationalUnitCommand({ ParentId: rootId, Name: `group-${group + 1}` }));
      groupId = created.OrganizationalUnit?.Id as string;
      groups.set(group, groupId);
      count += 1;
    }
    const leaf = await organizations.send(new CreateOrganizationalUnitCommand({ ParentId: groupId, Name: `unit-${unit + 1}` }));
    leaves.push(leaf.OrganizationalUnit?.Id as string);
    count += 1;
  }
  return { rootId, leaves, count };
}

async function seedMember(
  clients: AwsClients,
  session: AccountSession,
  kind: MemberKind,
  [home, other]: readonly [string, string],
): Promise<void> {
  switch (kind) {
    case 'organization-trail-only':
    case 'suspended':
      return;
    case 'own-chain':
      await seedTrail(clients, session, { name: 'trail', homeRegion: other, logGroupName: 'cloudtrail' });
      await seedChain(clients, session, other, { logGroupName: 'cloudtrail', patterns: REFORMATTED_PATTERNS_V4 });
      return;
    case 'own-chain-filter-misses-event':
      await seedTrail(clients, session, { name: 'trail', homeRegion: home, logGroupName: 'cloudtrail' });
      await seedChain(clients, session, home, {
        logGroupName: 'cloudtrail',
        patterns: { iam_policy_changes: patternMissing('iam_policy_changes', ['DetachGroupPolicy']) },
      });
      return;
    case 'own-single-region-trail':
      await seedTrail(clients, session, { name: 'trail', homeRegion: home, multiRegion: false, logGroupName: 'cloudtrail' });
      await seedChain(clients, session, home, { logGroupName: 'cloudtrail', alarm: { perCheck: { root_usage: { actionsEnabled: false } } } });
      return;
    case 'own-chain-no-subscriber':
      await seedTrail(clients, session, { name: 'trail', homeRegion: home, logGroupName: 'cloudtrail' });
      await seedChain(clients, session, home, { logGroupName: 'cloudtrail', topic: { subscriptions: [] } });
      return;
  }
}

/**
 * Seeds the organization into an empty moto (reset it first). Use an AwsClients without
 * injected latency or faults: seeding is not what is measured.
 */
export async function seedSyntheticOrganization(clients: AwsClients, options: SyntheticOrganizationOptions): Promise<SyntheticOrganization> {
  if (!Number.isInteger(options.accounts) || options.accounts < 1) {
    throw new TrailwatchError(`a synthetic organization needs at least one account, not ${options.accounts}`);
  }
  const regions = options.regions ?? SYNTHETIC_REGIONS;
  const [home] = regions;
  const identity = await clients.sts({ accountId: 'seed' }, home).send(new GetCallerIdentityCommand({}));
  const managementAccountId = identity.Account as string;
  const management: AccountSession = { accountId: managementAccountId };
  const organizations = clients.organizations(management);
  await organizations.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));

  const organizationTrail = await seedTrail(clients, management, {
    name: 'organization-trail',
    homeRegion: home,
    organization: true,
    logGroupName: 'aws-organization-trail',
  });
  const chain = await seedChain(clients, management, home, { logGroupName: 'aws-organization-trail' });

  const credentials = new AccountCredentials(clients, { callerAccountId: managementAccountId, roleName: SYNTHETIC_ROLE_NAME, region: home });
  const memberCount = options.accounts - 1;
  const layout = options.organizationalUnits;
  const units = layout ? await seedOrganizationalUnits(organizations, memberCount, layout) : undefined;
  const limit = pLimit(Math.max(1, options.concurrency ?? 8));
  let done = 0;
  const members = await Promise.all(
    Array.from({ length: memberCount }, (_, index) =>
      limit(async (): Promise<SyntheticAccount> => {
        const kind = memberKindAt(index);
        const name = `member-${String(index + 1).padStart(5, '0')}`;
        const { CreateAccountStatus } = await organizations.send(new CreateAccountCommand({ AccountName: name, Email: `${name}@example.com` }));
        const accountId = CreateAccountStatus?.AccountId;
        if (!accountId) throw new TrailwatchError(`moto did not create the account ${name}`);
        const ouId = units && layout ? units.leaves[ouPlacementAt(index, layout).unit] : undefined;
        if (ouId) await organizations.send(new MoveAccountCommand({ AccountId: accountId, SourceParentId: units?.rootId, DestinationParentId: ouId }));
        if (kind === 'suspended') await organizations.send(new CloseAccountCommand({ AccountId: accountId }));
        else if (index < (options.chainsUpTo ?? Infinity)) await seedMember(clients, await credentials.sessionFor(accountId), kind, regions);
        done += 1;
        options.onProgress?.(done, memberCount);
        return { accountId, kind, ...(ouId ? { ouId } : {}) };
      }),
    ),
  );
  return {
    managementAccountId,
    organizationTrail,
    topicArn: chain.topicArn,
    regions,
    accounts: [{ accountId: managementAccountId, kind: 'management' }, ...members],
    organizationalUnits: units?.count ?? 0,
  };
}

/**
 * moto builds an account's backends on first use — its EC2 backend (default VPCs and all) on
 * the first EC2 call, a CloudTrail backend per region on the first ListTrails — which takes it
 * most of a second per account; AWS has no such cost. One call of each per account before
 * anything is timed, so the first scan measured does not pay moto's start-up for the others.
 * `accountIds`: only these (the accounts a run will read; a member judged through the
 * organization trail is never read).
 */
export async function warmUpMoto(clients: AwsClients, org: SyntheticOrganization, concurrency = 4, accountIds?: ReadonlySet<string>): Promise<void> {
  const home = org.regions[0] as string;
  const credentials = new AccountCredentials(clients, { callerAccountId: org.managementAccountId, roleName: SYNTHETIC_ROLE_NAME, region: home });
  const limit = pLimit(concurrency);
  await Promise.all(
    org.accounts
      .filter((a) => a.kind !== 'suspended' && (accountIds === undefined || accountIds.has(a.accountId)))
      .map((a) =>
        limit(async () => {
          const session = await credentials.sessionFor(a.accountId);
          await clients.ec2(session, home).send(new DescribeRegionsCommand({}));
          await clients.cloudTrail(session, home).send(new ListTrailsCommand({}));
        }),
      ),
  );
}
