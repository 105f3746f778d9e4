/**
 * Every field of the scan Lambda's manual payload with malformed values, through the handler:
 * the invocation fails with a PayloadError that names the field, the log says nothing was
 * scanned, and the orchestrator is never called — a bad payload never scans more (or less)
 * than was asked.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { createScanHandler } from '../../src/lambda';
import { PayloadError, type LambdaSettings } from '../../src/config';
import type { ScanOptions, ScanResult } from '../../src/scan';
import { captureStdoutJsonAsync } from '../notify/capture';

const settings: LambdaSettings = {
  benchmark: 'cis-aws-v4.0.0',
  roleName: 'trailwatch-member-read',
  concurrency: 10,
  deadlineMarginMs: 60_000,
  homeRegion: 'us-east-1',
  endpointUrl: 'http://127.0.0.1:9',
  notify: { topicArn: 'arn:aws:sns:us-east-1:123456789012:findings', when: 'on-fail', level: 'info' },
};

const ACCOUNT = '111111111111';
const manyAccounts = Array.from({ length: 5000 }, (_, i) => String(100000000000 + i));

type Case = [field: string, payload: unknown];

const CASES: Case[] = [
  ...([null, 4, true, '', '   ', 'v9', 'v1', 'cis-gcp-v1.0.0', ['v4.0.0'], {}, 'v'.repeat(10_000)] as unknown[]).map((value): Case => ['benchmark', { benchmark: value }]),
  ...([null, 'root_usage', [], [''], ['ROOT_USAGE'], ['root-usage'], ['root_usage', 'root_usage'], [1], [null], [['root_usage']], { 0: 'root_usage' }] as unknown[]).map(
    (value): Case => [value !== null && Array.isArray(value) && value.length > 0 ? 'checks[' : 'checks', { checks: value }],
  ),
  ...(
    [null, ACCOUNT, [], ['1234'], [111111111111], [`${ACCOUNT} `], ['11111111111a'], ['１１１１１１１１１１１１'], [ACCOUNT, ACCOUNT], [{}], [...manyAccounts, 'x']] as unknown[]
  ).map((value): Case => [value !== null && Array.isArray(value) && value.length > 0 ? 'accounts[' : 'accounts', { accounts: value }]),
  ...([null, 'eu-west-1', [], ['eu-west'], ['EU-WEST-1'], [''], [5], ['eu-west-1', 'eu-west-1'], ['eu-west-1;us-east-1']] as unknown[]).map(
    (value): Case => [value !== null && Array.isArray(value) && value.length > 0 ? 'regions[' : 'regions', { regions: value }],
  ),
  ...([null, 'false', 'no', 0, 1, [], {}] as unknown[]).map((value): Case => ['notify', { notify: value }]),
  ...([null, 'true', 'yes', 0, 1, [], {}] as unknown[]).map((value): Case => ['readEveryAccount', { readEveryAccount: value }]),
  ['acounts', { acounts: [ACCOUNT] }],
  ['Benchmark', { Benchmark: 'v4' }],
  ['__proto__', JSON.parse('{"__proto__": {"accounts": ["111111111111"]}}') as unknown],
  ['constructor', { constructor: 'x' }],
  ['(payload)', 'scan everything'],
  ['(payload)', 42],
  ['(payload)', true],
  ['(payload)', []],
  ['(payload)', [{ accounts: [ACCOUNT] }]],
  // Looks scheduled, but carries the fields of a narrowed scan: refused rather than scanning everything.
  ['accounts', { 'detail-type': 'Scheduled Event', source: 'aws.events', accounts: [ACCOUNT] }],
  ['detail-type', { 'detail-type': 42, source: 'aws.events' }],
];

describe('the scan Lambda with a malformed payload', () => {
  it.each(CASES)('refuses a bad %s, names it, and scans nothing: %j', async (field, payload) => {
    // Prepare
    const calls: ScanOptions[] = [];
    const handler = createScanHandler({
      settings,
      logger: new Logger({ serviceName: 'trailwatch' }),
      metrics: new Metrics({ namespace: 'trailwatch', serviceName: 'trailwatch' }),
      runScan: async (options): Promise<ScanResult> => {
        calls.push(options);
        throw new Error('must not be called');
      },
    });
    // Act
    const { error, lines } = await captureStdoutJsonAsync(() => handler(payload, { getRemainingTimeInMillis: () => 900_000 }));
    // Assess
    expect(error).toBeInstanceOf(PayloadError);
    const fields = (error as PayloadError).issues.map((issue) => issue.field);
    expect(fields.some((f) => f.startsWith(field))).toBe(true);
    expect((error as PayloadError).message.length).toBeLessThan(20_000);
    expect(calls).toEqual([]);
    expect(lines.find((line) => line.level === 'ERROR')).toMatchObject({ message: 'bad payload: nothing scanned' });
  });

  it('accepts the scheduled event and the fields a person types, as they are meant', async () => {
    // Prepare
    const calls: ScanOptions[] = [];
    const handler = createScanHandler({
      settings,
      logger: new Logger({ serviceName: 'trailwatch' }),
      metrics: new Metrics({ namespace: 'trailwatch', serviceName: 'trailwatch' }),
      runScan: async (options) => {
        calls.push(options);
        return { report: { benchmark: options.benchmark, startedAt: '', finishedAt: '', accounts: [], findings: [], summary: { pass: 0, fail: 0, error: 0 } }, inventories: [] };
      },
    });
    const scheduled = { 'detail-type': 'Scheduled Event', source: 'aws.events', time: '2025-11-20T06:00:00Z', detail: {} };
    // Act
    await captureStdoutJsonAsync(() => handler(scheduled, { getRemainingTimeInMillis: () => 900_000 }));
    await captureStdoutJsonAsync(() => handler({ benchmark: ' 4.0 ', checks: ['root_usage'], accounts: manyAccounts, notify: false }, { getRemainingTimeInMillis: () => 900_000 }));
    // Assess
    expect(calls).toHaveLength(2);
    expect(calls[0]?.accounts).toBeUndefined();
    expect(calls[1]).toMatchObject({ benchmark: 'cis-aws-v4.0.0', checks: ['root_usage'] });
    expect(calls[1]?.accounts).toHaveLength(5000);
  });
});
