/**
 * The re-check applies accepted risk as the scheduled scan does: a break of an excepted check is
 * stored with its exception and not published; OU entries match through the units the stored
 * report recorded. runScan is injected (the moto end-to-end paths are in test/handlers and
 * test/cli/recheck.test.ts); everything else is the real recheck.
 */
import { AwsClients } from '../../src/aws/clients';
import type { Finding } from '../../src/evaluate/types';
import { summarize } from '../../src/evaluate';
import { parseExceptions } from '../../src/exceptions';
import type { ScanReport } from '../../src/report/types';
import type { ScanOptions, ScanResult } from '../../src/scan';
import { parseEventBridgeEvent } from '../../src/watch/events';
import { accountParentsOf, recheck } from '../../src/watch/recheck';
import { watchedEvent } from './fixtures/events';

const ACCOUNT = '111111111111';
const NOW = new Date('2026-12-04T09:01:00Z');

function finding(check: Finding['check'], status: Finding['status']): Finding {
  return { accountId: ACCOUNT, check, control: '4.10', status, coveredRegions: [], uncoveredRegions: [], brokenLink: status === 'PASS' ? null : 'metricFilter', reason: `${check} is ${status}`, evidence: {} };
}

function report(findings: Finding[]): ScanReport {
  return {
    benchmark: 'cis-aws-v4.0.0',
    startedAt: '2026-12-04T06:00:00Z',
    finishedAt: '2026-12-04T06:01:00Z',
    accounts: [{ accountId: ACCOUNT, name: 'prod', status: 'SCANNED', regions: ['us-east-1'], ou: { id: 'ou-ab12-prod0001', path: ['Root', 'workloads', 'prod'], ids: ['r-ab12', 'ou-ab12-work0001', 'ou-ab12-prod0001'] } }],
    findings,
    summary: summarize(findings),
  };
}

const baseline = report([finding('security_group_changes', 'PASS'), finding('vpc_changes', 'PASS')]);
const event = parseEventBridgeEvent(watchedEvent('DeleteMetricFilter', { accountId: ACCOUNT, eventTime: '2026-12-04T09:00:12Z', eventID: 'e1' }));

/** Both checks broke: the scan the re-check runs finds them FAIL. */
async function brokenScan(_options: ScanOptions): Promise<ScanResult> {
  return { report: report([finding('security_group_changes', 'FAIL'), finding('vpc_changes', 'FAIL')]), inventories: [] };
}

function exceptions(scope: string) {
  return parseExceptions(`exceptions:\n  - ${scope}\n    checks: [vpc_changes]\n    reason: VPCs are managed by the network team's pipeline\n    approvedBy: ciso@example.com\n    expires: 2027-03-31\n`, { now: NOW, source: 'x.yml' });
}

async function run(rules?: ReturnType<typeof exceptions>) {
  const clients = new AwsClients({ endpointUrl: 'http://127.0.0.1:9' });
  try {
    return await recheck([event], {
      benchmark: 'cis-aws-v4.0.0',
      roleName: 'trailwatch-member',
      homeRegion: 'us-east-1',
      concurrency: 1,
      clients,
      baseline: { kind: 'given', report: baseline },
      runScan: brokenScan,
      now: () => NOW,
      ...(rules ? { exceptions: rules } : {}),
    });
  } finally {
    clients.destroy();
  }
}

describe('recheck with exceptions', () => {
  it('without exceptions tells both breaks', async () => {
    const outcome = await run();
    expect(outcome.changes.map((c) => c.check)).toEqual(['security_group_changes', 'vpc_changes']);
    expect(outcome.excepted).toBeUndefined();
  });

  it.each([
    ['an account entry', `accounts: ['${ACCOUNT}']`],
    ['an entry naming a parent unit of the account', 'ous: [ou-ab12-work0001]'],
  ])('with %s, publishes only the unexcepted break and stores the excepted one with its exception', async (_, scope) => {
    const outcome = await run(exceptions(scope));
    expect(outcome.changes.map((c) => c.check)).toEqual(['security_group_changes']);
    expect(outcome.excepted?.map((c) => [c.check, c.status, c.exception?.expires])).toEqual([['vpc_changes', 'FAIL', '2027-03-31']]);
    expect(outcome.messages).toHaveLength(1);
    expect(outcome.messages[0]?.message).not.toContain('vpc_changes');
    expect(outcome.report?.findings.find((f) => f.check === 'vpc_changes')?.exception?.approvedBy).toBe('ciso@example.com');
  });

  it('an entry naming another unit excepts nothing', async () => {
    const outcome = await run(exceptions('ous: [ou-ab12-else0001]'));
    expect(outcome.changes).toHaveLength(2);
  });

  it('reads each account’s units from the stored report', () => {
    expect(accountParentsOf(baseline)).toEqual({ [ACCOUNT]: ['r-ab12', 'ou-ab12-work0001', 'ou-ab12-prod0001'] });
    expect(accountParentsOf({ ...baseline, accounts: [{ accountId: ACCOUNT, status: 'SCANNED' }] })).toBeUndefined();
  });
});
