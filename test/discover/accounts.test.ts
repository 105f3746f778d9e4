import {
  CloseAccountCommand,
  CreateAccountCommand,
  CreateOrganizationalUnitCommand,
  CreateOrganizationCommand,
  ListRootsCommand,
  MoveAccountCommand,
} from '@aws-sdk/client-organizations';
import { AwsClients } from '../../src/aws/clients';
import { freeLoopbackPort, MOTO_CREDENTIALS } from '../../src/demo/moto';
import { DISCOVERY_SESSION, EndpointUnreachableError, listAccounts, UnknownOrganizationalUnitError } from '../../src/discover';
import { motoClients, useMoto } from '../support/moto';
import { awsError, failWhen } from './faults';

const MANAGEMENT = '123456789012';

async function createOrganization(seeder: AwsClients, memberCount: number): Promise<{ rootId: string; members: string[] }> {
  const org = seeder.organizations({ accountId: MANAGEMENT });
  await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  const members: string[] = [];
  for (let i = 0; i < memberCount; i += 1) {
    const { CreateAccountStatus } = await org.send(new CreateAccountCommand({ AccountName: `member-${i}`, Email: `member-${i}@example.com` }));
    members.push(CreateAccountStatus?.AccountId as string);
  }
  const { Roots } = await org.send(new ListRootsCommand({}));
  return { rootId: Roots?.[0]?.Id as string, members };
}

describe('listAccounts', () => {
  useMoto();
  let seeder: AwsClients;
  let clients: AwsClients;
  beforeEach(() => {
    seeder = motoClients();
  });
  afterEach(() => {
    seeder.destroy();
    clients?.destroy();
  });

  it('lists every account of the organization over several pages, management included', async () => {
    // Prepare: 25 members + management = 26 accounts, two pages of 20.
    const { members } = await createOrganization(seeder, 25);
    clients = motoClients();
    // Act
    const discovery = await listAccounts(clients, DISCOVERY_SESSION);
    // Assess
    expect(discovery.callerAccountId).toBe(MANAGEMENT);
    expect(discovery.listedFromOrganization).toBe(true);
    // In account order, whichever way they were listed.
    expect(discovery.accounts.map((a) => a.accountId)).toEqual([MANAGEMENT, ...members].sort());
    expect(discovery.accounts.find((a) => a.accountId === MANAGEMENT)).toMatchObject({ accountId: MANAGEMENT, isCaller: true, isManagement: true, status: 'ACTIVE' });
    expect(discovery.accounts.find((a) => a.accountId === members[0])).toMatchObject({ name: 'member-0', email: 'member-0@example.com', isCaller: false, isManagement: false });
    expect(discovery.organization).toEqual({ id: expect.stringMatching(/^o-/), managementAccountId: MANAGEMENT, memberAccountIds: [...members].sort() });
    expect(discovery.notScanned).toEqual([]);
    expect(clients.callCounter.forAccount(DISCOVERY_SESSION.accountId)).toEqual({
      'STS:GetCallerIdentity': 1,
      'Organizations:DescribeOrganization': 1,
      'Organizations:ListAccounts': 2,
    });
  });

  it('lists suspended accounts as not scanned, with the reason', async () => {
    // Prepare
    const { members } = await createOrganization(seeder, 2);
    await seeder.organizations({ accountId: MANAGEMENT }).send(new CloseAccountCommand({ AccountId: members[1] }));
    clients = motoClients();
    // Act
    const discovery = await listAccounts(clients, DISCOVERY_SESSION);
    // Assess
    expect(discovery.accounts.map((a) => a.accountId)).toEqual([MANAGEMENT, members[0]].sort());
    expect(discovery.notScanned).toEqual([{ accountId: members[1], name: 'member-1', status: 'SUSPENDED', reason: 'account is SUSPENDED' }]);
    expect(discovery.organization?.memberAccountIds).toEqual([...members].sort());
  });

  it('keeps only --accounts, drops --exclude-accounts, and names a requested account outside the organization', async () => {
    // Prepare
    const { members } = await createOrganization(seeder, 3);
    clients = motoClients();
    // Act
    const discovery = await listAccounts(clients, DISCOVERY_SESSION, {
      accounts: [members[0] as string, members[1] as string, '999999999999'],
      excludeAccounts: [members[1] as string],
    });
    // Assess
    expect(discovery.accounts.map((a) => a.accountId)).toEqual([members[0]]);
    expect(discovery.notScanned).toEqual([{ accountId: '999999999999', reason: expect.stringMatching(/^not an account of organization o-/) }]);
  });

  it('keeps the accounts under the given OUs at any depth', async () => {
    // Prepare: root > workloads > prod; member 0 in workloads, member 1 in prod, member 2 at the root.
    const { rootId, members } = await createOrganization(seeder, 3);
    const org = seeder.organizations({ accountId: MANAGEMENT });
    const workloads = await org.send(new CreateOrganizationalUnitCommand({ ParentId: rootId, Name: 'workloads' }));
    const prod = await org.send(new CreateOrganizationalUnitCommand({ ParentId: workloads.OrganizationalUnit?.Id, Name: 'prod' }));
    await org.send(new MoveAccountCommand({ AccountId: members[0], SourceParentId: rootId, DestinationParentId: workloads.OrganizationalUnit?.Id }));
    await org.send(new MoveAccountCommand({ AccountId: members[1], SourceParentId: rootId, DestinationParentId: prod.OrganizationalUnit?.Id }));
    clients = motoClients();
    // Act
    const discovery = await listAccounts(clients, DISCOVERY_SESSION, { ous: [workloads.OrganizationalUnit?.Id as string] });
    // Assess
    expect(discovery.accounts.map((a) => a.accountId).sort()).toEqual([members[0], members[1]].sort());
  });

  it('places every account in its OU, by name from the root, when asked: calls grow with OUs, not accounts', async () => {
    // Prepare: root > workloads > prod; member 0 in workloads, member 1 in prod, member 2 at the root.
    const { rootId, members } = await createOrganization(seeder, 3);
    const org = seeder.organizations({ accountId: MANAGEMENT });
    const workloads = await org.send(new CreateOrganizationalUnitCommand({ ParentId: rootId, Name: 'workloads' }));
    const prod = await org.send(new CreateOrganizationalUnitCommand({ ParentId: workloads.OrganizationalUnit?.Id, Name: 'prod' }));
    await org.send(new MoveAccountCommand({ AccountId: members[0], SourceParentId: rootId, DestinationParentId: workloads.OrganizationalUnit?.Id }));
    await org.send(new MoveAccountCommand({ AccountId: members[1], SourceParentId: rootId, DestinationParentId: prod.OrganizationalUnit?.Id }));
    clients = motoClients();
    // Act
    const discovery = await listAccounts(clients, DISCOVERY_SESSION, { organizationalUnits: true });
    // Assess
    const ouOf = (id: string | undefined) => discovery.accounts.find((a) => a.accountId === id)?.ou;
    const [workloadsId, prodId] = [workloads.OrganizationalUnit?.Id, prod.OrganizationalUnit?.Id];
    expect(ouOf(members[0])).toEqual({ id: workloadsId, path: ['Root', 'workloads'], ids: [rootId, workloadsId] });
    expect(ouOf(members[1])).toEqual({ id: prodId, path: ['Root', 'workloads', 'prod'], ids: [rootId, workloadsId, prodId] });
    expect(ouOf(members[2])).toEqual({ id: rootId, path: ['Root'], ids: [rootId] });
    expect(ouOf(MANAGEMENT)).toEqual({ id: rootId, path: ['Root'], ids: [rootId] });
    // ListRoots, then per parent (root, workloads, prod) one ListAccountsForParent and one ListOrganizationalUnitsForParent.
    const calls = clients.callCounter.forAccount(DISCOVERY_SESSION.accountId);
    expect([calls['Organizations:ListRoots'], calls['Organizations:ListAccountsForParent'], calls['Organizations:ListOrganizationalUnitsForParent']]).toEqual([1, 3, 3]);
  });

  it('lists the accounts without OUs, and says why, when the tree cannot be read (injected: moto never denies)', async () => {
    await createOrganization(seeder, 2);
    clients = motoClients({
      attemptHooks: [failWhen((info) => info.operation === 'ListRoots', () => awsError('AccessDeniedException', 400, 'not allowed'))],
    });
    const discovery = await listAccounts(clients, DISCOVERY_SESSION, { organizationalUnits: true });
    expect(discovery.accounts).toHaveLength(3);
    expect(discovery.accounts.every((a) => a.ou === undefined)).toBe(true);
    expect(discovery.notes).toEqual([
      expect.stringMatching(/^cannot tell which organizational unit each account is in \(AccessDeniedException: .*\): .*the report page lists the accounts without their OUs$/),
    ]);
  });

  it('refuses an OU that is not in the organization with a usage error', async () => {
    // Prepare
    await createOrganization(seeder, 1);
    clients = motoClients();
    // Act
    const discovering = listAccounts(clients, DISCOVERY_SESSION, { ous: ['ou-abcd-12345678'] });
    // Assess
    await expect(discovering).rejects.toThrow(UnknownOrganizationalUnitError);
    await expect(discovering).rejects.toThrow("--ous: 'ou-abcd-12345678' is not an organizational unit or root of this organization");
  });

  it("covers the caller's account alone, and says so, when there is no organization", async () => {
    // Prepare: moto holds no organization.
    clients = motoClients();
    // Act
    const discovery = await listAccounts(clients, DISCOVERY_SESSION);
    // Assess
    expect(discovery.organization).toBeUndefined();
    expect(discovery.listedFromOrganization).toBe(false);
    expect(discovery.accounts).toEqual([{ accountId: MANAGEMENT, isCaller: true, isManagement: false }]);
    expect(discovery.notes).toEqual([`not in an organization: scanning the caller's account ${MANAGEMENT} alone`]);
  });

  it('scans the accounts given with --accounts when there is no organization to list', async () => {
    // Prepare
    clients = motoClients();
    // Act
    const discovery = await listAccounts(clients, DISCOVERY_SESSION, { accounts: [MANAGEMENT, '111111111111'] });
    // Assess
    expect(discovery.accounts.map((a) => a.accountId)).toEqual([MANAGEMENT, '111111111111']);
    expect(discovery.notes).toEqual(['not in an organization: scanning the accounts given with --accounts']);
  });

  it("covers the caller's account alone when listing the organization is denied (injected: moto never denies)", async () => {
    // Prepare
    await createOrganization(seeder, 2);
    clients = motoClients({
      attemptHooks: [
        failWhen(
          (info) => info.operation === 'ListAccounts',
          () => awsError('AccessDeniedException', 400, 'You don’t have permissions to access this resource.'),
        ),
      ],
    });
    // Act
    const discovery = await listAccounts(clients, DISCOVERY_SESSION);
    // Assess
    expect(discovery.accounts).toEqual([{ accountId: MANAGEMENT, isCaller: true, isManagement: true }]);
    expect(discovery.organization).toMatchObject({ managementAccountId: MANAGEMENT, memberAccountIds: [] });
    expect(discovery.notes).toEqual([
      expect.stringMatching(/^no permission to list the organization's accounts \(AccessDeniedException: .*\): scanning the caller's account 123456789012 alone$/),
    ]);
  });
});

describe('listAccounts where nothing answers', () => {
  it('raises EndpointUnreachableError naming the refused connection', async () => {
    // Prepare: a loopback port nobody listens on.
    const port = await freeLoopbackPort();
    const clients = new AwsClients({ endpointUrl: `http://127.0.0.1:${port}`, credentials: MOTO_CREDENTIALS, maxAttempts: 1 });
    // Act
    const discovering = listAccounts(clients, DISCOVERY_SESSION);
    // Assess
    await expect(discovering).rejects.toThrow(EndpointUnreachableError);
    await expect(discovering).rejects.toThrow(`cannot tell who the scanner is (STS GetCallerIdentity): connect ECONNREFUSED 127.0.0.1:${port}`);
    clients.destroy();
  });
});
