// The Lambda's exceptions file: where the settings say (S3 object or SSM parameter, read from moto), read at
// every invocation; a file that cannot be used fails the invocation before anything is scanned.
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { ConfigurationError, loadLambdaSettings, type LambdaSettings } from '../../src/config';
import { ExceptionsFileError } from '../../src/exceptions';
import { createScanHandler } from '../../src/lambda';
import { createWatchHandler } from '../../src/lambda/watch-handler';
import type { RecheckOptions, RecheckOutcome, WatchEvent } from '../../src/watch';
import { watchedEvent } from '../watch/fixtures/events';
import { readExceptions } from '../../src/lambda/exceptions-source';
import type { ScanOptions, ScanResult } from '../../src/scan';
import { finding, report } from '../notify/fixtures';
import { motoClients, useMoto } from '../support/moto';

const NOW = Date.parse('2026-12-04T12:00:00Z');
const FILE = `exceptions:\n  - accounts: ['111111111111']\n    checks: [root_usage]\n    reason: break-glass\n    approvedBy: ciso\n    expires: 2027-01-31\n`;
const REQUIRED = { FINDINGS_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:findings', MEMBER_ROLE_NAME: 'trailwatch-member-read', AWS_REGION: 'us-east-1' };

describe('loadLambdaSettings: exceptions', () => {
  it('takes an S3 object as bucket/key or an SSM parameter name', () => {
    expect(loadLambdaSettings({ ...REQUIRED, EXCEPTIONS_S3_OBJECT: 'my-bucket/trailwatch/exceptions.yml' }).exceptions).toEqual({
      kind: 's3',
      bucket: 'my-bucket',
      key: 'trailwatch/exceptions.yml',
    });
    expect(loadLambdaSettings({ ...REQUIRED, EXCEPTIONS_SSM_PARAMETER: '/trailwatch/exceptions' }).exceptions).toEqual({ kind: 'ssm', name: '/trailwatch/exceptions' });
    expect(loadLambdaSettings(REQUIRED).exceptions).toBeUndefined();
  });

  it('refuses both at once, and names a malformed one', () => {
    expect(() => loadLambdaSettings({ ...REQUIRED, EXCEPTIONS_S3_OBJECT: 'b/k.yml', EXCEPTIONS_SSM_PARAMETER: '/p' })).toThrow(ConfigurationError);
    expect(() => loadLambdaSettings({ ...REQUIRED, EXCEPTIONS_SSM_PARAMETER: 'no-slash' })).toThrow(/EXCEPTIONS_SSM_PARAMETER: 'no-slash' is not an SSM parameter name/);
  });
});

describe('readExceptions', () => {
  useMoto();

  it('reads the file from an S3 object and from an SSM parameter', async () => {
    const clients = motoClients();
    try {
      const own = { accountId: 'scanner' };
      await clients.s3(own, 'us-east-1').send(new CreateBucketCommand({ Bucket: 'config' }));
      await clients.s3(own, 'us-east-1').send(new PutObjectCommand({ Bucket: 'config', Key: 'trailwatch/exceptions.yml', Body: FILE }));
      await clients.ssm(own, 'us-east-1').send(new PutParameterCommand({ Name: '/trailwatch/exceptions', Value: FILE, Type: 'SecureString' }));
      const now = new Date(NOW);

      const fromS3 = await readExceptions(clients, { kind: 's3', bucket: 'config', key: 'trailwatch/exceptions.yml' }, { region: 'us-east-1', now });
      const fromSsm = await readExceptions(clients, { kind: 'ssm', name: '/trailwatch/exceptions' }, { region: 'us-east-1', now });

      expect(fromS3.source).toBe('s3://config/trailwatch/exceptions.yml');
      expect(fromSsm.source).toBe('ssm:/trailwatch/exceptions');
      expect(fromS3.rules).toEqual(fromSsm.rules);
      expect(fromS3.rules[0]).toMatchObject({ accounts: ['111111111111'], checks: ['root_usage'] });
      await expect(readExceptions(clients, { kind: 'ssm', name: '/missing' }, { region: 'us-east-1', now })).rejects.toThrow(
        /cannot read the exceptions file ssm:\/missing: ParameterNotFound/,
      );
    } finally {
      clients.destroy();
    }
  });
});

describe('the scan handler with an exceptions file', () => {
  useMoto();
  const settings: LambdaSettings = {
    benchmark: 'cis-aws-v4.0.0',
    roleName: 'trailwatch-member-read',
    concurrency: 10,
    deadlineMarginMs: 60_000,
    homeRegion: 'us-east-1',
    notify: { topicArn: 'arn:aws:sns:us-east-1:123456789012:findings', when: 'on-fail', level: 'info' },
    exceptions: { kind: 'ssm', name: '/trailwatch/exceptions' },
  };

  async function invoke(parameter: string): Promise<{ calls: ScanOptions[]; outcome: Promise<unknown> }> {
    const seeder = motoClients();
    await seeder.ssm({ accountId: 'scanner' }, 'us-east-1').send(new PutParameterCommand({ Name: '/trailwatch/exceptions', Value: parameter, Type: 'String' }));
    seeder.destroy();
    const calls: ScanOptions[] = [];
    const handler = createScanHandler({
      settings,
      logger: new Logger({ serviceName: 'trailwatch', logLevel: 'SILENT' }),
      metrics: new Metrics({ namespace: 'trailwatch', serviceName: 'trailwatch' }),
      runScan: async (options) => {
        calls.push(options);
        return { report: report([finding('111111111111', 'root_usage', 'FAIL')]), inventories: [] } as ScanResult;
      },
      clients: () => motoClients(),
      now: () => NOW,
    });
    return { calls, outcome: handler({ notify: false }, { getRemainingTimeInMillis: () => 60_000 }) };
  }

  it('hands the parsed rules and its clock to the scan', async () => {
    const { calls, outcome } = await invoke(FILE);
    await outcome;

    expect(calls).toHaveLength(1);
    expect(calls[0]?.exceptions?.rules[0]).toMatchObject({ entry: 1, accounts: ['111111111111'] });
    expect(calls[0]?.now?.().toISOString()).toBe('2026-12-04T12:00:00.000Z');
  });

  it('scans nothing when the file is malformed, naming the entry and field', async () => {
    const { calls, outcome } = await invoke(FILE.replace('2027-01-31', '2028-01-31'));

    await expect(outcome).rejects.toThrow(ExceptionsFileError);
    await expect(outcome).rejects.toThrow(/ssm:\/trailwatch\/exceptions: entry 1, expires: '2028-01-31' is more than a year ahead/);
    expect(calls).toHaveLength(0);
  });
});

describe('the watch handler with an exceptions file', () => {
  useMoto();
  const settings: LambdaSettings = {
    benchmark: 'cis-aws-v4.0.0',
    roleName: 'trailwatch-member-read',
    concurrency: 10,
    deadlineMarginMs: 60_000,
    homeRegion: 'us-east-1',
    notify: { topicArn: 'arn:aws:sns:us-east-1:123456789012:findings', when: 'on-fail', level: 'info' },
    exceptions: { kind: 's3', bucket: 'config', key: 'trailwatch/exceptions.yml' },
  };
  const batch = {
    Records: ['m1', 'm2'].map((messageId) => ({
      messageId,
      body: JSON.stringify(watchedEvent('DeleteMetricFilter', { accountId: '111111111111' })),
    })),
  };

  /** The handler, with the exceptions file in moto's S3 (or none) and a re-check that records what it was given. */
  async function invoke(file: string | undefined): Promise<{ rechecks: { events: readonly WatchEvent[]; options: RecheckOptions }[]; failed: string[] }> {
    const seeder = motoClients();
    await seeder.s3({ accountId: 'scanner' }, 'us-east-1').send(new CreateBucketCommand({ Bucket: 'config' }));
    if (file !== undefined) await seeder.s3({ accountId: 'scanner' }, 'us-east-1').send(new PutObjectCommand({ Bucket: 'config', Key: 'trailwatch/exceptions.yml', Body: file }));
    seeder.destroy();
    const rechecks: { events: readonly WatchEvent[]; options: RecheckOptions }[] = [];
    const handler = createWatchHandler({
      settings,
      logger: new Logger({ serviceName: 'trailwatch', logLevel: 'SILENT' }),
      clients: () => motoClients(),
      recheck: async (events, options) => {
        rechecks.push({ events, options });
        return { plan: { accounts: [], throughOwner: [] }, changes: [], messageIds: [] } as unknown as RecheckOutcome;
      },
      now: () => NOW,
    });
    const response = await handler(batch, { getRemainingTimeInMillis: () => 60_000 });
    return { rechecks, failed: response.batchItemFailures.map((f) => f.itemIdentifier) };
  }

  it('reads the file at every batch and hands the rules and its clock to the re-check', async () => {
    const { rechecks, failed } = await invoke(FILE);

    expect(failed).toEqual([]);
    expect(rechecks).toHaveLength(1);
    expect(rechecks[0]?.events).toHaveLength(2);
    expect(rechecks[0]?.options.exceptions?.source).toBe('s3://config/trailwatch/exceptions.yml');
    expect(rechecks[0]?.options.exceptions?.rules[0]).toMatchObject({ accounts: ['111111111111'], checks: ['root_usage'] });
    expect(rechecks[0]?.options.now?.().toISOString()).toBe('2026-12-04T12:00:00.000Z');
  });

  it('re-checks nothing when the file is malformed, and leaves every record to the queue', async () => {
    const malformed = await invoke(FILE.replace('2027-01-31', '2028-01-31'));
    expect(malformed.rechecks).toEqual([]);
    expect(malformed.failed).toEqual(['m1', 'm2']);
  });

  it('leaves every record to the queue when the file is not there', async () => {
    const missing = await invoke(undefined);
    expect(missing.rechecks).toEqual([]);
    expect(missing.failed).toEqual(['m1', 'm2']);
  });
});
