import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { archiveReport, consoleObjectUrl, historyKey, pageKey, readHistoryFromBucket } from '../../src/notify/archive';
import { publishReport } from '../../src/notify/publish';
import { fullReportKey } from '../../src/notify/store';
import { motoClients, useMoto } from '../support/moto';
import { finding, report } from './fixtures';
import { createBucket, createTopicWithQueue, publishedEnvelopes, REGION, SCANNER_ACCOUNT } from './topic-queue';

describe('The report archive (S3 on moto)', () => {
  useMoto();
  let clients: ReturnType<typeof motoClients>;
  let s3: ReturnType<ReturnType<typeof motoClients>['s3']>;
  beforeEach(() => {
    clients = motoClients();
    s3 = clients.s3({ accountId: SCANNER_ACCOUNT }, REGION);
  });
  afterEach(() => clients.destroy());

  const read = async (bucket: string, key: string) => {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return { body: (await object.Body?.transformToString()) ?? '', contentType: object.ContentType };
  };
  const scanOn = (finishedAt: string, status: 'PASS' | 'FAIL') =>
    report([finding('111111111111', 'root_usage', status), finding('222222222222', 'root_usage', 'PASS')], { finishedAt, startedAt: finishedAt });

  it('keeps each scan: the JSON report, its HTML page next to it, and a trend index of one point per day', async () => {
    // Prepare
    const bucket = await createBucket(clients);
    const options = { bucket, prefix: 'trailwatch/', region: REGION, note: () => undefined };
    const monday = scanOn('2025-11-17T06:00:00.000Z', 'FAIL');
    const mondayAgain = scanOn('2025-11-17T18:00:00.000Z', 'FAIL');
    const tuesday = scanOn('2025-11-18T06:00:00.000Z', 'PASS');
    // Act
    await archiveReport(s3, monday, { ...options, now: new Date() });
    await archiveReport(s3, mondayAgain, { ...options, now: new Date() });
    const kept = await archiveReport(s3, tuesday, { ...options, now: new Date() });
    // Assess
    const reportKey = fullReportKey('trailwatch/', tuesday, new Date());
    expect(reportKey).toBe('trailwatch/reports/2025-11-18/2025-11-18T060000Z-cis-aws-v4.0.0.json');
    expect(kept).toEqual({
      reportLocation: `s3://${bucket}/${reportKey}`,
      pageLocation: `s3://${bucket}/${pageKey(reportKey)}`,
      pageConsoleUrl: consoleObjectUrl(bucket, pageKey(reportKey), REGION),
    });
    expect(JSON.parse((await read(bucket, reportKey)).body)).toEqual(tuesday);
    const page = await read(bucket, pageKey(reportKey));
    expect(page.contentType).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('2 scans in the last 90 days');
    const index = JSON.parse((await read(bucket, historyKey('trailwatch/', 'cis-aws-v4.0.0'))).body);
    expect(index.points.map((p: { finishedAt: string }) => p.finishedAt)).toEqual(['2025-11-17T18:00:00.000Z', '2025-11-18T06:00:00.000Z']);
    expect(index.points[0].checks.root_usage).toEqual({ pass: 1, fail: 1, error: 0, excepted: 0 });
  });

  it('starts the trend again, and says so, when the stored index is not one', async () => {
    const bucket = await createBucket(clients);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: historyKey('trailwatch/', 'cis-aws-v4.0.0'), Body: '{"points": 3' }));
    const notes: string[] = [];
    const kept = await archiveReport(s3, scanOn('2025-11-18T06:00:00.000Z', 'PASS'), { bucket, prefix: 'trailwatch/', region: REGION, now: new Date(), note: (n) => notes.push(n) });
    expect(kept.pageLocation).toBeDefined();
    expect(notes).toEqual([expect.stringMatching(/history\/cis-aws-v4\.0\.0\.json is not JSON: .*: the trend starts again from this scan/)]);
  });

  it('reads history back from a prefix: the index when there is one, else the reports of the last 90 days', async () => {
    // Prepare: reports without an index, a baseline, a stray file and one report too old to draw.
    const bucket = await createBucket(clients);
    const put = (key: string, body: string) => s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    for (const at of ['2025-11-01T06:00:00.000Z', '2025-11-10T06:00:00.000Z']) {
      const scan = scanOn(at, 'FAIL');
      await put(fullReportKey('old/', scan, new Date()), JSON.stringify(scan));
    }
    await put('old/reports/2025-01-01/2025-01-01T060000Z-cis-aws-v4.0.0.json', 'not even read');
    await put('old/baseline/cis-aws-v4.0.0.json', JSON.stringify(scanOn('2025-11-10T06:00:00.000Z', 'PASS')));
    await put('old/notes.json', '{"hello":"world"}');
    const notes: string[] = [];
    const options = { benchmark: 'cis-aws-v4.0.0', until: '2025-11-20T06:00:00.000Z', note: (n: string) => notes.push(n) };
    // Act
    const fromReports = await readHistoryFromBucket(s3, { bucket, prefix: 'old/' }, options);
    await archiveReport(s3, scanOn('2025-11-12T06:00:00.000Z', 'PASS'), { bucket, prefix: 'new/', region: REGION, now: new Date(), note: () => undefined });
    const fromIndex = await readHistoryFromBucket(s3, { bucket, prefix: 'new' }, options);
    // Assess
    expect(fromReports.map((p) => p.finishedAt).sort()).toEqual(['2025-11-01T06:00:00.000Z', '2025-11-10T06:00:00.000Z']);
    expect(notes).toEqual([`skipped s3://${bucket}/old/notes.json: not a trailwatch report`]);
    expect(fromIndex.map((p) => p.finishedAt)).toEqual(['2025-11-12T06:00:00.000Z']);
  });

  it('links the page from the email, and keeps it even when nothing is published', async () => {
    // Prepare
    const { topicArn } = await createTopicWithQueue(clients);
    const bucket = await createBucket(clients);
    const failing = scanOn('2025-11-20T06:00:00.000Z', 'FAIL');
    const passing = scanOn('2025-11-21T06:00:00.000Z', 'PASS');
    // Act
    const published = await publishReport(failing, { topicArn, when: 'on-fail', level: 'info', reportBucket: bucket }, { clients });
    const skipped = await publishReport(passing, { topicArn, when: 'on-fail', level: 'info', reportBucket: bucket }, { clients });
    // Assess
    const [envelope] = await publishedEnvelopes(topicArn);
    expect(published.pageConsoleUrl).toMatch(/^https:\/\/console\.aws\.amazon\.com\/s3\/object\/trailwatch-reports\?region=us-east-1&bucketType=general&prefix=trailwatch%2Freports%2F2025-11-20%2F2025-11-20T060000Z-cis-aws-v4\.0\.0\.html$/);
    expect(envelope?.email).toContain(`Report page (matrix, trend, fixes): ${published.pageConsoleUrl}`);
    expect(envelope?.email).toContain(`the object is ${published.pageLocation}`);
    expect(skipped).toMatchObject({ published: false, skipped: 'all-passed' });
    const key = (skipped.pageLocation ?? '').replace(`s3://${bucket}/`, '');
    expect((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).ContentType).toBe('text/html; charset=utf-8');
  });
});
