import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { createScanHandler, isDoctorRequest, scanDeadlines, type ScanSummary } from '../../src/lambda';
import type { RunRecord } from '../../src/notify/run-record';
import { PayloadError, type LambdaSettings } from '../../src/config';
import { PublishError } from '../../src/notify/errors';
import type { ScanOptions, ScanResult } from '../../src/scan';
import { captureStdoutJsonAsync } from '../notify/capture';
import { finding, organizationReport, report } from '../notify/fixtures';

const settings: LambdaSettings = {
  benchmark: 'cis-aws-v4.0.0',
  roleName: 'trailwatch-member-read',
  externalId: 'trailwatch-external-id',
  concurrency: 10,
  deadlineMarginMs: 60_000,
  homeRegion: 'us-east-1',
  endpointUrl: 'http://127.0.0.1:9',
  notify: { topicArn: 'arn:aws:sns:us-east-1:123456789012:findings', when: 'on-fail', level: 'info', reportBucket: 'reports' },
};

const scheduledEvent = { 'detail-type': 'Scheduled Event', source: 'aws.events', time: '2025-11-20T06:00:00Z', detail: {} };
const NOW = 1_763_618_400_000;

const scanned = report([finding('111111111111', 'root_usage', 'FAIL'), finding('222222222222', 'root_usage', 'PASS')]);

/** A stand-in orchestrator that records what it was asked and answers with `answer`. */
function recordingScan(answer: (options: ScanOptions) => Promise<ScanResult>) {
  const calls: ScanOptions[] = [];
  return {
    calls,
    runScan: async (options: ScanOptions) => {
      calls.push(options);
      return answer(options);
    },
  };
}

function handlerWith(runScan: (options: ScanOptions) => Promise<ScanResult>, overrides: Partial<LambdaSettings> = {}) {
  return createScanHandler({
    settings: { ...settings, ...overrides },
    logger: new Logger({ serviceName: 'trailwatch' }),
    metrics: new Metrics({ namespace: 'trailwatch', serviceName: 'trailwatch' }),
    runScan,
    now: () => NOW,
  });
}

const context = (remainingMs: number) => ({ getRemainingTimeInMillis: () => remainingMs, awsRequestId: 'req-1' });

describe('scanDeadlines', () => {
  it('stops starting accounts a margin before the Lambda times out', () => {
    expect(scanDeadlines(NOW, 900_000, 60_000)).toEqual({ deadline: NOW + 840_000, abortAfterMs: 870_000 });
  });

  it('keeps a quarter of a short invocation for publishing', () => {
    expect(scanDeadlines(NOW, 20_000, 60_000)).toEqual({ deadline: NOW + 15_000, abortAfterMs: 17_500 });
  });

  it('sets no deadline without a Lambda context', () => {
    expect(scanDeadlines(NOW, undefined, 60_000)).toBeUndefined();
  });
});

describe('createScanHandler', () => {
  it('runs a full scan for the scheduled event, with the deadline and the notify settings', async () => {
    // Prepare
    const scan = recordingScan(async () => ({ report: scanned, inventories: [] }));
    // Act
    const { result } = await captureStdoutJsonAsync(() => handlerWith(scan.runScan)(scheduledEvent, context(900_000)));
    // Assess
    expect(scan.calls).toHaveLength(1);
    const options = scan.calls[0] as ScanOptions;
    expect(options).toMatchObject({
      benchmark: 'cis-aws-v4.0.0',
      roleName: 'trailwatch-member-read',
      externalId: 'trailwatch-external-id',
      concurrency: 10,
      homeRegion: 'us-east-1',
      deadline: NOW + 840_000,
      notify: { topicArn: 'arn:aws:sns:us-east-1:123456789012:findings', when: 'on-fail', level: 'info', reportBucket: 'reports' },
      // No remediation: nothing needs an inventory once its account is judged.
      releaseInventories: true,
    });
    expect(options.accounts).toBeUndefined();
    expect(options.regions).toBeUndefined();
    expect(options.clients.options.endpointUrl).toBe('http://127.0.0.1:9');
    expect(options.signal?.aborted).toBe(false);
    expect(result).toMatchObject({ benchmark: 'cis-aws-v4.0.0', summary: { pass: 1, fail: 1, error: 0 }, accounts: { total: 2, scanned: 2, notScanned: 0 } });
  });

  it('narrows the scan to what a manual payload names, and publishes nothing with notify: false', async () => {
    const scan = recordingScan(async () => ({ report: scanned, inventories: [] }));

    const { result } = await captureStdoutJsonAsync(() =>
      handlerWith(scan.runScan)(
        { benchmark: '3.0', checks: ['root_usage'], accounts: ['111111111111'], regions: ['eu-west-1'], notify: false },
        context(300_000),
      ),
    );

    expect(scan.calls[0]).toMatchObject({ benchmark: 'cis-aws-v3.0.0', checks: ['root_usage'], accounts: ['111111111111'], regions: ['eu-west-1'] });
    expect(scan.calls[0]?.notify).toBeUndefined();
    expect((result as ScanSummary).notification).toEqual({ published: false, reason: 'notify: false in the payload' });
  });

  it('reads every member when the payload asks, as the CLI does with --read-every-account', async () => {
    const scan = recordingScan(async () => ({ report: scanned, inventories: [] }));

    await captureStdoutJsonAsync(() => handlerWith(scan.runScan)({ readEveryAccount: true, notify: false }, context(300_000)));
    await captureStdoutJsonAsync(() => handlerWith(scan.runScan)({ notify: false }, context(300_000)));

    expect(scan.calls[0]?.readEveryAccount).toBe(true);
    expect(scan.calls[1]).not.toHaveProperty('readEveryAccount');
  });

  it('refuses a bad payload naming each wrong field, and scans nothing', async () => {
    // Prepare
    const scan = recordingScan(async () => ({ report: scanned, inventories: [] }));
    // Act
    const { error, lines } = await captureStdoutJsonAsync(() =>
      handlerWith(scan.runScan)({ accounts: ['12'], regions: ['mars-1'], verbose: true }, context(300_000)),
    );
    // Assess
    expect(error).toBeInstanceOf(PayloadError);
    expect((error as PayloadError).issues.map((i) => i.field)).toEqual(['accounts[0]', 'regions[0]', 'verbose']);
    expect(scan.calls).toEqual([]);
    expect(lines.find((l) => l.level === 'ERROR')).toMatchObject({ message: 'bad payload: nothing scanned' });
  });

  it('returns the whole report when it is small and only the summary when it is not', async () => {
    const small = await captureStdoutJsonAsync(() => handlerWith(async () => ({ report: scanned, inventories: [] }))({}, context(60_000)));
    const bigReport = organizationReport(400, ['root_usage', 'vpc_changes'], () => 'FAIL');
    const big = await captureStdoutJsonAsync(() => handlerWith(async () => ({ report: bigReport, inventories: [] }))({}, context(60_000)));

    expect(small.result?.report).toEqual(scanned);
    expect(big.result?.report).toBeUndefined();
    expect(big.result?.reportOmitted).toMatch(/over 64 KB/);
    expect(big.result?.summary).toEqual({ pass: 0, fail: 800, error: 0 });
  });

  it('logs one JSON line per account and EMF metrics per check', async () => {
    const { lines } = await captureStdoutJsonAsync(() => handlerWith(async () => ({ report: scanned, inventories: [] }))(scheduledEvent, context(60_000)));

    const accountLines = lines.filter((l) => l.message === 'account scanned');
    expect(accountLines.map((l) => l.accountId)).toEqual(['111111111111', '222222222222']);
    expect(accountLines[0]).toMatchObject({ level: 'INFO', service: 'trailwatch', awsRequestId: 'req-1', fail: 1 });
    expect(lines.filter((l) => l.check === 'root_usage').map((l) => [l.Pass, l.Fail, l.Error])).toEqual([[1, 1, 0]]);
  });

  it('logs the report and then fails the invocation when publishing fails', async () => {
    // Prepare
    const failure = new PublishError('publishing the report to arn:aws:sns:us-east-1:123456789012:findings failed after 0 of 1 message(s): boom', scanned, []);
    // Act
    const { error, lines } = await captureStdoutJsonAsync(() =>
      handlerWith(async () => {
        throw failure;
      })(scheduledEvent, context(60_000)),
    );
    // Assess
    expect(error).toBe(failure);
    const messages = lines.map((l) => l.message);
    expect(messages.filter((m) => m === 'account scanned')).toHaveLength(2);
    expect(messages.indexOf('scan finished')).toBeLessThan(messages.indexOf('publishing the report failed: the invocation fails'));
    expect(lines.filter((l) => l.ScheduledScanCompleted !== undefined)).toEqual([]); // no heartbeat: the Errors alarm speaks
  });

  describe('the heartbeat the heartbeat alarm watches', () => {
    const heartbeats = (lines: Record<string, unknown>[]) => lines.filter((l) => l.ScheduledScanCompleted !== undefined);
    const named = { ...context(60_000), functionName: 'trailwatch-prod-scan' };

    it('beats once when a scheduled scan completes, dimensioned exactly as the alarm expects', async () => {
      // Act
      const { lines, error } = await captureStdoutJsonAsync(() => handlerWith(async () => ({ report: scanned, inventories: [] }))(scheduledEvent, named));
      // Assess
      expect(error).toBeUndefined();
      const [beat, ...more] = heartbeats(lines);
      expect(more).toEqual([]);
      expect(beat).toMatchObject({ ScheduledScanCompleted: 1, service: 'trailwatch', function: 'trailwatch-prod-scan' });
      const emf = (beat?._aws ?? {}) as { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] };
      expect(emf.CloudWatchMetrics).toEqual([{ Namespace: 'trailwatch', Dimensions: [['service', 'function']], Metrics: [{ Name: 'ScheduledScanCompleted', Unit: 'Count' }] }]);
    });

    it('does not beat for a scan by hand, which must not hide a schedule that stopped', async () => {
      // Act
      const { lines } = await captureStdoutJsonAsync(() => handlerWith(async () => ({ report: scanned, inventories: [] }))({ checks: ['root_usage'] }, named));
      // Assess
      expect(heartbeats(lines)).toEqual([]);
    });

    it('does not beat when the scheduled scan fails', async () => {
      // Act
      const { lines, error } = await captureStdoutJsonAsync(() =>
        handlerWith(async () => {
          throw new Error('discovery failed');
        })(scheduledEvent, named),
      );
      // Assess
      expect(error).toBeInstanceOf(Error);
      expect(heartbeats(lines)).toEqual([]);
    });
  });

  describe('with SECURITY_HUB=true', () => {
    const onHub = { securityHub: true };

    it('imports after every scan, archiving what is no longer produced only for a scan of the whole scope', async () => {
      const scan = recordingScan(async () => ({ report: scanned, inventories: [] }));

      await captureStdoutJsonAsync(() => handlerWith(scan.runScan, onHub)(scheduledEvent, context(60_000)));
      await captureStdoutJsonAsync(() => handlerWith(scan.runScan, onHub)({ accounts: ['111111111111'] }, context(60_000)));
      await captureStdoutJsonAsync(() => handlerWith(scan.runScan, onHub)({ checks: ['root_usage'] }, context(60_000)));
      await captureStdoutJsonAsync(() => handlerWith(scan.runScan)(scheduledEvent, context(60_000)));

      expect(scan.calls.map((o) => o.securityHub)).toEqual([{ archiveMissing: true }, { archiveMissing: false }, { archiveMissing: false }, undefined]);
    });

    it('answers with the counts and the first failures, and logs every failure as an error', async () => {
      // Prepare: 25 findings Security Hub refused
      const failed = Array.from({ length: 25 }, (_, i) => ({ id: `trailwatch/cis-aws-v4.0.0/1111111111${`${i}`.padStart(2, '0')}/root_usage`, code: 'InvalidInput', message: 'refused' }));
      const securityHub = { imported: 5, archived: 2, suppressed: 1, reopened: 0, failed, calls: 4 };
      // Act
      const { result, lines } = await captureStdoutJsonAsync(() =>
        handlerWith(async () => ({ report: scanned, inventories: [], securityHub }), onHub)(scheduledEvent, context(60_000)),
      );
      // Assess
      expect(result?.securityHub).toEqual({ imported: 5, archived: 2, suppressed: 1, reopened: 0, failed: 25, failures: failed.slice(0, 20) });
      const logged = lines.find((l) => l.message === 'Security Hub import incomplete: findings not imported or not updated');
      expect(logged).toMatchObject({ level: 'ERROR', securityHub: { imported: 5, failed } });
    });

    it('logs a complete import as information', async () => {
      const securityHub = { imported: 2, archived: 0, suppressed: 0, reopened: 0, failed: [], calls: 2 };

      const { result, lines } = await captureStdoutJsonAsync(() =>
        handlerWith(async () => ({ report: scanned, inventories: [], securityHub }), onHub)(scheduledEvent, context(60_000)),
      );

      expect(result?.securityHub).toEqual({ imported: 2, archived: 0, suppressed: 0, reopened: 0, failed: 0, failures: [] });
      expect(lines.find((l) => l.message === 'Security Hub import done')).toMatchObject({ level: 'INFO', securityHub: { imported: 2, calls: 2 } });
    });
  });
});

describe('createScanHandler: the record of each run (read by trailwatch doctor)', () => {
  function recordingHandler(runScan: (options: ScanOptions) => Promise<ScanResult>) {
    const records: RunRecord[] = [];
    const handler = createScanHandler({
      settings,
      logger: new Logger({ serviceName: 'trailwatch' }),
      metrics: new Metrics({ namespace: 'trailwatch', serviceName: 'trailwatch' }),
      runScan,
      now: () => NOW,
      recordRun: async (record) => {
        records.push(record);
      },
    });
    return { handler, records };
  }

  it('records a scheduled run when it starts and how it finished', async () => {
    // Prepare
    const { handler, records } = recordingHandler(async () => ({
      report: scanned,
      inventories: [],
      notification: { published: true, subject: 's', messageIds: ['m'], parts: 1, omittedFindings: 0, worstStatus: 'FAIL' },
    }));
    // Act
    await captureStdoutJsonAsync(() => handler(scheduledEvent, context(900_000)));
    // Assess
    const startedAt = new Date(NOW).toISOString();
    expect(records).toEqual([
      { trigger: 'schedule', startedAt, requestId: 'req-1', outcome: 'running' },
      {
        trigger: 'schedule',
        startedAt,
        requestId: 'req-1',
        outcome: 'finished',
        finishedAt: startedAt,
        summary: { pass: 1, fail: 1, error: 0 },
        accounts: { total: 2, scanned: 2, notScanned: 0 },
        published: true,
      },
    ]);
  });

  it('records a run that failed, with why, and still fails the invocation', async () => {
    // Prepare
    const { handler, records } = recordingHandler(async () => {
      throw new Error('boom');
    });
    // Act
    const { error } = await captureStdoutJsonAsync(() => handler({}, context(900_000)));
    // Assess
    expect((error as Error).message).toBe('boom');
    expect(records.map((r) => [r.trigger, r.outcome, r.detail])).toEqual([
      ['manual', 'running', undefined],
      ['manual', 'failed', 'boom'],
    ]);
  });

  it('sends a doctor request nowhere near the scan', async () => {
    const scan = recordingScan(async () => ({ report: scanned, inventories: [] }));
    const { error } = await captureStdoutJsonAsync(() => handlerWith(scan.runScan)({ doctor: true }, context(900_000)));
    expect(error).toBeInstanceOf(PayloadError);
    expect(scan.calls).toEqual([]);
    expect(isDoctorRequest({ doctor: true })).toBe(true);
    expect(isDoctorRequest({ checks: ['root_usage'] })).toBe(false);
  });
});
