import { CallCounter, AwsClients } from '../src/aws/clients';
import type { AccountInventory } from '../src/collect/inventory';
import { RegionsEnabledNowhereError } from '../src/evaluate';
import type { Finding } from '../src/evaluate/types';
import {
  collectWithinDeadline,
  DEADLINE_SKIPPED,
  DEADLINE_UNFINISHED,
  runScan,
  type ScanOptions,
  type ScanSteps,
} from '../src/scan';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function inventoryOf(accountId: string): AccountInventory {
  return { formatVersion: 1, accountId, collectedAt: '2026-01-01T00:00:00Z', regions: ['us-east-1'], trails: [], logGroups: {}, alarms: {}, topics: {}, readErrors: [] };
}

/** Fake steps: discovery returns the given accounts; collection runs `behaviour`; evaluation echoes what it got. */
function fakeSteps(accounts: string[], behaviour: (id: string, signal: AbortSignal) => Promise<void>, seen: string[] = []): ScanSteps {
  return {
    discover: async () => ({
      accounts: accounts.map((accountId) => ({ accountId })),
      skipped: [{ accountId: '999999999999', status: 'SKIPPED', error: 'account is SUSPENDED' }],
      organization: { managementAccountId: accounts[0], memberAccountIds: accounts.slice(1) },
      notes: [],
    }),
    collect: async (account, _options, signal) => {
      seen.push(account.accountId);
      await behaviour(account.accountId, signal);
      return inventoryOf(account.accountId);
    },
    evaluate: (inventories, context) => [
      ...inventories.map(
        (inv): Finding => ({ accountId: inv.accountId, check: 'root_usage', control: '4.3', status: 'PASS', coveredRegions: [], uncoveredRegions: [], brokenLink: null, reason: 'ok', evidence: {} }),
      ),
      ...context.failedAccounts.map(
        (f): Finding => ({ accountId: f.accountId, check: 'root_usage', control: '4.3', status: 'ERROR', coveredRegions: [], uncoveredRegions: [], brokenLink: null, reason: f.error, evidence: {} }),
      ),
    ],
  };
}

function options(overrides: Partial<ScanOptions> = {}): ScanOptions {
  return { benchmark: 'cis-aws-v4.0.0', roleName: 'trailwatch', concurrency: 2, homeRegion: 'us-east-1', clients: new AwsClients({ callCounter: new CallCounter() }), ...overrides };
}

describe('runScan', () => {
  it('turns one account failure into an ERROR for that account and scans the others', async () => {
    // Prepare
    const steps = fakeSteps(['111111111111', '222222222222', '333333333333'], async (id) => {
      if (id === '222222222222') throw Object.assign(new Error('not authorized to perform sts:AssumeRole'), { name: 'AccessDenied' });
    });
    // Act
    const { report, inventories } = await runScan(options(), steps);
    // Assess
    expect(inventories.map((i) => i.accountId).sort()).toEqual(['111111111111', '333333333333']);
    expect(report.accounts.find((a) => a.accountId === '222222222222')).toMatchObject({ status: 'ERROR', error: 'AccessDenied: not authorized to perform sts:AssumeRole' });
    expect(report.findings.find((f) => f.accountId === '222222222222')?.status).toBe('ERROR');
    expect(report.summary).toEqual({ pass: 2, fail: 0, error: 1 });
  });

  it('lists every account in scope exactly once, and suspended ones as SKIPPED', async () => {
    const ids = Array.from({ length: 7 }, (_, i) => String(100000000000 + i));
    const { report } = await runScan(options(), fakeSteps(ids, async () => sleep(5)));
    expect(report.accounts.map((a) => a.accountId).sort()).toEqual([...ids, '999999999999'].sort());
    expect(report.accounts.find((a) => a.accountId === '999999999999')?.status).toBe('SKIPPED');
  });

  it('stops at the deadline: unfinished and unstarted accounts are ERROR, the scan returns in time', async () => {
    // Prepare: account 1 is quick, account 2 hangs, accounts 3-4 wait behind it (concurrency 2)
    const ids = ['111111111111', '222222222222', '333333333333', '444444444444'];
    const seen: string[] = [];
    const steps = fakeSteps(
      ids,
      async (id, signal) => {
        if (id === '111111111111') return;
        // Hangs, like a call that never answers; the orchestrator must not wait for it.
        await new Promise<void>(() => expect(signal.aborted).toBe(false));
      },
      seen,
    );
    const started = Date.now();
    // Act
    const { report } = await runScan(options({ deadline: Date.now() + 300 }), steps);
    // Assess
    expect(Date.now() - started).toBeLessThan(2000);
    const byId = Object.fromEntries(report.accounts.map((a) => [a.accountId, a]));
    expect(byId['111111111111']?.status).toBe('SCANNED');
    expect(byId['222222222222']?.error).toBe(DEADLINE_UNFINISHED);
    expect(report.accounts.filter((a) => a.status === 'ERROR')).toHaveLength(3);
    expect(report.findings).toHaveLength(4);
  });
});

describe('runScan: regions asked for but not enabled', () => {
  const scoped = (notEnabled: Record<string, string[]>): ScanSteps => ({
    ...fakeSteps(Object.keys(notEnabled), async () => undefined),
    collect: async (account) => ({
      ...inventoryOf(account.accountId),
      regions: ['us-east-1', 'eu-west-1'].filter((r) => !(notEnabled[account.accountId] ?? []).includes(r)),
      ...(notEnabled[account.accountId]?.length ? { regionsNotEnabled: notEnabled[account.accountId] } : {}),
    }),
  });

  it('names the regions an account has not enabled on its account result', async () => {
    // Act
    const { report } = await runScan(options({ regions: ['us-east-1', 'eu-west-1'] }), scoped({ '111111111111': [], '222222222222': ['eu-west-1'] }));
    // Assess
    expect(report.accounts.find((a) => a.accountId === '222222222222')).toMatchObject({
      status: 'SCANNED',
      regions: ['us-east-1'],
      regionsNotEnabled: ['eu-west-1'],
      notes: ['asked for but not enabled, not scanned: eu-west-1'],
    });
    expect(report.accounts.find((a) => a.accountId === '111111111111')).not.toHaveProperty('regionsNotEnabled');
  });

  it('refuses a region no account has enabled, before evaluating or publishing anything', async () => {
    // Prepare
    const steps = scoped({ '111111111111': ['eu-west-1'], '222222222222': ['eu-west-1'] });
    const evaluated = jest.fn(steps.evaluate);
    // Act
    const scan = runScan(options({ regions: ['us-east-1', 'eu-west-1'] }), { ...steps, evaluate: evaluated });
    // Assess
    await expect(scan).rejects.toThrow(RegionsEnabledNowhereError);
    await expect(scan).rejects.toThrow('region eu-west-1 is enabled in none of the 2 accounts scanned');
    expect(evaluated).not.toHaveBeenCalled();
  });
});

describe('collectWithinDeadline', () => {
  it('never runs more accounts at once than the concurrency', async () => {
    let inFlight = 0;
    let peak = 0;
    const ids = Array.from({ length: 12 }, (_, i) => String(i));
    const outcomes = await collectWithinDeadline(
      ids,
      async () => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await sleep(5);
        inFlight -= 1;
      },
      { concurrency: 3 },
    );
    expect(peak).toBe(3);
    expect(outcomes.map((o) => o.kind)).toEqual(ids.map(() => 'collected'));
  });

  it('starts nothing once the deadline has passed', async () => {
    const started: string[] = [];
    const outcomes = await collectWithinDeadline(['a', 'b'], async (id) => void started.push(id), { concurrency: 1, deadline: Date.now() - 1 });
    expect(started).toEqual([]);
    expect(outcomes).toEqual([
      { kind: 'skipped', accountId: 'a', error: DEADLINE_SKIPPED },
      { kind: 'skipped', accountId: 'b', error: DEADLINE_SKIPPED },
    ]);
  });

  it('gives up on everything when the caller aborts', async () => {
    const controller = new AbortController();
    const pending = collectWithinDeadline(['a'], () => new Promise(() => undefined), { concurrency: 1, signal: controller.signal });
    controller.abort();
    expect((await pending)[0]?.kind).toBe('skipped');
  });
});
