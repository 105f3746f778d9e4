/**
 * The stored report's conditional update on moto (which honours If-Match and If-None-Match on
 * PutObject): a re-check whose read was overtaken by another writer merges again instead of
 * overwriting, so neither update is lost.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { Finding } from '../../src/evaluate/types';
import { baselineKey, getReport } from '../../src/notify/store';
import type { ScanReport } from '../../src/report/types';
import { mergeIntoBaseline, readBaseline } from '../../src/watch/baseline';
import { createBucket, REGION, SCANNER_ACCOUNT } from '../notify/topic-queue';
import { motoClients, useMoto } from '../support/moto';

function report(accountId: string, status: Finding['status'], finishedAt: string): ScanReport {
  const finding: Finding = { accountId, check: 'root_usage', control: '4.3', status, coveredRegions: [], uncoveredRegions: [], brokenLink: status === 'PASS' ? null : 'alarm', reason: status, evidence: {} };
  return { benchmark: 'cis-aws-v4.0.0', startedAt: finishedAt, finishedAt, accounts: [{ accountId, status: 'SCANNED' }], findings: [finding], summary: { pass: status === 'PASS' ? 1 : 0, fail: status === 'FAIL' ? 1 : 0, error: 0 } };
}

describe('the re-check baseline update', () => {
  useMoto();
  const location = { bucket: 'trailwatch-reports', prefix: 'trailwatch/', benchmark: 'cis-aws-v4.0.0' };

  it('loses no update when another writer got in between its read and its write', async () => {
    // Prepare: a baseline with two accounts passing; the re-check reads it
    const clients = motoClients();
    await createBucket(clients);
    const s3 = clients.s3({ accountId: SCANNER_ACCOUNT }, REGION);
    const key = baselineKey(location.prefix, location.benchmark);
    const start = { ...report('111111111111', 'PASS', '2026-12-04T06:00:00Z'), findings: [...report('111111111111', 'PASS', 'x').findings, ...report('222222222222', 'PASS', 'x').findings] };
    await s3.send(new PutObjectCommand({ Bucket: location.bucket, Key: key, Body: JSON.stringify(start) }));
    const read = await readBaseline(s3, location);
    // Another re-check writes account 2's failure meanwhile
    await mergeIntoBaseline(s3, location, report('222222222222', 'FAIL', '2026-12-04T09:00:20Z'));
    // Act: this re-check writes account 1's failure with the ETag it read first
    const written = await mergeIntoBaseline(s3, location, report('111111111111', 'FAIL', '2026-12-04T09:00:21Z'), { first: read });
    // Assess
    expect(written.attempts).toBe(2);
    const stored = await getReport(s3, location.bucket, key);
    expect(new Map(stored?.findings.map((f) => [f.accountId, f.status]))).toEqual(new Map([['111111111111', 'FAIL'], ['222222222222', 'FAIL']]));
    clients.destroy();
  });

  it('creates the baseline only if nobody did meanwhile (If-None-Match)', async () => {
    const clients = motoClients();
    await createBucket(clients);
    const s3 = clients.s3({ accountId: SCANNER_ACCOUNT }, REGION);
    const none = await readBaseline(s3, location);
    expect(none).toEqual({});
    await mergeIntoBaseline(s3, location, report('222222222222', 'FAIL', '2026-12-04T09:00:20Z'));
    const written = await mergeIntoBaseline(s3, location, report('111111111111', 'PASS', '2026-12-04T09:00:21Z'), { first: none });
    expect(written.attempts).toBe(2);
    expect((await getReport(s3, location.bucket, baselineKey(location.prefix, location.benchmark)))?.findings.map((f) => f.accountId).sort()).toEqual(['111111111111', '222222222222']);
    clients.destroy();
  });

  it('two re-checks at once both land', async () => {
    const clients = motoClients();
    await createBucket(clients);
    const s3 = clients.s3({ accountId: SCANNER_ACCOUNT }, REGION);
    await s3.send(new PutObjectCommand({ Bucket: location.bucket, Key: baselineKey(location.prefix, location.benchmark), Body: JSON.stringify(report('333333333333', 'PASS', 'x')) }));
    const ids = ['111111111111', '222222222222', '444444444444', '555555555555'];
    await Promise.all(ids.map((id) => mergeIntoBaseline(s3, location, report(id, 'FAIL', '2026-12-04T09:00:20Z'))));
    const stored = await getReport(s3, location.bucket, baselineKey(location.prefix, location.benchmark));
    expect(stored?.findings.map((f) => f.accountId).sort()).toEqual([...ids, '333333333333'].sort());
    clients.destroy();
  });
});
