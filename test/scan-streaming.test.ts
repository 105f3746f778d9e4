/**
 * runScan collects accounts as discovery finds them (issue 13 part 2): on moto with the real SDK
 * clients, the real discovery and the real collector. Organizations is made slow with an attempt
 * hook (moto answers at once), and the hook's record of calls shows members being read while
 * the organization is still being listed. The report is the one a scan that waits for the last
 * page makes: same accounts, same order, same findings.
 */
import { CreateAccountCommand, CreateOrganizationalUnitCommand, CreateOrganizationCommand, ListRootsCommand, MoveAccountCommand } from '@aws-sdk/client-organizations';
import { AwsClients, CallCounter, type AttemptHook, type CallInfo } from '../src/aws/clients';
import { DEMO_BENCHMARK, DEMO_REGIONS, DEMO_ROLE_NAME, seedDemoOrganization } from '../src/demo';
import { MOTO_CREDENTIALS } from '../src/demo/moto';
import type { ScanReport } from '../src/report/types';
import { awsScanSteps, runScan, type ScanOptions, type ScanSteps } from '../src/scan';
import { awsError } from './discover/faults';
import { motoClients, motoEndpoint, useMoto } from './support/moto';

const MANAGEMENT = '123456789012';

function scanClients(hooks: AttemptHook[] = []): AwsClients {
  return new AwsClients({ endpointUrl: motoEndpoint(), credentials: MOTO_CREDENTIALS, callCounter: new CallCounter(), attemptHooks: hooks, maxAttempts: 2 });
}

function scanOptions(clients: AwsClients, extra: Partial<ScanOptions> = {}): ScanOptions {
  return { benchmark: DEMO_BENCHMARK, regions: DEMO_REGIONS, roleName: DEMO_ROLE_NAME, concurrency: 4, homeRegion: 'us-east-1', clients, ...extra };
}

/** The real steps, but discovery answers only once it has listed everything: the scan as it was before it streamed. */
function waitingForDiscovery(): ScanSteps {
  const real = awsScanSteps();
  return { ...real, discover: (options) => real.discover(options) };
}

/** What two runs of the same organization must share: everything but the times and the calls. */
function comparable(report: ScanReport): unknown {
  return {
    accounts: report.accounts.map(({ apiCalls: _calls, ...account }) => account),
    findings: report.findings,
    summary: report.summary,
    notes: report.stats?.notes,
  };
}

async function scanned(extra: Partial<ScanOptions>, steps?: ScanSteps, hooks: AttemptHook[] = []): Promise<{ report: ScanReport; clients: AwsClients }> {
  const clients = scanClients(hooks);
  try {
    const { report } = await runScan(scanOptions(clients, extra), steps);
    return { report, clients };
  } finally {
    clients.destroy();
  }
}

describe('runScan: collection while discovery goes on', () => {
  useMoto();

  it('on the demo organization, whole and with --ous: the same report as a scan that waits for discovery', async () => {
    // Prepare
    const seeder = motoClients();
    const demo = await seedDemoOrganization(seeder, { organizationTrail: true });
    seeder.destroy();
    // Act
    const streamed = await scanned({});
    const waited = await scanned({}, waitingForDiscovery());
    const streamedOus = await scanned({ ous: [demo.sandbox.id] });
    const waitedOus = await scanned({ ous: [demo.sandbox.id] }, waitingForDiscovery());
    // Walked although small (the OUs are wanted): the same accounts and verdicts, with their OU.
    const walked = await scanned({ organizationalUnits: true });
    // Assess
    expect(comparable(streamed.report)).toEqual(comparable(waited.report));
    expect(comparable(streamedOus.report)).toEqual(comparable(waitedOus.report));
    const inScope = demo.accounts.filter((a) => a.scanned).map((a) => a.accountId);
    expect(streamed.report.accounts.filter((a) => a.status !== 'SKIPPED').map((a) => a.accountId)).toEqual([...inScope].sort());
    const inSandbox = streamedOus.report.accounts.map((a) => a.accountId);
    expect(inSandbox.length).toBeGreaterThan(0);
    expect(inSandbox.length).toBeLessThan(streamed.report.accounts.length);
    expect(streamedOus.report.findings.every((f) => inSandbox.includes(f.accountId))).toBe(true);
    const withoutOus = (report: ScanReport) => comparable({ ...report, accounts: report.accounts.map(({ ou: _ou, ...a }) => a) });
    expect(withoutOus(walked.report)).toEqual(comparable(streamed.report));
    expect(walked.report.accounts.every((a) => a.ou !== undefined)).toBe(true);
  });

  it('reads members while the organization is still being listed, the management account first', async () => {
    // Prepare: 45 members and the management account: more than the first two pages of ListAccounts, so the tree is walked after them.
    const seeder = motoClients();
    const org = seeder.organizations({ accountId: MANAGEMENT });
    await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    for (let i = 0; i < 45; i += 1) await org.send(new CreateAccountCommand({ AccountName: `member-${i}`, Email: `member-${i}@example.com` }));
    seeder.destroy();
    const calls: CallInfo[] = [];
    const record: AttemptHook = async (info) => {
      calls.push(info);
      // Organizations answers slowly (300 ms a listing): long after the management account's read, even on a busy machine.
      if (info.service === 'Organizations') await new Promise((resolve) => setTimeout(resolve, 300));
    };
    // Act
    const streamed = await scanned({ regions: ['us-east-1'] }, undefined, [record]);
    // Assess
    const lastListing = calls.map((c) => c.service).lastIndexOf('Organizations');
    const firstOf = (accountId: string) => calls.findIndex((c) => c.accountId === accountId);
    const members = streamed.report.accounts.map((a) => a.accountId).filter((id) => id !== MANAGEMENT);
    expect(members).toHaveLength(45);
    const firstMemberCall = Math.min(...members.map(firstOf).filter((i) => i >= 0));
    // A member's first call comes before the organization's last listing, and after the management account's first.
    expect(firstMemberCall).toBeLessThan(lastListing);
    expect(firstOf(MANAGEMENT)).toBeLessThan(firstMemberCall);
    expect(calls.filter((c) => c.operation === 'ListAccountsForParent').length).toBeGreaterThan(0);
    // And the report of a scan that waited for the last page.
    const waited = await scanned({ regions: ['us-east-1'] }, waitingForDiscovery());
    expect(comparable(streamed.report)).toEqual(comparable(waited.report));
    expect(streamed.report.accounts.map((a) => a.accountId)).toEqual([MANAGEMENT, ...members].sort());
  });

  it("reports an OU whose listing fails and scans the other OU's accounts (injected: moto never fails)", async () => {
    // Prepare: two OUs with two accounts each.
    const seeder = motoClients();
    const org = seeder.organizations({ accountId: MANAGEMENT });
    await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    const rootId = (await org.send(new ListRootsCommand({}))).Roots?.[0]?.Id as string;
    const ous: string[] = [];
    const under = new Map<string, string[]>();
    for (const name of ['workloads', 'sandbox']) {
      const ou = (await org.send(new CreateOrganizationalUnitCommand({ ParentId: rootId, Name: name }))).OrganizationalUnit?.Id as string;
      ous.push(ou);
      for (let i = 0; i < 2; i += 1) {
        const id = (await org.send(new CreateAccountCommand({ AccountName: `${name}-${i}`, Email: `${name}-${i}@example.com` }))).CreateAccountStatus?.AccountId as string;
        await org.send(new MoveAccountCommand({ AccountId: id, SourceParentId: rootId, DestinationParentId: ou }));
        under.set(ou, [...(under.get(ou) ?? []), id]);
      }
    }
    seeder.destroy();
    const [workloads, sandbox] = ous as [string, string];
    const failing: AttemptHook = (info) => {
      if (info.operation === 'ListAccountsForParent' && info.input?.ParentId === sandbox) throw awsError('ServiceException', 500, 'Organizations is having a bad day');
    };
    // Act
    const { report } = await scanned({ regions: ['us-east-1'], ous: [workloads, sandbox] }, undefined, [failing]);
    // Assess
    expect(report.accounts.map((a) => a.accountId)).toEqual([...(under.get(workloads) ?? [])].sort());
    expect(report.accounts.every((a) => a.status === 'SCANNED')).toBe(true);
    expect(report.stats?.notes).toEqual([
      `discovery incomplete: the accounts under ${sandbox} (ServiceException: Organizations is having a bad day) could not be listed, so they are not in this scan`,
    ]);
  });
});
