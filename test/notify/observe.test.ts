import { Metrics } from '@aws-lambda-powertools/metrics';
import { countsByCheck, logReport, publishCheckMetrics } from '../../src/notify/observe';
import { captureStdoutJson, recordingLogger } from './capture';
import { finding, report } from './fixtures';

const scanned = report(
  [
    finding('111111111111', 'root_usage', 'FAIL'),
    finding('111111111111', 'vpc_changes', 'PASS'),
    finding('222222222222', 'root_usage', 'PASS'),
    finding('222222222222', 'vpc_changes', 'ERROR'),
    finding('333333333333', 'root_usage', 'ERROR'),
    finding('333333333333', 'vpc_changes', 'ERROR'),
  ],
  {
    accounts: [
      { accountId: '111111111111', name: 'payments', status: 'SCANNED', regions: ['us-east-1'], apiCalls: 7 },
      { accountId: '222222222222', status: 'SCANNED', regions: ['us-east-1'] },
      { accountId: '333333333333', status: 'ERROR', error: 'AssumeRole AccessDenied' },
      { accountId: '444444444444', name: 'closed', status: 'SKIPPED', error: 'suspended: not scanned' },
    ],
  },
);

describe('logReport', () => {
  it('writes one line per account with its counts and failing checks, then one for the run', () => {
    // Prepare
    const logger = recordingLogger();
    // Act
    logReport(logger, scanned);
    // Assess
    expect(logger.lines.map((l) => [l.level, l.message, l.fields.accountId])).toEqual([
      ['info', 'account scanned', '111111111111'],
      ['info', 'account scanned', '222222222222'],
      ['warn', 'account not scanned', '333333333333'],
      ['info', 'account skipped', '444444444444'],
      ['info', 'scan finished', undefined],
    ]);
    expect(logger.lines[0]?.fields).toMatchObject({ accountName: 'payments', pass: 1, fail: 1, error: 0, apiCalls: 7 });
    expect(logger.lines[0]?.fields.failing).toEqual([{ check: 'root_usage', status: 'FAIL', brokenLink: 'alarm', reason: "alarm 'root_usage-alarm' in 111111111111 has actions disabled" }]);
    expect(logger.lines[2]?.fields).toMatchObject({ accountStatus: 'ERROR', accountError: 'AssumeRole AccessDenied' });
    expect(logger.lines[4]?.fields).toMatchObject({ benchmark: 'cis-aws-v4.0.0', accounts: 4, summary: { pass: 2, fail: 1, error: 3 } });
  });
});

describe('publishCheckMetrics', () => {
  it('counts pass, fail and error per check', () => {
    expect(Object.fromEntries(countsByCheck(scanned))).toEqual({
      root_usage: { pass: 1, fail: 1, error: 1 },
      vpc_changes: { pass: 1, fail: 0, error: 2 },
    });
  });

  it('writes one EMF record per check, dimensioned by benchmark and check', () => {
    // Prepare
    const metrics = new Metrics({ namespace: 'trailwatch', serviceName: 'trailwatch' });
    // Act
    const records = captureStdoutJson(() => publishCheckMetrics(metrics, scanned));
    // Assess
    const perCheck = records.filter((r) => typeof r.check === 'string');
    expect(perCheck.map((r) => [r.check, r.Pass, r.Fail, r.Error])).toEqual([
      ['root_usage', 1, 1, 1],
      ['vpc_changes', 1, 0, 2],
    ]);
    const emf = (perCheck[0]?._aws ?? {}) as { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] };
    expect(emf.CloudWatchMetrics[0]?.Namespace).toBe('trailwatch');
    expect(emf.CloudWatchMetrics[0]?.Dimensions[0]).toEqual(expect.arrayContaining(['benchmark', 'check']));
    expect(emf.CloudWatchMetrics[0]?.Metrics.map((m) => `${m.Name}:${m.Unit}`)).toEqual(['Pass:Count', 'Fail:Count', 'Error:Count']);
    const run = records.find((r) => r.AccountsScanned !== undefined);
    expect(run).toMatchObject({ AccountsScanned: 2, AccountsNotScanned: 1, benchmark: 'cis-aws-v4.0.0' });
  });
});
