// The Security Hub import on moto (it implements BatchImportFindings and GetFindings, though it
// ignores GetFindings' filters: the importer filters again, and this test shows it must).
import { EnableSecurityHubCommand, GetFindingsCommand, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { CHECK_SLUGS } from '../../src/controls/types';
import { exceptReport } from '../../src/exceptions';
import { importToSecurityHub } from '../../src/notify/security-hub';
import type { ScanReport } from '../../src/report/types';
import { awsError } from '../discover/faults';
import { finding, sampleReport } from '../report/fixtures';
import { motoClients, useMoto } from '../support/moto';

const SCANNER = '123456789012';
const REGION = 'eu-west-1';

function reportOf(accounts: string[]): ScanReport {
  const findings = accounts.flatMap((accountId) =>
    CHECK_SLUGS.map((check, i) => finding({ accountId, check, control: `4.${i + 1}`, status: i === 2 ? 'FAIL' : 'PASS', ...(i === 2 ? { brokenLink: 'alarm', fix: 'aws cloudwatch enable-alarm-actions --alarm-names x' } : {}) })),
  );
  return { ...sampleReport(), findings, summary: { pass: 0, fail: 0, error: 0 } };
}

async function hubFindings(): Promise<AwsSecurityFinding[]> {
  const clients = motoClients();
  try {
    const out: AwsSecurityFinding[] = [];
    let token: string | undefined;
    do {
      const page = await clients.securityHub({ accountId: SCANNER }, REGION).send(new GetFindingsCommand({ MaxResults: 100, NextToken: token }));
      out.push(...(page.Findings ?? []));
      token = page.NextToken || undefined;
    } while (token);
    return out;
  } finally {
    clients.destroy();
  }
}

describe('importToSecurityHub', () => {
  useMoto();
  beforeEach(async () => {
    const clients = motoClients();
    await clients.securityHub({ accountId: SCANNER }, REGION).send(new EnableSecurityHubCommand({}));
    clients.destroy();
  });

  it('imports 100 findings a call into the scanner\'s account, then archives the pairs a later scan no longer produces', async () => {
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
      const held = await hubFindings();
      expect(held).toHaveLength(120);
      expect(held.every((f) => f.AwsAccountId === SCANNER && f.ProductArn === `arn:aws:securityhub:${REGION}:${SCANNER}:product/${SCANNER}/default`)).toBe(true);
      const archived = held.filter((f) => f.RecordState === 'ARCHIVED').map((f) => f.Id);
      expect(archived).toHaveLength(15);
      expect(archived.every((id) => id?.includes(`/${accounts[0]}/`))).toBe(true);
    } finally {
      clients.destroy();
    }
  });

  it('archives nothing for a narrowed scan, and marks an excepted finding SUPPRESSED with a note', async () => {
    const clients = motoClients();
    try {
      await importToSecurityHub(reportOf(['100000000000', '100000000001']), clients, { accountId: SCANNER, region: REGION, archiveMissing: true });
      const narrowed = exceptReport(
        reportOf(['100000000001']),
        { rules: [{ entry: 1, accounts: ['100000000001'], ous: [], checks: 'all', reason: 'sandbox', approvedBy: 'ciso', expires: '2027-01-31' }] },
        { now: new Date('2026-12-04T12:00:00Z') },
      );

      const result = await importToSecurityHub(narrowed, clients, { accountId: SCANNER, region: REGION, archiveMissing: false });

      expect(result).toMatchObject({ imported: 15, archived: 0, failed: [] });
      const held = await hubFindings();
      expect(held.filter((f) => f.RecordState === 'ARCHIVED')).toHaveLength(0);
      const suppressed = held.find((f) => f.Id === 'trailwatch/cis-aws-v4.0.0/100000000001/root_usage');
      expect(suppressed).toMatchObject({ Workflow: { Status: 'SUPPRESSED' }, Note: { Text: expect.stringContaining('sandbox'), UpdatedBy: 'trailwatch' } });
      expect(suppressed?.ProductFields?.['trailwatch/fix']).toBe('aws cloudwatch enable-alarm-actions --alarm-names x');
    } finally {
      clients.destroy();
    }
  });

  it('reports every finding of a call Security Hub refuses, never drops them', async () => {
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
    } finally {
      clients.destroy();
    }
  });
});
