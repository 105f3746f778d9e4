/**
 * What every fault test shares: a small synthetic organization in moto, `trailwatch scan` over
 * it (the CLI's scan with its JSON report and exit code, on the real runScan) with faults
 * injected into the SDK clients, and the invariants a scan must keep whatever goes wrong — it
 * finishes, every account in scope is reported exactly once (SCANNED, or ERROR with the
 * reason), exactly one finding per account and check, nothing retried without bound.
 */
import { AwsClients, CallCounter, type AttemptHook } from '../../src/aws/clients';
import { CHECK_SLUGS } from '../../src/controls';
import { MOTO_CREDENTIALS } from '../../src/demo/moto';
import { scanFromTerminal, type ScanCommandOptions } from '../../src/cli/commands/scan';
import type { ScanReport } from '../../src/report/types';
import { seedSyntheticOrganization, SYNTHETIC_ROLE_NAME, type SyntheticOrganization } from '../../scripts/bench/organization';
import { motoEndpoint } from '../support/moto';
import { AttemptLog } from './inject';

export const BENCHMARK = 'cis-aws-v4.0.0' as const;
export const REGIONS = ['us-east-1', 'eu-west-1'] as const;
/** The factory's default: attempts per call, retries included. */
export const MAX_ATTEMPTS = 6;

/** Management plus five members: three covered by the organization trail alone, one with its own chain, one with a broken own chain. */
export async function seedOrganization(accounts = 6): Promise<SyntheticOrganization> {
  const seeder = new AwsClients({ endpointUrl: motoEndpoint(), credentials: MOTO_CREDENTIALS });
  try {
    return await seedSyntheticOrganization(seeder, { accounts, concurrency: 3 });
  } finally {
    seeder.destroy();
  }
}

export interface FaultyScan {
  /** The JSON report `trailwatch scan --format json` printed. */
  readonly report: ScanReport;
  readonly exitCode: number;
  readonly clients: AwsClients;
  readonly log: AttemptLog;
  readonly elapsedMs: number;
}

/** `trailwatch scan --format json` with `hooks` run before each HTTP attempt (after the attempt log). */
export async function scanWith(hooks: readonly AttemptHook[], overrides: Partial<ScanCommandOptions> = {}): Promise<FaultyScan> {
  const log = new AttemptLog();
  const clients = new AwsClients({
    endpointUrl: motoEndpoint(),
    credentials: MOTO_CREDENTIALS,
    callCounter: new CallCounter(),
    maxAttempts: MAX_ATTEMPTS,
    attemptHooks: [log.hook, ...hooks],
  });
  let stdout = '';
  const ignore = { write: () => true };
  const started = Date.now();
  try {
    const exitCode = await scanFromTerminal(
      {
        benchmark: BENCHMARK,
        regions: [...REGIONS],
        roleName: SYNTHETIC_ROLE_NAME,
        concurrency: 3,
        homeRegion: 'us-east-1',
        format: 'json',
        // The faults are injected into the reads of members: read them even where the organization trail settles every check.
        readEveryAccount: true,
        ...overrides,
      },
      { stdout: { write: (text: string) => ((stdout += text), true) }, stderr: ignore, stdin: process.stdin },
      { clients },
    );
    return { report: JSON.parse(stdout) as ScanReport, exitCode, clients, log, elapsedMs: Date.now() - started };
  } finally {
    clients.destroy();
  }
}

/** `${accountId} ${check}` -> status, for comparing two scans finding by finding. */
export function verdicts(report: ScanReport): Map<string, string> {
  return new Map(report.findings.map((f) => [`${f.accountId} ${f.check}`, f.status]));
}

/** The invariants every scan keeps, faults or not. */
export function expectSoundReport(scan: FaultyScan, org: SyntheticOrganization, checks: readonly string[] = CHECK_SLUGS): void {
  const { report } = scan;
  const inScope = org.accounts.filter((a) => a.kind !== 'suspended').map((a) => a.accountId);

  // Every account in scope exactly once, SCANNED or ERROR with its reason.
  const reported = report.accounts.map((a) => a.accountId);
  expect([...reported].sort()).toEqual(org.accounts.map((a) => a.accountId).sort());
  expect(new Set(reported).size).toBe(reported.length);
  for (const account of report.accounts.filter((a) => inScope.includes(a.accountId))) {
    expect(['SCANNED', 'ORGANIZATION_TRAIL', 'ERROR']).toContain(account.status);
    if (account.status === 'ERROR') expect(account.error).toEqual(expect.stringMatching(/\S/));
  }

  // Exactly one finding per account in scope and check: none lost, none twice.
  const keys = report.findings.map((f) => `${f.accountId} ${f.check}`);
  expect(new Set(keys).size).toBe(keys.length);
  expect([...keys].sort()).toEqual(inScope.flatMap((id) => checks.map((check) => `${id} ${check}`)).sort());

  // An account that could not be scanned has only ERROR findings, each saying why.
  for (const account of report.accounts.filter((a) => a.status === 'ERROR')) {
    for (const finding of report.findings.filter((f) => f.accountId === account.accountId)) {
      expect(finding.status).toBe('ERROR');
      expect(finding.reason).toContain(account.error as string);
    }
  }
  // A finding that could not be decided says why.
  for (const finding of report.findings.filter((f) => f.status === 'ERROR')) expect(finding.reason).toEqual(expect.stringMatching(/\S/));

  const summary = { pass: 0, fail: 0, error: 0 };
  for (const f of report.findings) summary[f.status === 'PASS' ? 'pass' : f.status === 'FAIL' ? 'fail' : 'error'] += 1;
  expect(report.summary).toEqual(summary);

  // Nothing retried without bound: no call had more attempts than the factory allows.
  const attemptsByOperation = new Map<string, number>();
  for (const info of scan.log.attempts) {
    const key = `${info.accountId} ${info.service}:${info.operation}`;
    attemptsByOperation.set(key, (attemptsByOperation.get(key) ?? 0) + 1);
  }
  const unbounded = [...attemptsByOperation]
    .map(([key, attempts]) => {
      const [accountId, operation] = key.split(' ') as [string, string];
      return { key, attempts, calls: scan.clients.callCounter.forAccount(accountId)[operation] ?? 0 };
    })
    .filter(({ attempts, calls }) => attempts > calls * MAX_ATTEMPTS);
  expect(unbounded).toEqual([]);
  expect(scan.clients.callCounter.attempts()).toBeLessThanOrEqual(scan.clients.callCounter.total() * MAX_ATTEMPTS);
}
