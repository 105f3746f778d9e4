/**
 * runScan judges members through the organization trail without reading them, when its chain
 * settles every check, and concludes exactly what reading every account concludes: on the demo
 * organization (moto) and on the benchmark's organization seen through the proxy that shows the
 * organization trail to members as AWS does (moto does not).
 */
import { AwsClients, CallCounter } from '../src/aws/clients';
import { DEMO_BENCHMARK, DEMO_REGIONS, DEMO_ROLE_NAME, seedDemoOrganization } from '../src/demo';
import { MOTO_CREDENTIALS } from '../src/demo/moto';
import { renderTable } from '../src/report';
import { renderEmail } from '../src/report/email';
import { runScan, type ScanResult } from '../src/scan';
import { organizationTrailShadow, startOrganizationTrailProxy } from '../scripts/bench/organization-trail-proxy';
import { seedSyntheticOrganization, SYNTHETIC_ROLE_NAME } from '../scripts/bench/organization';
import { motoClients, motoEndpoint, useMoto } from './support/moto';

function verdicts(result: ScanResult): string[] {
  return result.report.findings.map((f) => `${f.accountId} ${f.check} ${f.status} ${f.brokenLink ?? '-'}`).sort();
}

/**
 * Calls but account:ListRegions probes: moto has no Account API and a client factory learns that
 * from its first failed ListRegions, so how many accounts probe depends on how many start before
 * that answer (on AWS ListRegions answers and nothing is probed).
 */
function callsBesidesRegionProbes(calls: CallCounter): number {
  let n = 0;
  for (const id of calls.accounts()) for (const [operation, count] of Object.entries(calls.forAccount(id))) if (!operation.endsWith(':ListRegions')) n += count;
  return n;
}

async function scan(endpoint: string, roleName: string, regions: readonly string[], readEveryAccount: boolean): Promise<{ result: ScanResult; calls: CallCounter }> {
  const calls = new CallCounter();
  const clients = new AwsClients({ endpointUrl: endpoint, credentials: MOTO_CREDENTIALS, callCounter: calls });
  try {
    const result = await runScan({ benchmark: DEMO_BENCHMARK, regions, roleName, concurrency: 4, homeRegion: 'us-east-1', clients, readEveryAccount });
    return { result, calls };
  } finally {
    clients.destroy();
  }
}

describe('runScan: members judged through the organization trail', () => {
  useMoto();

  it('on the demo organization (its organization chain lacks a check): the same verdicts as reading every account, every member read', async () => {
    // Prepare
    const seeder = motoClients();
    const demo = await seedDemoOrganization(seeder, { organizationTrail: true });
    seeder.destroy();

    // Act
    const every = await scan(motoEndpoint(), DEMO_ROLE_NAME, DEMO_REGIONS, true);
    const judged = await scan(motoEndpoint(), DEMO_ROLE_NAME, DEMO_REGIONS, false);

    // Assess
    expect(verdicts(judged.result)).toEqual(verdicts(every.result));
    // The demo's organization chain settles every check but one: a member's own chain may still decide that one.
    expect(judged.result.report.accounts.filter((a) => a.status === 'ORGANIZATION_TRAIL')).toEqual([]);
    expect(judged.result.report.findings.some((f) => f.evidence.organizationTrailOwner === demo.managementAccountId && f.status === 'PASS')).toBe(true);
    for (const account of demo.accounts.filter((a) => a.scanned)) expect(judged.calls.totalFor(account.accountId)).toBeGreaterThan(0);
  });

  it('on the benchmark organization behind the proxy: the same verdicts, and no call at all for members, since its organization chain passes every check', async () => {
    // Prepare
    const seeder = new AwsClients({ endpointUrl: motoEndpoint(), credentials: MOTO_CREDENTIALS });
    const org = await seedSyntheticOrganization(seeder, { accounts: 12 });
    seeder.destroy();
    const proxy = await startOrganizationTrailProxy(motoEndpoint(), organizationTrailShadow(org), MOTO_CREDENTIALS.accessKeyId);
    try {
      // Act
      const every = await scan(proxy.endpoint, SYNTHETIC_ROLE_NAME, org.regions, true);
      const judged = await scan(proxy.endpoint, SYNTHETIC_ROLE_NAME, org.regions, false);

      // Assess
      expect(verdicts(judged.result)).toEqual(verdicts(every.result));
      const statusOf = new Map(judged.result.report.accounts.map((a) => [a.accountId, a.status]));
      for (const account of org.accounts) {
        if (account.kind === 'organization-trail-only' || account.kind.startsWith('own-')) {
          // The organization chain passes every check in the benchmark organization: no member needs reading.
          expect([account.kind, statusOf.get(account.accountId)]).toEqual([account.kind, 'ORGANIZATION_TRAIL']);
          expect(judged.calls.totalFor(account.accountId)).toBe(0);
        }
      }
      expect(statusOf.get(org.managementAccountId)).toBe('SCANNED');
      const throughTrail = judged.result.report.accounts.filter((a) => a.status === 'ORGANIZATION_TRAIL');
      for (const account of throughTrail) {
        expect(account.organizationTrail?.owner).toBe(org.managementAccountId);
        expect(account.apiCalls).toBe(0);
      }
      expect(judged.calls.total()).toBeLessThan(every.calls.total());
      // Truthful in the text and the email: who judged them, and not as scanned.
      const table = renderTable(judged.result.report, { color: false });
      expect(table).toContain(`through the organization trail of account ${org.managementAccountId}`);
      const email = renderEmail(judged.result.report, { level: 'info' }).text;
      expect(email).toContain(`${throughTrail.length} judged through the organization trail of account ${org.managementAccountId}`);
    } finally {
      await proxy.close();
    }
  });

  it('reads the members when the organization chain does not settle a check, and concludes the same', async () => {
    // Prepare: the demo without an organization trail: nothing is settled, every member is read.
    const seeder = motoClients();
    await seedDemoOrganization(seeder, { organizationTrail: false });
    seeder.destroy();

    // Act
    const every = await scan(motoEndpoint(), DEMO_ROLE_NAME, DEMO_REGIONS, true);
    const judged = await scan(motoEndpoint(), DEMO_ROLE_NAME, DEMO_REGIONS, false);

    // Assess
    expect(verdicts(judged.result)).toEqual(verdicts(every.result));
    expect(judged.result.report.accounts.filter((a) => a.status === 'ORGANIZATION_TRAIL')).toEqual([]);
    expect(callsBesidesRegionProbes(judged.calls)).toBe(callsBesidesRegionProbes(every.calls));
  });
});
