/**
 * Remediation end to end against moto: the demo organization seeded with failing accounts ->
 * the real scan -> plan -> apply -> re-scan of the touched accounts.
 */
import type { AccountSession, AwsClients } from '../../src/aws/clients';
import { DEMO_REGIONS, DEMO_ROLE_NAME, seedDemoOrganization, type DemoOrganization } from '../../src/demo';
import { AccountCredentials } from '../../src/discover';
import { applyPlan, planRemediation, remediateScan, type RemediationOptions } from '../../src/remediate';
import { runScan, type ScanResult } from '../../src/scan';
import { motoClients, useMoto } from '../support/moto';
import { emulateEnableAlarmActions, readState } from './support';

const EMAIL = { protocol: 'email', endpoint: 'secops@example.com' } as const;

function scan(clients: AwsClients, demo: DemoOrganization, accounts?: string[]): Promise<ScanResult> {
  return runScan({
    benchmark: demo.benchmark,
    regions: [...DEMO_REGIONS],
    roleName: DEMO_ROLE_NAME,
    concurrency: 4,
    homeRegion: 'us-east-1',
    clients,
    ...(accounts ? { accounts } : {}),
  });
}

function credentialsFor(clients: AwsClients, demo: DemoOrganization): AccountCredentials {
  return new AccountCredentials(clients, { callerAccountId: demo.managementAccountId, roleName: DEMO_ROLE_NAME, region: 'us-east-1' });
}

/** moto 5.2.1 lacks EnableAlarmActions: each account's CloudWatch clients answer it as AWS does (see support.ts). */
function withEnableAlarmActions(clients: AwsClients, sessionFor: (accountId: string) => Promise<AccountSession>) {
  const emulated = new Set<unknown>();
  return async (accountId: string) => {
    const session = await sessionFor(accountId);
    for (const region of DEMO_REGIONS) {
      const cloudWatch = clients.cloudWatch(session, region);
      if (!emulated.has(cloudWatch)) emulateEnableAlarmActions(cloudWatch);
      emulated.add(cloudWatch);
    }
    return session;
  };
}

describe.each([
  ['accounts with their own trails', false],
  ['an organization trail', true],
])('remediation of the demo organization with %s', (_what, organizationTrail) => {
  useMoto();

  it('turns every repairable FAIL into PASS, leaves the rest to a person, and a second apply changes nothing', async () => {
    // Prepare
    const seeder = motoClients();
    const demo = await seedDemoOrganization(seeder, { organizationTrail });
    seeder.destroy();
    const clients = motoClients();
    const credentials = credentialsFor(clients, demo);
    const apply = { clients, sessionFor: withEnableAlarmActions(clients, (accountId) => credentials.sessionFor(accountId)) };
    const remediation: RemediationOptions = { subscription: EMAIL, fixAlarms: true };
    const before = await scan(clients, demo);
    const manualChecks = new Set(
      before.report.findings.filter((f) => f.status === 'FAIL' && (f.brokenLink === 'trail' || f.brokenLink === 'logGroup')).map((f) => `${f.accountId} ${f.check}`),
    );
    const statesBefore = await Promise.all(
      before.inventories.map(async (inv) => readState(clients, await credentials.sessionFor(inv.accountId), 'us-east-1')),
    );
    // Act
    const run = await remediateScan(before, { mode: 'apply', remediation, apply, rescan: (accounts) => scan(clients, demo, accounts) });
    const afterAll = await scan(clients, demo);
    const replan = planRemediation(afterAll.report.findings, afterAll.inventories, remediation);
    const second = await applyPlan(run.plan, apply);
    // Assess
    expect(before.report.summary.fail).toBeGreaterThan(0);
    expect(run.applied?.outcomes.filter((o) => o.status !== "APPLIED" && o.status !== "UNCHANGED").map((o) => `${o.change.id} ${o.detail}`)).toEqual([]);
    expect(run.applied?.complete).toBe(true);
    expect(run.changes?.length).toBeGreaterThan(0);
    // Every repairable FAIL passes; what is left fails at the trail, which is a person's to fix.
    // (A trail FAIL may pass too: in an organization, trailwatch's chain on the organization trail
    // covers a member whose own trail is single-region.)
    const after = new Map((run.changes ?? []).map((c) => [`${c.accountId} ${c.check}`, c.after]));
    const repairable = before.report.findings.filter((f) => f.status === 'FAIL' && !manualChecks.has(`${f.accountId} ${f.check}`));
    expect(repairable.length).toBeGreaterThan(0);
    expect(repairable.filter((f) => after.get(`${f.accountId} ${f.check}`) !== 'PASS').map((f) => `${f.accountId} ${f.check}`)).toEqual([]);
    const failingAfter = afterAll.report.findings.filter((f) => f.status !== 'PASS');
    expect(failingAfter.filter((f) => !manualChecks.has(`${f.accountId} ${f.check}`))).toEqual([]);
    expect(failingAfter.every((f) => f.brokenLink === 'trail' || f.brokenLink === 'logGroup')).toBe(true);
    expect(replan.changes).toEqual([]);
    expect(second.applied).toBe(0);
    expect(second.complete).toBe(true);

    // What the accounts had is still there, as it was, apart from alarm actions --fix-alarms re-enabled.
    for (const [index, inv] of before.inventories.entries()) {
      const was = statesBefore[index]!;
      const now = await readState(clients, await credentials.sessionFor(inv.accountId), 'us-east-1');
      const theirs = (s: typeof was) => ({
        filters: s.filters.filter((f) => !f.filterName?.startsWith('trailwatch-')),
        alarms: s.alarms
          .filter((a) => !a.tags['managed-by'])
          .map(({ ActionsEnabled: _e, StateUpdatedTimestamp: _s, AlarmConfigurationUpdatedTimestamp: _c, ...rest }) => rest),
        topics: s.topics.filter((t) => !t.tags['managed-by']),
      });
      expect(theirs(now)).toEqual(theirs(was));
    }
    clients.destroy();
  });
});

describe('remediation against moto, from a real scan', () => {
  useMoto();

  it('plans an organization trail\'s repairs in the owner account for its members', async () => {
    // Prepare
    const seeder = motoClients();
    const demo = await seedDemoOrganization(seeder, { organizationTrail: true });
    seeder.destroy();
    const clients = motoClients();
    const before = await scan(clients, demo);
    // Act
    const plan = planRemediation(before.report.findings, before.inventories, { subscription: EMAIL });
    // Assess
    const memberOfOrgTrail = demo.accounts.find((a) => a.scenario === 'no-own-trail')!.accountId;
    const credited = before.report.findings.filter((f) => f.accountId === memberOfOrgTrail && f.status === 'FAIL');
    for (const f of credited.filter((c) => c.brokenLink !== 'trail' && c.brokenLink !== 'logGroup')) {
      const serving = plan.changes.filter((c) => c.forAccounts.includes(memberOfOrgTrail) && c.checks.includes(f.check));
      expect(serving.length).toBeGreaterThan(0);
      expect(new Set(serving.map((c) => c.accountId))).toEqual(new Set([demo.managementAccountId]));
    }
    clients.destroy();
  });
});
