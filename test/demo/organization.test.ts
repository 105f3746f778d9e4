import type { AwsClients } from '../../src/aws/clients';
import { readAccount, type AccountInventory } from '../../src/collect';
import { CHECK_SLUGS } from '../../src/controls/types';
import { DELEGATED_CHECKS, DEMO_REGIONS, REFORMATTED_PATTERNS_V4, seedDemoOrganization, type DemoOrganization, type DemoScenario } from '../../src/demo';
import { AccountCredentials, DISCOVERY_SESSION, listAccounts } from '../../src/discover';
import { motoClients, useMoto } from '../support/moto';

/** Discovers and collects the whole demo organization as a scan would, on its own client factory. */
async function collectOrganization(clients: AwsClients): Promise<{ inventories: Map<string, AccountInventory>; discovery: Awaited<ReturnType<typeof listAccounts>> }> {
  const discovery = await listAccounts(clients, DISCOVERY_SESSION);
  const credentials = new AccountCredentials(clients, { callerAccountId: discovery.callerAccountId, roleName: 'trailwatch', region: 'us-east-1' });
  const inventories = new Map<string, AccountInventory>();
  await Promise.all(
    discovery.accounts.map(async ({ accountId }) => {
      inventories.set(accountId, await readAccount(clients, credentials, accountId, { regions: [...DEMO_REGIONS, 'ap-east-1'] }));
    }),
  );
  return { inventories, discovery };
}

describe('seedDemoOrganization', () => {
  useMoto();
  let seeder: AwsClients;
  let clients: AwsClients;
  let demo: DemoOrganization;
  beforeEach(async () => {
    seeder = motoClients();
    clients = motoClients();
  });
  afterEach(() => {
    seeder.destroy();
    clients.destroy();
  });

  const accountOf = (scenario: DemoScenario) => {
    const account = demo.accounts.find((a) => a.scenario === scenario);
    if (!account) throw new Error(`no ${scenario} account in the demo`);
    return account;
  };

  it('seeds an organization that discovery finds whole: every member scanned but the suspended one', async () => {
    // Prepare
    demo = await seedDemoOrganization(seeder);
    // Act
    const discovery = await listAccounts(clients, DISCOVERY_SESSION);
    // Assess
    expect(discovery.organization).toEqual({
      id: demo.organizationId,
      managementAccountId: demo.managementAccountId,
      // In account order, however they were listed.
      memberAccountIds: demo.accounts.filter((a) => a.scenario !== 'management').map((a) => a.accountId).sort(),
    });
    expect(discovery.accounts.map((a) => a.accountId)).toEqual(demo.accounts.filter((a) => a.scanned).map((a) => a.accountId).sort());
    expect(discovery.notScanned).toEqual([
      { accountId: accountOf('suspended').accountId, name: 'suspended', status: 'SUSPENDED', reason: 'account is SUSPENDED' },
    ]);
    expect(demo.accounts.map((a) => a.scenario)).toEqual([
      'management',
      'no-own-trail',
      'compliant-reformatted',
      'filter-misses-event',
      'alarm-actions-disabled',
      'topic-without-subscriber',
      'single-region-trail',
      'suspended',
    ]);
  });

  it('gives each account the state its scenario describes, read back through discovery and collection', async () => {
    // Prepare
    demo = await seedDemoOrganization(seeder);
    // Act
    const { inventories } = await collectOrganization(clients);
    // Assess
    const inventoryOf = (scenario: DemoScenario) => inventories.get(accountOf(scenario).accountId) as AccountInventory;
    for (const inventory of inventories.values()) {
      expect(inventory.readErrors).toEqual([]);
      expect(inventory.regions).toEqual([...DEMO_REGIONS]);
      expect(inventory.regionsNotEnabled).toEqual(['ap-east-1']);
    }

    const management = inventoryOf('management');
    expect(management.trails).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ arn: demo.managementTrailArn, isOrganizationTrail: true, isMultiRegionTrail: true, status: { isLogging: true } }),
        expect.objectContaining({ name: 'management-trail', isOrganizationTrail: false }),
      ]),
    );
    // The central chain monitors all but the delegated checks; the management account's own trail those.
    const filtersOn = (name: string) => Object.values(management.logGroups).find((g) => g.name === name)?.metricFilters ?? [];
    expect(filtersOn('aws-organization-trail')).toHaveLength(15 - DELEGATED_CHECKS.length);
    expect(filtersOn('management-trail').map((f) => f.name).sort()).toEqual(DELEGATED_CHECKS.map((c) => `cis-${c}`).sort());
    expect(management.alarms['us-east-1']).toHaveLength(15);
    expect(Object.values(management.topics)[0]?.subscriptions).toEqual([expect.objectContaining({ protocol: 'email', endpoint: 's***@example.com' })]);

    // moto shows members no organization trail: this member has none of its own.
    expect(inventoryOf('no-own-trail').trails).toEqual([]);

    const compliant = inventoryOf('compliant-reformatted');
    expect(compliant.trails[0]).toMatchObject({ homeRegion: 'eu-west-1', isMultiRegionTrail: true });
    const compliantFilters = Object.values(compliant.logGroups)[0]?.metricFilters ?? [];
    expect(Object.fromEntries(compliantFilters.map((f) => [f.name.replace('cis-', ''), f.pattern]))).toEqual(
      Object.fromEntries(DELEGATED_CHECKS.map((c) => [c, REFORMATTED_PATTERNS_V4[c]])),
    );
    expect(Object.keys(compliant.alarms)).toEqual(['eu-west-1']);

    const missing = Object.values(inventoryOf('filter-misses-event').logGroups)[0]?.metricFilters?.find((f) => f.name === 'cis-security_group_changes');
    expect(missing?.pattern).toContain('RevokeSecurityGroupIngress');
    expect(missing?.pattern).not.toContain('RevokeSecurityGroupEgress');

    const disabled = inventoryOf('alarm-actions-disabled').alarms['us-east-1'] ?? [];
    expect(disabled.filter((a) => !a.actionsEnabled).map((a) => a.name)).toEqual(['cis-vpc_changes']);

    expect(Object.values(inventoryOf('topic-without-subscriber').topics)).toEqual([expect.objectContaining({ exists: true, subscriptions: [] })]);

    expect(inventoryOf('single-region-trail').trails[0]).toMatchObject({ isMultiRegionTrail: false, homeRegion: 'us-east-1', includeGlobalServiceEvents: true });
  });

  it('reads every member of the demo in at most 11 calls, the two-trail management account in 13', async () => {
    // Prepare
    demo = await seedDemoOrganization(seeder);
    // Act
    const { inventories } = await collectOrganization(clients);
    // Assess
    for (const accountId of inventories.keys()) {
      // Each trail costs its status, selectors and log group's filters: the management account has two.
      const bound = accountId === demo.managementAccountId ? 13 : 11;
      expect(clients.callCounter.totalFor(accountId)).toBeLessThanOrEqual(bound);
    }
    expect(clients.callCounter.totalFor(accountOf('no-own-trail').accountId)).toBeLessThanOrEqual(4);
  });

  it('credits the organization trail for the checks its central chain monitors, and judges members on their own for the rest', async () => {
    // Act
    demo = await seedDemoOrganization(seeder);
    // Assess
    const central = CHECK_SLUGS.filter((c) => !DELEGATED_CHECKS.includes(c));
    for (const account of demo.accounts.filter((a) => a.scanned && a.scenario !== 'management')) {
      expect(Object.keys(account.expected)).toEqual([...CHECK_SLUGS]);
      for (const check of central) expect(account.expected[check]).toEqual({ status: 'PASS', brokenLink: null, creditedToOrganizationTrail: true });
    }
    const failing = (scenario: DemoScenario) =>
      Object.entries(accountOf(scenario).expected)
        .filter(([, v]) => v.status === 'FAIL')
        .map(([check, v]) => `${check}:${v.brokenLink}`);
    expect(failing('management')).toEqual([]);
    expect(failing('compliant-reformatted')).toEqual([]);
    expect(failing('no-own-trail')).toEqual(DELEGATED_CHECKS.map((c) => `${c}:metricFilter`));
    expect(failing('filter-misses-event')).toEqual(['security_group_changes:metricFilter']);
    expect(failing('alarm-actions-disabled')).toEqual(['vpc_changes:alarm']);
    expect(failing('topic-without-subscriber')).toEqual(DELEGATED_CHECKS.map((c) => `${c}:subscription`));
    expect(failing('single-region-trail')).toEqual(DELEGATED_CHECKS.map((c) => `${c}:trail`));
    expect(accountOf('suspended').expected).toEqual({});
  });

  it('judges each member on its own chain when the management trail is not an organization trail', async () => {
    // Act
    demo = await seedDemoOrganization(seeder, { organizationTrail: false });
    const discovery = await listAccounts(clients, DISCOVERY_SESSION);
    const { inventories } = await collectOrganization(clients);
    // Assess
    expect(inventories.get(demo.managementAccountId)?.trails[0]?.isOrganizationTrail).toBe(false);
    expect(discovery.accounts).toHaveLength(7);
    const failing = (scenario: DemoScenario) =>
      Object.entries(accountOf(scenario).expected)
        .filter(([, v]) => v.status === 'FAIL')
        .map(([check, v]) => `${check}:${v.brokenLink}`);
    expect(failing('management')).toEqual([]);
    expect(failing('compliant-reformatted')).toEqual([]);
    expect(failing('no-own-trail')).toEqual(CHECK_SLUGS.map((c) => `${c}:trail`));
    expect(failing('filter-misses-event')).toEqual(['security_group_changes:metricFilter']);
    expect(failing('alarm-actions-disabled')).toEqual(['vpc_changes:alarm']);
    expect(failing('topic-without-subscriber')).toEqual(CHECK_SLUGS.map((c) => `${c}:subscription`));
    expect(failing('single-region-trail')).toEqual(
      // IAM and Organizations events are recorded in us-east-1 only: the us-east-1 trail covers them.
      CHECK_SLUGS.filter((c) => !['iam_policy_changes', 'organizations_changes'].includes(c)).map((c) => `${c}:trail`),
    );
  });
});
