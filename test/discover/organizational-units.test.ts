import { CreateAccountCommand, CreateOrganizationalUnitCommand, CreateOrganizationCommand, ListRootsCommand, MoveAccountCommand } from '@aws-sdk/client-organizations';
import type { AwsClients } from '../../src/aws/clients';
import { DISCOVERY_SESSION, listAccounts } from '../../src/discover';
import { motoClients, useMoto } from '../support/moto';

const MANAGEMENT = '123456789012';

describe('listAccounts with organizationalUnits', () => {
  useMoto();
  let seeder: AwsClients;
  let clients: AwsClients;
  beforeEach(() => {
    seeder = motoClients();
    clients = motoClients();
  });
  afterEach(() => {
    seeder.destroy();
    clients.destroy();
  });

  it('gives each account its root and OUs, outermost first, for ListRoots plus two listings per root or OU', async () => {
    // Prepare: root -> workloads -> prod (one account each), root -> sandbox (empty), one account under the root.
    const org = seeder.organizations({ accountId: MANAGEMENT });
    await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    const rootId = (await org.send(new ListRootsCommand({}))).Roots?.[0]?.Id as string;
    const ou = async (parent: string, name: string) =>
      (await org.send(new CreateOrganizationalUnitCommand({ ParentId: parent, Name: name }))).OrganizationalUnit?.Id as string;
    const workloads = await ou(rootId, 'workloads');
    const prod = await ou(workloads, 'prod');
    await ou(rootId, 'sandbox');
    const account = async (name: string, parent: string) => {
      const id = (await org.send(new CreateAccountCommand({ AccountName: name, Email: `${name}@example.com` }))).CreateAccountStatus?.AccountId as string;
      if (parent !== rootId) await org.send(new MoveAccountCommand({ AccountId: id, SourceParentId: rootId, DestinationParentId: parent }));
      return id;
    };
    const inWorkloads = await account('app', workloads);
    const inProd = await account('db', prod);
    const atRoot = await account('shared', rootId);
    // Act
    const discovery = await listAccounts(clients, DISCOVERY_SESSION, { organizationalUnits: true });
    // Assess
    expect(discovery.organization?.accountParents).toEqual({
      [MANAGEMENT]: [rootId],
      [atRoot]: [rootId],
      [inWorkloads]: [rootId, workloads],
      [inProd]: [rootId, workloads, prod],
    });
    // 1 root + 3 OUs: 4 ListAccountsForParent and 4 ListOrganizationalUnitsForParent (which also names them), whatever the number of accounts.
    expect(clients.callCounter.forAccount(DISCOVERY_SESSION.accountId)).toMatchObject({
      'Organizations:ListRoots': 1,
      'Organizations:ListAccountsForParent': 4,
      'Organizations:ListOrganizationalUnitsForParent': 4,
    });
  });

  it('reads nothing of the kind unless asked', async () => {
    await seeder.organizations({ accountId: MANAGEMENT }).send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));

    const discovery = await listAccounts(clients, DISCOVERY_SESSION);

    expect(discovery.organization?.accountParents).toBeUndefined();
    expect(Object.keys(clients.callCounter.forAccount(DISCOVERY_SESSION.accountId))).not.toContain('Organizations:ListRoots');
  });
});
