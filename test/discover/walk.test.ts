/**
 * Discovery that keeps up (README "Performance"): an organization larger than its first
 * ListAccounts pages is walked OU by OU, several listings at once, and every account is handed
 * out as soon as it is found. Real SDK clients on moto; the latency and the failures are injected
 * with attempt hooks (moto answers at once and never fails).
 */
import { CreateAccountCommand, CreateOrganizationalUnitCommand, CreateOrganizationCommand, ListRootsCommand, MoveAccountCommand } from '@aws-sdk/client-organizations';
import type { AttemptHook, AwsClients } from '../../src/aws/clients';
import { DISCOVERY_SESSION, listAccounts, type DiscoveredAccount } from '../../src/discover';
import { ORGANIZATIONS_CONCURRENCY } from '../../src/discover/organizational-units';
import { motoClients, useMoto } from '../support/moto';
import { awsError } from './faults';

const MANAGEMENT = '123456789012';

interface Tree {
  rootId: string;
  /** OU id -> its accounts */
  ous: Map<string, string[]>;
  atRoot: string[];
}

/** root -> `ouCount` OUs (the last one nested in the first) with `perOu` accounts each, `atRoot` more under the root. */
async function createTree(seeder: AwsClients, ouCount: number, perOu: number, atRoot: number): Promise<Tree> {
  const org = seeder.organizations({ accountId: MANAGEMENT });
  await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  const rootId = (await org.send(new ListRootsCommand({}))).Roots?.[0]?.Id as string;
  const ous = new Map<string, string[]>();
  let first: string | undefined;
  for (let i = 0; i < ouCount; i += 1) {
    const parent = i === ouCount - 1 && first ? first : rootId;
    const id = (await org.send(new CreateOrganizationalUnitCommand({ ParentId: parent, Name: `ou-${i}` }))).OrganizationalUnit?.Id as string;
    first ??= id;
    ous.set(id, []);
  }
  let n = 0;
  const account = async () => {
    const name = `member-${(n += 1)}`;
    return (await org.send(new CreateAccountCommand({ AccountName: name, Email: `${name}@example.com` }))).CreateAccountStatus?.AccountId as string;
  };
  for (const [ou, accounts] of ous) {
    for (let i = 0; i < perOu; i += 1) {
      const id = await account();
      await org.send(new MoveAccountCommand({ AccountId: id, SourceParentId: rootId, DestinationParentId: ou }));
      accounts.push(id);
    }
  }
  const atRootIds: string[] = [];
  for (let i = 0; i < atRoot; i += 1) atRootIds.push(await account());
  return { rootId, ous, atRoot: atRootIds };
}

/** Delays every Organizations attempt and records the most listings in flight at once. */
function inFlight(delayMs: number): { hook: AttemptHook; max: () => number } {
  let now = 0;
  let max = 0;
  return {
    hook: async (info) => {
      if (info.service !== 'Organizations') return;
      now += 1;
      max = Math.max(max, now);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      now -= 1;
    },
    max: () => max,
  };
}

describe('discovery of a larger organization', () => {
  useMoto();
  let seeder: AwsClients;
  let clients: AwsClients | undefined;
  beforeEach(() => {
    seeder = motoClients();
  });
  afterEach(() => {
    seeder.destroy();
    clients?.destroy();
  });

  it('walks an organization that has not ended after its first ListAccounts pages, several OUs at once, and finds the same accounts', async () => {
    // Prepare: 4 OUs x 12 accounts + 3 at the root + management = 52 accounts: 3 pages of ListAccounts.
    const tree = await createTree(seeder, 4, 12, 3);
    const everyAccount = [MANAGEMENT, ...tree.atRoot, ...[...tree.ous.values()].flat()].sort();
    const timing = inFlight(20);
    clients = motoClients({ attemptHooks: [timing.hook] });
    const handedOut: DiscoveredAccount[] = [];
    // Act
    const discovery = await listAccounts(clients, DISCOVERY_SESSION, { onAccount: (account) => handedOut.push(account) });
    // Assess: the same accounts as a listing would give, in account order, each handed out once, the management account first.
    expect(discovery.accounts.map((a) => a.accountId)).toEqual(everyAccount);
    expect(discovery.organization?.memberAccountIds).toEqual(everyAccount.filter((id) => id !== MANAGEMENT));
    expect(handedOut.map((a) => a.accountId).sort()).toEqual(everyAccount);
    expect(handedOut[0]?.accountId).toBe(MANAGEMENT);
    expect(discovery.accounts.find((a) => a.accountId === tree.atRoot[0])).toMatchObject({ name: expect.stringMatching(/^member-/), status: 'ACTIVE' });
    // Two pages of ListAccounts, then ListRoots and two listings per parent (root + 4 OUs), several at once.
    expect(clients.callCounter.forAccount(DISCOVERY_SESSION.accountId)).toEqual({
      'STS:GetCallerIdentity': 1,
      'Organizations:DescribeOrganization': 1,
      'Organizations:ListAccounts': 2,
      'Organizations:ListRoots': 1,
      'Organizations:ListAccountsForParent': 5,
      'Organizations:ListOrganizationalUnitsForParent': 5,
    });
    expect(timing.max()).toBeGreaterThan(1);
    expect(timing.max()).toBeLessThanOrEqual(ORGANIZATIONS_CONCURRENCY);
  });

  it('lists a small organization with ListAccounts alone', async () => {
    await createTree(seeder, 2, 2, 1);
    clients = motoClients();
    const discovery = await listAccounts(clients, DISCOVERY_SESSION);
    expect(discovery.accounts).toHaveLength(6);
    expect(clients.callCounter.forAccount(DISCOVERY_SESSION.accountId)).toEqual({ 'STS:GetCallerIdentity': 1, 'Organizations:DescribeOrganization': 1, 'Organizations:ListAccounts': 1 });
  });

  it('walks only the subtrees given with --ous, never ListAccounts, and hands their accounts out as found', async () => {
    const tree = await createTree(seeder, 3, 2, 2);
    const [first, second] = [...tree.ous.keys()];
    clients = motoClients();
    const handedOut: string[] = [];
    // The first OU holds the third (nested) one.
    const expected = [...(tree.ous.get(first as string) ?? []), ...[...tree.ous.entries()].slice(2).flatMap(([, ids]) => ids)].sort();
    const discovery = await listAccounts(clients, DISCOVERY_SESSION, { ous: [first as string], onAccount: (a) => handedOut.push(a.accountId) });
    expect(discovery.accounts.map((a) => a.accountId)).toEqual(expected);
    expect(handedOut.sort()).toEqual(expected);
    expect(discovery.accounts.map((a) => a.accountId)).not.toContain(tree.ous.get(second as string)?.[0]);
    expect(Object.keys(clients.callCounter.forAccount(DISCOVERY_SESSION.accountId))).not.toContain('Organizations:ListAccounts');
  });

  it("reports an OU whose listing fails under --ous and scans the others' accounts (injected: moto never fails)", async () => {
    const tree = await createTree(seeder, 3, 2, 0);
    const [first, second] = [...tree.ous.keys()] as [string, string];
    clients = motoClients({
      maxAttempts: 2,
      attemptHooks: [
        (info) => {
          if (info.operation === 'ListAccountsForParent' && info.input?.ParentId === second) throw awsError('ServiceException', 500, 'Organizations is having a bad day');
        },
      ],
    });
    const discovery = await listAccounts(clients, DISCOVERY_SESSION, { ous: [first, second] });
    expect(discovery.accounts.map((a) => a.accountId)).toEqual(expect.arrayContaining(tree.ous.get(first) ?? []));
    expect(discovery.accounts.map((a) => a.accountId)).not.toContain(tree.ous.get(second)?.[0]);
    expect(discovery.notes).toEqual([`discovery incomplete: the accounts under ${second} (ServiceException: Organizations is having a bad day) could not be listed, so they are not in this scan`]);
  });

  it('finds with ListAccounts what a failing OU listing hides from the walk of the whole tree (injected)', async () => {
    const tree = await createTree(seeder, 2, 2, 0);
    const [, second] = [...tree.ous.keys()] as [string, string];
    clients = motoClients({
      maxAttempts: 2,
      attemptHooks: [
        (info) => {
          if (info.operation === 'ListAccountsForParent' && info.input?.ParentId === second) throw awsError('ServiceException', 500, 'Organizations is having a bad day');
        },
      ],
    });
    const discovery = await listAccounts(clients, DISCOVERY_SESSION, { pagesBeforeWalk: 0 });
    expect(discovery.accounts.map((a) => a.accountId)).toEqual([MANAGEMENT, ...[...tree.ous.values()].flat()].sort());
    expect(discovery.notes).toEqual([
      `the accounts under ${second} (ServiceException: Organizations is having a bad day) could not be listed by parent: ListAccounts listed them instead`,
    ]);
  });

  it('goes on with ListAccounts from where it stopped when the tree cannot be walked (injected: moto never denies)', async () => {
    const tree = await createTree(seeder, 4, 12, 3);
    clients = motoClients({ attemptHooks: [(info) => {
      if (info.operation === 'ListRoots') throw awsError('AccessDeniedException', 400, 'not allowed');
    }] });
    const discovery = await listAccounts(clients, DISCOVERY_SESSION);
    expect(discovery.accounts).toHaveLength(1 + 3 + 48);
    expect(discovery.notes).toEqual([]);
    expect(tree.ous.size).toBe(4);
    // 3 pages in all: the two before the walk was tried and the one after.
    expect(clients.callCounter.forAccount(DISCOVERY_SESSION.accountId)['Organizations:ListAccounts']).toBe(3);
  });
});
