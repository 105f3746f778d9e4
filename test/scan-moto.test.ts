// runScan end to end with the real steps: discovery, AssumeRole, collection and evaluation against moto.
import { CHECK_SLUGS } from '../src/controls/types';
import { DEMO_REGIONS, DEMO_ROLE_NAME, seedDemoOrganization } from '../src/demo';
import { runScan } from '../src/scan';
import { motoClients, useMoto } from './support/moto';

describe('runScan against the demo organization in moto', () => {
  useMoto();

  it('reaches, for every account and check, the verdict the demo organization was built to have', async () => {
    // Prepare
    const seeder = motoClients();
    const demo = await seedDemoOrganization(seeder);
    seeder.destroy();
    const clients = motoClients();
    // Act
    const { report, inventories } = await runScan({
      benchmark: demo.benchmark,
      regions: [...DEMO_REGIONS],
      roleName: DEMO_ROLE_NAME,
      concurrency: 4,
      homeRegion: 'us-east-1',
      clients,
    });
    clients.destroy();
    // Assess
    const scanned = demo.accounts.filter((a) => a.scanned);
    expect(inventories).toHaveLength(scanned.length);
    expect(report.findings).toHaveLength(scanned.length * CHECK_SLUGS.length);
    const got = Object.fromEntries(report.findings.map((f) => [`${f.accountId} ${f.check}`, `${f.status}:${f.brokenLink}`]));
    const want = Object.fromEntries(
      scanned.flatMap((a) => CHECK_SLUGS.map((c) => [`${a.accountId} ${c}`, `${a.expected[c]?.status}:${a.expected[c]?.brokenLink}`])),
    );
    expect(got).toEqual(want);
    const suspended = demo.accounts.find((a) => a.scenario === 'suspended');
    expect(report.accounts.find((a) => a.accountId === suspended?.accountId)?.status).toBe('SKIPPED');
    // A member credited by the organization trail says so.
    const member = demo.accounts.find((a) => a.scenario === 'no-own-trail');
    const credited = report.findings.find((f) => f.accountId === member?.accountId && f.check === 'root_usage');
    expect(credited?.evidence.organizationTrailOwner).toBe(demo.managementAccountId);
  });
});
