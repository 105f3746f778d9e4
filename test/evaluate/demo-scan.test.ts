/**
 * The evaluator on the demo organization, seeded into moto and collected as a scan collects it
 * (with and without an organization trail): every scanned account's findings, and which PASS
 * verdicts come from the organization trail, match what the demo says a correct scan concludes.
 */
import type { AwsClients } from '../../src/aws/clients';
import { readAccount, type AccountInventory } from '../../src/collect';
import { DEMO_BENCHMARK, DEMO_REGIONS, seedDemoOrganization } from '../../src/demo';
import { AccountCredentials, DISCOVERY_SESSION, listAccounts } from '../../src/discover';
import { evaluate } from '../../src/evaluate';
import { motoClients, useMoto } from '../support/moto';

async function scanDemo(clients: AwsClients) {
  const discovery = await listAccounts(clients, DISCOVERY_SESSION);
  const credentials = new AccountCredentials(clients, { callerAccountId: discovery.callerAccountId, roleName: 'trailwatch', region: 'us-east-1' });
  const inventories: AccountInventory[] = [];
  for (const { accountId } of discovery.accounts) inventories.push(await readAccount(clients, credentials, accountId, { regions: [...DEMO_REGIONS] }));
  return { discovery, inventories };
}

describe('Function: evaluate on the demo organization', () => {
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

  it.each([true, false])('concludes what the demo expects (organization trail: %s)', async (organizationTrail) => {
    // Prepare
    const demo = await seedDemoOrganization(seeder, { organizationTrail });
    const { discovery, inventories } = await scanDemo(clients);

    // Act
    const findings = evaluate(inventories, { benchmark: DEMO_BENCHMARK, ...(discovery.organization ? { organization: discovery.organization } : {}) });

    // Assess
    const got: string[] = [];
    const want: string[] = [];
    for (const account of demo.accounts.filter((candidate) => candidate.scanned)) {
      for (const [check, verdict] of Object.entries(account.expected)) {
        const finding = findings.find((candidate) => candidate.accountId === account.accountId && candidate.check === check);
        // Credited: a PASS that comes from the organization trail's chain (a FAIL may name that chain too).
        const credited = finding?.status === 'PASS' && finding.evidence.organizationTrailOwner === demo.managementAccountId;
        got.push(`${account.scenario} ${check} ${finding?.status} ${finding?.brokenLink} credited=${credited}`);
        want.push(`${account.scenario} ${check} ${verdict.status} ${verdict.brokenLink} credited=${verdict.creditedToOrganizationTrail === true}`);
      }
    }
    expect(got).toEqual(want);
  });
});
