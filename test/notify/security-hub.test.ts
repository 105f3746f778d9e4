// The Security Hub import on moto (it implements BatchImportFindings and GetFindings, though it
// ignores GetFindings' filters: the importer filters again, and the first test shows it must).
// moto takes every well-formed finding, overwrites Workflow and Note on every import and has no
// BatchUpdateFindings: the tests of refused findings and of exceptions' workflow go through
// security-hub-proxy.ts, which behaves there as the API reference says Security Hub does.
import { EnableSecurityHubCommand, GetFindingsCommand, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { MOTO_CREDENTIALS } from '../../src/demo/moto';
import { AwsClients } from '../../src/aws/clients';
import { CHECK_SLUGS } from '../../src/controls/types';
import { exceptReport } from '../../src/exceptions';
import { describeImport, findingsToArchive, importToSecurityHub, NOTE_AUTHOR, workflowUpdates } from '../../src/notify/security-hub';
import type { AsffFinding } from '../../src/report/asff';
import type { ScanReport } from '../../src/report/types';
import { awsError } from '../discover/faults';
import { finding, sampleReport } from '../report/fixtures';
import { motoClients, motoEndpoint, useMoto } from '../support/moto';
import { startSecurityHubProxy, type SecurityHubProxy, type SecurityHubProxyOptions } from './security-hub-proxy';

const SCANNER = '123456789012';
const REGION = 'eu-west-1';
const PRODUCT = `arn:aws:securityhub:${REGION}:${SCANNER}:product/${SCANNER}/default`;
const idOf = (account: string, check: string): string => `trailwatch/cis-aws-v4.0.0/${account}/${check}`;

/** 15 findings per account; root_usage (the third check) fails with a fix, the others pass. */
function reportOf(accounts: string[]): ScanReport {
  const findings = accounts.flatMap((accountId) =>
    CHECK_SLUGS.map((check, i) =>
      finding({ accountId, check, control: `4.${i + 1}`, status: i === 2 ? 'FAIL' : 'PASS', ...(i === 2 ? { brokenLink: 'alarm', fix: 'aws cloudwatch enable-alarm-actions --alarm-names x' } : {}) }),
    ),
  );
  return { ...sampleReport(), accounts: accounts.map((accountId) => ({ accountId, status: 'SCANNED' as const })), findings, summary: { pass: 0, fail: 0, error: 0 } };
}

function excepted(report: ScanReport, account: string, expires: string, now: string): ScanReport {
  return exceptReport(report, { rules: [{ entry: 1, accounts: [account], ous: [], checks: 'all', reason: 'sandbox, torn down in March', approvedBy: 'ciso@example.com', expires }] }, { now: new Date(now) });
}

async function hubFindings(clients: AwsClients): Promise<AwsSecurityFinding[]> {
  const out: AwsSecurityFinding[] = [];
  let token: string | undefined;
  do {
    const page = await clients.securityHub({ accountId: SCANNER }, REGION).send(new GetFindingsCommand({ MaxResults: 100, NextToken: token }));
    out.push(...(page.Findings ?? []));
    token = page.NextToken || undefined;
  } while (token);
  return out;
}

describe('importToSecurityHub', () => {
  useMoto();
  beforeEach(async () => {
    const clients = motoClients();
    await clients.securityHub({ accountId: SCANNER }, REGION).send(new EnableSecurityHubCommand({}));
    clients.destroy();
  });

  describe('on moto', () => {
    it("imports 100 findings a call into the scanner's account, then archives the pairs a later scan no longer produces", async () => {
      // Prepare: 8 accounts x 15 checks = 120 findings.
      const accounts = Array.from({ length: 8 }, (_, i) => `${100000000000 + i}`);
      const clients = motoClients();
      try {
        // Act
        const first = await importToSecurityHub(reportOf(accounts), clients, { accountId: SCANNER, region: REGION, archiveMissing: true });
        const second = await importToSecurityHub(reportOf(accounts.slice(1)), clients, { accountId: SCANNER, region: REGION, archiveMissing: true });
        // Assess
        expect(first).toMatchObject({ imported: 120, archived: 0, failed: [] });
        expect(clients.callCounter.forAccount(SCANNER)['SecurityHub:BatchImportFindings']).toBe(2 + 2);
        expect(second).toMatchObject({ imported: 105, archived: 15, failed: [] });
        const held = await hubFindings(clients);
        expect(held).toHaveLength(120);
        // Security Hub takes a default product's findings only for the calling account: the member is in the Id and resources.
        expect(held.every((f) => f.AwsAccountId === SCANNER && f.ProductArn === PRODUCT)).toBe(true);
        expect(held.find((f) => f.Id === idOf(accounts[1] as string, 'root_usage'))?.Resources?.[0]).toMatchObject({ Type: 'AwsAccount', Id: `AWS::::Account:${accounts[1]}` });
        const archived = held.filter((f) => f.RecordState === 'ARCHIVED').map((f) => f.Id);
        expect(archived).toHaveLength(15);
        expect(archived.every((id) => id?.includes(`/${accounts[0]}/`))).toBe(true);
      } finally {
        clients.destroy();
      }
    });

    it('reports every finding of a call Security Hub refuses outright, never drops them', async () => {
      // Injected through the client factory's attempt hook: moto always lets the caller in.
      const clients = motoClients({
        attemptHooks: [
          (info) => {
            if (info.operation === 'BatchImportFindings') throw awsError('AccessDeniedException', 403, 'not authorized to perform securityhub:BatchImportFindings');
          },
        ],
      });
      try {
        const result = await importToSecurityHub(reportOf(['100000000000']), clients, { accountId: SCANNER, region: REGION, archiveMissing: false });

        expect(result.imported).toBe(0);
        expect(result.failed).toHaveLength(15);
        expect(result.failed[0]).toMatchObject({ id: expect.stringMatching(/^trailwatch\//), code: 'AccessDeniedException' });
        expect(describeImport(result)[0]).toBe('Security Hub: 0 finding(s) imported, 0 archived, 15 failed');
      } finally {
        clients.destroy();
      }
    });
  });

  describe('through a proxy that behaves as Security Hub is documented to', () => {
    let proxy: SecurityHubProxy | undefined;
    const clientsBehind = async (options: SecurityHubProxyOptions = {}): Promise<AwsClients> => {
      proxy = await startSecurityHubProxy(motoEndpoint(), options);
      return new AwsClients({ endpointUrl: proxy.endpoint, credentials: MOTO_CREDENTIALS });
    };
    afterEach(async () => {
      await proxy?.close();
      proxy = undefined;
    });

    it('tries a refused finding again and reports the ones still refused after the last attempt', async () => {
      const flaky = idOf('100000000000', 'root_usage');
      const hopeless = idOf('100000000000', 'vpc_changes');
      const clients = await clientsBehind({
        refuse: (id, attempt) =>
          id === hopeless ? { code: 'InvalidInput', message: 'refused for the test' } : id === flaky && attempt === 1 ? { code: 'InternalFailure', message: 'try again' } : undefined,
      });
      try {
        const result = await importToSecurityHub(reportOf(['100000000000']), clients, { accountId: SCANNER, region: REGION, archiveMissing: false, attempts: 3 });

        expect(result.imported).toBe(14);
        expect(result.failed).toEqual([{ id: hopeless, code: 'InvalidInput', message: 'refused for the test' }]);
        // One call for the batch, one for the two refused, one for the hopeless one alone.
        expect(clients.callCounter.forAccount(SCANNER)['SecurityHub:BatchImportFindings']).toBe(3);
        expect((await hubFindings(clients)).map((f) => f.Id)).toContain(flaky);
      } finally {
        clients.destroy();
      }
    });

    it('suppresses with a note the findings an exception comes to cover, and reopens them when it expires', async () => {
      const clients = await clientsBehind();
      const rootUsage = idOf('100000000001', 'root_usage');
      try {
        // Prepare: the findings exist before any exception.
        await importToSecurityHub(reportOf(['100000000000', '100000000001']), clients, { accountId: SCANNER, region: REGION, archiveMissing: true });

        // Act 1: an exception for 100000000001, on a scan narrowed to it (so nothing is archived).
        const narrowed = excepted(reportOf(['100000000001']), '100000000001', '2027-01-31', '2026-12-04T12:00:00Z');
        const withException = await importToSecurityHub(narrowed, clients, { accountId: SCANNER, region: REGION, archiveMissing: false });

        // Assess 1: the import alone would have left it NEW (the proxy ignores Workflow on existing findings, as AWS does).
        expect(withException).toMatchObject({ imported: 15, archived: 0, suppressed: 1, reopened: 0, failed: [] });
        let held = await hubFindings(clients);
        expect(held.filter((f) => f.RecordState === 'ARCHIVED')).toHaveLength(0);
        expect(held.find((f) => f.Id === rootUsage)).toMatchObject({
          Workflow: { Status: 'SUPPRESSED' },
          Note: { Text: expect.stringContaining('sandbox, torn down in March'), UpdatedBy: NOTE_AUTHOR },
          ProductFields: expect.objectContaining({ 'trailwatch/fix': 'aws cloudwatch enable-alarm-actions --alarm-names x' }),
        });
        expect(proxy?.updates).toEqual([
          expect.objectContaining({ FindingIdentifiers: [{ Id: rootUsage, ProductArn: PRODUCT }], Workflow: { Status: 'SUPPRESSED' } }),
        ]);

        // Act 2: the same scan again changes nothing; after the expiry the finding counts again.
        const again = await importToSecurityHub(narrowed, clients, { accountId: SCANNER, region: REGION, archiveMissing: false });
        const expired = excepted(reportOf(['100000000001']), '100000000001', '2027-01-31', '2027-02-01T08:00:00Z');
        const afterExpiry = await importToSecurityHub(expired, clients, { accountId: SCANNER, region: REGION, archiveMissing: false });

        // Assess 2
        expect(again).toMatchObject({ suppressed: 0, reopened: 0, failed: [] });
        expect(afterExpiry).toMatchObject({ suppressed: 0, reopened: 1, failed: [] });
        held = await hubFindings(clients);
        expect(held.find((f) => f.Id === rootUsage)).toMatchObject({ Workflow: { Status: 'NEW' }, Note: { Text: expect.stringContaining('no exception in force'), UpdatedBy: NOTE_AUTHOR } });
        expect(describeImport(afterExpiry)[0]).toBe('Security Hub: 15 finding(s) imported, 0 archived, 1 reopened (exception no longer in force), 0 failed');
      } finally {
        clients.destroy();
      }
    });
  });
});

describe('workflowUpdates', () => {
  const asff = (id: string, excepted: boolean, compliance: 'PASSED' | 'FAILED' = 'FAILED'): AsffFinding =>
    ({
      Id: id,
      Compliance: { Status: compliance, RelatedRequirements: [] },
      ...(excepted ? { Workflow: { Status: 'SUPPRESSED' }, Note: { Text: 'accepted until 2027-01-31 by ciso: sandbox', UpdatedBy: NOTE_AUTHOR, UpdatedAt: 'x' } } : {}),
    }) as unknown as AsffFinding;

  it("leaves a person's suppression alone, and findings Security Hub does not hold yet to the import", () => {
    const held = new Map([
      ['a', { status: 'SUPPRESSED', noteBy: 'arn:aws:iam::123456789012:user/alice', noteText: 'known, ticket SEC-1' }],
      ['b', { status: 'SUPPRESSED', noteBy: 'arn:aws:iam::123456789012:user/alice', noteText: 'known' }],
    ]);

    expect(workflowUpdates([asff('a', true), asff('b', false), asff('new', true)], held, '2026-12-04T12:00:00Z')).toEqual([]);
  });

  it('reopens as RESOLVED a finding trailwatch suppressed that now passes, and sends at most 100 findings a call', () => {
    const many = Array.from({ length: 150 }, (_, i) => asff(`x${i}`, true));
    const held = new Map<string, { status: string; noteBy?: string; noteText?: string }>(many.map((f) => [f.Id, { status: 'NEW' }]));
    held.set('passing', { status: 'SUPPRESSED', noteBy: NOTE_AUTHOR, noteText: 'old' });

    const updates = workflowUpdates([...many, asff('passing', false, 'PASSED')], held, '2026-12-04T12:00:00Z');

    expect(updates.map((u) => [u.kind, u.status, u.ids.length])).toEqual([
      ['suppress', 'SUPPRESSED', 100],
      ['suppress', 'SUPPRESSED', 50],
      ['reopen', 'RESOLVED', 1],
    ]);
  });
});

describe('findingsToArchive', () => {
  it('archives pairs of accounts gone and checks dropped, never those of an account that could not be scanned', () => {
    const report: ScanReport = {
      ...reportOf(['100000000001']),
      accounts: [
        { accountId: '100000000001', status: 'SCANNED' },
        { accountId: '100000000002', status: 'ERROR', error: 'AssumeRole failed' },
      ],
    };
    const held = [
      idOf('100000000000', 'root_usage'), // account gone
      idOf('100000000001', 'dropped_check'), // check no longer produced
      idOf('100000000001', 'root_usage'), // produced
      idOf('100000000002', 'root_usage'), // account in ERROR, no findings this time
    ].map((Id) => ({ Id }) as AwsSecurityFinding);
    const produced = new Set(report.findings.map((f) => idOf(f.accountId, f.check)));

    expect(findingsToArchive(held, produced, report, 'trailwatch/cis-aws-v4.0.0/').map((f) => f.Id)).toEqual([
      idOf('100000000000', 'root_usage'),
      idOf('100000000001', 'dropped_check'),
    ]);
  });
});
