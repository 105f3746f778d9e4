/**
 * runScan with releaseInventories (issue 13 part 3): each account is judged as soon as what it
 * depends on is read, and only its findings and what other accounts may look up in it are kept.
 * On moto with the real collector and evaluator: the report is the one a scan that keeps every
 * inventory to the end makes, and the accounts judged early are kept reduced.
 */
import { AwsClients, CallCounter } from '../src/aws/clients';
import { DEMO_BENCHMARK, DEMO_REGIONS, DEMO_ROLE_NAME, seedDemoOrganization } from '../src/demo';
import { MOTO_CREDENTIALS } from '../src/demo/moto';
import type { ScanReport } from '../src/report/types';
import { runScan, type ScanOptions, type ScanResult } from '../src/scan';
import { motoClients, motoEndpoint, useMoto } from './support/moto';

async function scan(extra: Partial<ScanOptions>): Promise<ScanResult & { calls: Record<string, Record<string, number>> }> {
  const counter = new CallCounter();
  const clients = new AwsClients({ endpointUrl: motoEndpoint(), credentials: MOTO_CREDENTIALS, callCounter: counter });
  try {
    const result = await runScan({ benchmark: DEMO_BENCHMARK, regions: DEMO_REGIONS, roleName: DEMO_ROLE_NAME, concurrency: 4, homeRegion: 'us-east-1', clients, ...extra });
    return { ...result, calls: callsWithoutProbes(counter) };
  } finally {
    clients.destroy();
  }
}

/**
 * Calls by account and operation, but for account:ListRegions: moto has no Account API, and the
 * accounts that start before the client factory learns so (from the first failed probe) each try
 * it once; which accounts those are depends on the order they are read in. AWS answers; no probe.
 */
function callsWithoutProbes(counter: CallCounter): Record<string, Record<string, number>> {
  return Object.fromEntries(
    counter.accounts().map((id) => [id, Object.fromEntries(Object.entries(counter.forAccount(id)).filter(([operation]) => operation !== 'Account:ListRegions'))]),
  );
}

/** Everything but the times and the call counts (compared without moto's probes). */
function timeless(report: ScanReport): unknown {
  const { startedAt: _startedAt, finishedAt: _finishedAt, stats, ...rest } = report;
  return { ...rest, notes: stats?.notes, accounts: report.accounts.map(({ apiCalls: _calls, ...account }) => account) };
}

describe('runScan: inventories released once judged', () => {
  useMoto();

  it.each([
    ['with its organization trail', true, false],
    ['with its organization trail, every member read', true, true],
    ['without an organization trail', false, false],
  ])('gives the demo organization %s the same report, calls included, keeping only what others may look up', async (_label, organizationTrail, readEveryAccount) => {
    // Prepare
    const seeder = motoClients();
    const demo = await seedDemoOrganization(seeder, { organizationTrail });
    seeder.destroy();
    // Act
    const kept = await scan({ readEveryAccount });
    const released = await scan({ readEveryAccount, releaseInventories: true });
    // Assess
    expect(timeless(released.report)).toEqual(timeless(kept.report));
    expect(released.calls).toEqual(kept.calls);
    const reduced = released.inventories.filter((inventory) => inventory.trails.length === 0 && Object.keys(inventory.logGroups).length === 0);
    const withChains = kept.inventories.filter((inventory) => inventory.trails.some((trail) => trail.ownerAccountId === inventory.accountId));
    // Every account with a chain of its own but the management account (read first, whole: it owns the organization's trails) was judged early and reduced.
    const early = withChains.map((inventory) => inventory.accountId).filter((id) => id !== demo.managementAccountId);
    expect(early.length).toBeGreaterThan(0);
    expect(reduced.map((inventory) => inventory.accountId)).toEqual(expect.arrayContaining(early));
    expect(released.inventories.find((inventory) => inventory.accountId === demo.managementAccountId)?.trails.length).toBeGreaterThan(0);
  });

  it('keeps every inventory when remediation will plan from them', async () => {
    const seeder = motoClients();
    await seedDemoOrganization(seeder, { organizationTrail: false });
    seeder.destroy();
    const seen: ScanResult[] = [];
    const { report } = await scan({
      releaseInventories: true,
      remediate: async (result) => {
        seen.push(result);
        return result.report;
      },
    });
    expect(report.findings.length).toBeGreaterThan(0);
    expect(seen[0]?.inventories.filter((inventory) => inventory.trails.length > 0).length).toBeGreaterThan(1);
  });
});
