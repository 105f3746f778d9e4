/**
 * Distributed mode end to end on moto. moto stores a state machine but does not run a
 * Distributed Map, so test/support/state-machine-driver.ts runs the real definition
 * (deploy/scan-state-machine.cjs) in process: the three real handlers (handlers/distributed-*.ts,
 * cold-started from their environment) for discover -> the batches -> aggregate, moto's S3 for
 * the account list, the batches' inventories and the Map Run's results. The report it stores is
 * the report single mode stores for the same organization (timestamps aside), and a batch that
 * keeps failing costs only its own accounts.
 */
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { DEMO_REGIONS, DEMO_ROLE_NAME, seedDemoOrganization } from '../../src/demo';
import { MOTO_CREDENTIALS } from '../../src/demo/moto';
import type { ScanSummary } from '../../src/lambda';
import type { ScanReport } from '../../src/report/types';
import { organizationTrailShadow, startOrganizationTrailProxy } from '../../scripts/bench/organization-trail-proxy';
import { seedSyntheticOrganization, SYNTHETIC_ROLE_NAME, type SyntheticOrganization } from '../../scripts/bench/organization';
import { createBucket, createTopicWithQueue, REGION, SCANNER_ACCOUNT } from '../notify/topic-queue';
import { coldStart, lambdaContext, scheduledEvent } from '../support/lambda';
import { motoClients, motoEndpoint, useMoto } from '../support/moto';
import { StateMachineDriver, substitute, type StepFunction } from '../support/state-machine-driver';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the generator serverless.yml loads
const { definition } = require('../../deploy/scan-state-machine.cjs') as { definition: (settings?: Record<string, number>) => unknown };

type StepHandler = (input: unknown, context: typeof lambdaContext) => Promise<unknown>;

/** The environment both modes' functions get (serverless.yml's provider environment, on moto). */
function environment(bucket: string, topicArn: string): Record<string, string> {
  return {
    FINDINGS_TOPIC_ARN: topicArn,
    REPORT_BUCKET: bucket,
    NOTIFY: 'always',
    // Empty: the default trailwatch/ (set explicitly, since a cold start leaves its environment in process.env).
    REPORT_PREFIX: '',
    NOTIFICATION_LEVEL: 'info',
    MEMBER_ROLE_NAME: DEMO_ROLE_NAME,
    REGIONS: DEMO_REGIONS.join(','),
    AWS_REGION: REGION,
    AWS_ENDPOINT_URL: motoEndpoint(),
    AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
    POWERTOOLS_METRICS_NAMESPACE: 'trailwatch',
    // Logs off the test's output; what the handlers return is asserted.
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  };
}

async function coldStartStep(path: string, env: Record<string, string>): Promise<StepHandler> {
  Object.assign(process.env, env);
  let handler: StepHandler | undefined;
  await jest.isolateModulesAsync(async () => {
    handler = ((await import(path)) as { handler: StepHandler }).handler;
  });
  return handler as StepHandler;
}

async function storedReport(summary: ScanSummary | undefined): Promise<ScanReport> {
  const uri = summary?.stored?.report ?? '';
  const [, bucket, key] = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri) ?? [];
  if (!bucket || !key) throw new Error(`no stored report in ${JSON.stringify(summary)}`);
  const clients = motoClients();
  try {
    const response = await clients.s3({ accountId: SCANNER_ACCOUNT }, REGION).send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return JSON.parse((await response.Body?.transformToString('utf-8')) ?? '{}') as ScanReport;
  } finally {
    clients.destroy();
  }
}

/**
 * The report without what differs between any two runs (when they started and ended) and the
 * call counts, which `expectSameCalls` compares.
 */
function comparable(report: ScanReport): unknown {
  const { startedAt: _startedAt, finishedAt: _finishedAt, stats, ...rest } = report;
  const { apiCalls: _total, apiCallsPerAccount: _perAccount, ...otherStats } = stats ?? { apiCalls: 0, apiCallsPerAccount: {} };
  return { ...rest, stats: otherStats, accounts: report.accounts.map(({ apiCalls: _calls, ...account }) => account) };
}

/**
 * The same calls as single mode but for account:ListRegions probes: moto has no Account API, and
 * a client factory learns that from its first failed ListRegions (the accounts already started
 * probe too). Each batch has a factory of its own, so each batch probes once or more, where a
 * single scan probes for as many accounts as start before the first answer. On AWS ListRegions
 * answers and there is no probe. So: at most one call more or less per account.
 */
function expectSameCalls(distributed: ScanReport, single: ScanReport): void {
  const ids = new Set([...Object.keys(distributed.stats?.apiCallsPerAccount ?? {}), ...Object.keys(single.stats?.apiCallsPerAccount ?? {})]);
  const deltas = [...ids].map((id) => (distributed.stats?.apiCallsPerAccount?.[id] ?? 0) - (single.stats?.apiCallsPerAccount?.[id] ?? 0));
  expect(deltas.filter((d) => Math.abs(d) > 1)).toEqual([]);
  expect(Math.abs((distributed.stats?.apiCalls ?? 0) - (single.stats?.apiCalls ?? 0))).toBeLessThanOrEqual(ids.size);
  expect(distributed.stats?.apiCallsPerAccount?.organization).toBe(single.stats?.apiCallsPerAccount?.organization);
}

describe('distributed mode on moto: discover -> batches -> collect -> aggregate', () => {
  useMoto();
  const savedEnv = { ...process.env };
  afterEach(() => {
    process.env = { ...savedEnv };
  });

  async function prepare(organizationTrail: boolean) {
    const seeding = motoClients();
    const demo = await seedDemoOrganization(seeding, { organizationTrail });
    const single = { ...(await createTopicWithQueue(seeding, 'single-findings')), bucket: await createBucket(seeding, 'single-reports') };
    const distributed = { ...(await createTopicWithQueue(seeding, 'distributed-findings')), bucket: await createBucket(seeding, 'distributed-reports') };
    seeding.destroy();
    return { demo, single, distributed };
  }

  async function singleMode(env: Record<string, string>): Promise<ScanReport> {
    const handler = await coldStart(env);
    return storedReport(await handler(scheduledEvent, lambdaContext));
  }

  async function distributedMode(
    env: Record<string, string>,
    machine: { batchSize: number; maxConcurrency?: number; toleratedFailurePercentage?: number },
    beforeAttempt?: (functionName: string, payload: unknown, attempt: number) => void,
    input: unknown = scheduledEvent,
  ) {
    const steps = {
      discover: await coldStartStep('../../handlers/distributed-discover', env),
      collect: await coldStartStep('../../handlers/distributed-collect', env),
      aggregate: await coldStartStep('../../handlers/distributed-aggregate', env),
    };
    const functions: Record<string, StepFunction> = Object.fromEntries(Object.entries(steps).map(([name, handler]) => [`fn-${name}`, (payload: unknown) => handler(payload, lambdaContext)]));
    const clients = motoClients();
    const driver = new StateMachineDriver({
      definition: substitute(definition({ maxConcurrency: 2, toleratedFailurePercentage: 100, ...machine }), {
        DiscoverFunctionArn: 'fn-discover',
        CollectFunctionArn: 'fn-collect',
        AggregateFunctionArn: 'fn-aggregate',
        ReportBucket: env.REPORT_BUCKET as string,
      }),
      functions,
      s3: clients.s3({ accountId: SCANNER_ACCOUNT }, REGION),
      executionName: 'scheduled-run-1',
      ...(beforeAttempt ? { beforeAttempt } : {}),
    });
    try {
      const summary = (await driver.start(input)) as ScanSummary;
      return { summary, report: await storedReport(summary), trace: driver.trace };
    } finally {
      clients.destroy();
    }
  }

  it.each([
    ['each member on its own chain', false, ''],
    ['with the organization trail, and a REPORT_PREFIX of its own', true, 'audit/'],
  ])('stores the same report as single mode for the demo organization (%s), in batches of 2', async (_label, organizationTrail, reportPrefix) => {
    // Prepare
    const { demo, single, distributed } = await prepare(organizationTrail);
    const expected = await singleMode(environment(single.bucket, single.topicArn));
    // Act
    const { summary, report, trace } = await distributedMode({ ...environment(distributed.bucket, distributed.topicArn), REPORT_PREFIX: reportPrefix }, { batchSize: 2 });
    // The run's files stay under trailwatch/distributed/ (the state machine role's prefix); the report goes under REPORT_PREFIX
    expect(summary.stored?.report).toMatch(new RegExp(`^s3://${distributed.bucket}/${reportPrefix || 'trailwatch/'}reports/`));
    // Assess: several batches ran, and the report is single mode's, calls counted included
    // Discover reads the organization's owner itself; the batches have the other accounts
    expect(trace.mapRuns).toEqual([{ batches: Math.ceil((demo.accounts.filter((a) => a.scanned).length - 1) / 2), succeeded: expect.any(Number), failed: 0, notStarted: 0 }]);
    expect(trace.mapRuns[0]?.batches).toBeGreaterThan(1);
    expect(comparable(report)).toEqual(comparable(expected));
    expectSameCalls(report, expected);
    expect(report.findings.length).toBeGreaterThan(0);
    expect(summary.notification).toMatchObject({ published: true });
  });

  /**
   * The benchmark's organization, whose organization chain passes every check, behind the loopback
   * proxy that shows members the organization trail as AWS does (moto does not).
   */
  async function organizationSettlingEveryCheck() {
    const seeding = motoClients();
    const org: SyntheticOrganization = await seedSyntheticOrganization(seeding, { accounts: 8 });
    const single = { ...(await createTopicWithQueue(seeding, 'single-findings')), bucket: await createBucket(seeding, 'single-reports') };
    const distributed = { ...(await createTopicWithQueue(seeding, 'distributed-findings')), bucket: await createBucket(seeding, 'distributed-reports') };
    seeding.destroy();
    const proxy = await startOrganizationTrailProxy(motoEndpoint(), organizationTrailShadow(org), MOTO_CREDENTIALS.accessKeyId);
    const env = (bucket: string, topicArn: string) => ({
      ...environment(bucket, topicArn),
      AWS_ENDPOINT_URL: proxy.endpoint,
      MEMBER_ROLE_NAME: SYNTHETIC_ROLE_NAME,
      REGIONS: org.regions.join(','),
    });
    return { org, proxy, singleEnv: env(single.bucket, single.topicArn), distributedEnv: env(distributed.bucket, distributed.topicArn) };
  }

  it('when the organization trail settles every check: no batch runs, no member is called, and the report is single mode\'s', async () => {
    // Prepare
    const { org, proxy, singleEnv, distributedEnv } = await organizationSettlingEveryCheck();
    try {
      const expected = await singleMode(singleEnv);
      // Act
      const { report, trace } = await distributedMode(distributedEnv, { batchSize: 2 });
      // Assess: Discover read the owner, the Map was skipped, Aggregate judged the members through the trail
      expect(trace.mapRuns).toEqual([]);
      expect(trace.attempts.filter((a) => a.functionName === 'fn-collect')).toEqual([]);
      const members = report.accounts.filter((a) => a.accountId !== org.managementAccountId && a.status !== 'SKIPPED');
      expect(members.length).toBeGreaterThan(3);
      for (const member of members) expect(member).toMatchObject({ status: 'ORGANIZATION_TRAIL', apiCalls: 0, organizationTrail: { owner: org.managementAccountId } });
      expect(report.accounts.find((a) => a.accountId === org.managementAccountId)?.status).toBe('SCANNED');
      expect(comparable(report)).toEqual(comparable(expected));
      expectSameCalls(report, expected);
    } finally {
      await proxy.close();
    }
  });

  it('with readEveryAccount in the payload, the batches read every member, and the verdicts are still single mode\'s', async () => {
    // Prepare
    const { org, proxy, singleEnv, distributedEnv } = await organizationSettlingEveryCheck();
    try {
      const expected = await singleMode(singleEnv);
      // Act
      const { report, trace } = await distributedMode(distributedEnv, { batchSize: 2 }, undefined, { readEveryAccount: true });
      // Assess
      const scanned = report.accounts.filter((a) => a.status !== 'SKIPPED');
      expect(trace.mapRuns).toEqual([{ batches: Math.ceil(scanned.length / 2), succeeded: expect.any(Number), failed: 0, notStarted: 0 }]);
      expect(scanned.every((a) => a.status === 'SCANNED' && (a.apiCalls ?? 0) > 0)).toBe(true);
      const verdicts = (r: ScanReport) => r.findings.map((f) => `${f.accountId} ${f.check} ${f.status}`).sort();
      expect(verdicts(report)).toEqual(verdicts(expected));
      expect(scanned.map((a) => a.accountId).sort()).toEqual(org.accounts.filter((a) => expected.accounts.some((e) => e.accountId === a.accountId && e.status !== 'SKIPPED')).map((a) => a.accountId).sort());
    } finally {
      await proxy.close();
    }
  });

  it('a batch that fails after its retries makes its accounts ERROR with the reason; the other accounts are as in single mode', async () => {
    // Prepare: every attempt of the batch holding one member fails before its function runs
    const { demo, single, distributed } = await prepare(false);
    const expected = await singleMode(environment(single.bucket, single.topicArn));
    const victim = demo.accounts.find((a) => a.scanned && a.accountId !== demo.managementAccountId)?.accountId as string;
    const batchOf = (payload: unknown) => ((payload as { Items?: { accountId: string }[] }).Items ?? []).map((i) => i.accountId);
    let victimBatch: string[] = [];
    // Act
    const { report, trace } = await distributedMode(environment(distributed.bucket, distributed.topicArn), { batchSize: 2 }, (functionName, payload) => {
      if (functionName !== 'fn-collect' || !batchOf(payload).includes(victim)) return;
      victimBatch = batchOf(payload);
      throw Object.assign(new Error('Task timed out after 900.00 seconds'), { name: 'Sandbox.Timedout' });
    });
    // Assess: retried (1 + 3 attempts, with growing delays), then its accounts ERROR with why
    const attempts = trace.attempts.filter((a) => a.functionName === 'fn-collect' && batchOf(a.payload).includes(victim));
    expect(attempts.map((a) => a.attempt)).toEqual([0, 1, 2, 3]);
    expect(attempts.map((a) => a.delaySeconds)).toEqual([0, 5, 10, 20]);
    expect(trace.mapRuns[0]).toMatchObject({ failed: 1, notStarted: 0 });
    expect(victimBatch.length).toBeGreaterThan(0);
    for (const accountId of victimBatch) {
      const account = report.accounts.find((a) => a.accountId === accountId);
      expect(account).toMatchObject({ status: 'ERROR', error: expect.stringMatching(/^not scanned: its batch failed after its retries \(Sandbox\.Timedout: .*Task timed out after 900\.00 seconds/) });
      expect(report.findings.filter((f) => f.accountId === accountId).every((f) => f.status === 'ERROR')).toBe(true);
    }
    // Every other account and its findings are single mode's
    const others = (r: ScanReport) => ({
      accounts: r.accounts.filter((a) => !victimBatch.includes(a.accountId)).map(({ apiCalls: _calls, ...a }) => a),
      findings: r.findings.filter((f) => !victimBatch.includes(f.accountId)),
    });
    expect(others(report)).toEqual(others(expected));
    expect(report.accounts.map((a) => a.accountId).sort()).toEqual(expected.accounts.map((a) => a.accountId).sort());
  });

  it('a batch that fails once and then succeeds costs nothing: the report is single mode\'s', async () => {
    // Prepare
    const { single, distributed } = await prepare(false);
    const expected = await singleMode(environment(single.bucket, single.topicArn));
    let failures = 0;
    // Act: the first batch's first attempt fails as Lambda's own throttling does
    const { report, trace } = await distributedMode(environment(distributed.bucket, distributed.topicArn), { batchSize: 3 }, (functionName, _payload, attempt) => {
      if (functionName === 'fn-collect' && attempt === 0 && failures === 0) {
        failures += 1;
        throw Object.assign(new Error('Rate exceeded'), { name: 'Lambda.TooManyRequestsException' });
      }
    });
    // Assess
    expect(failures).toBe(1);
    expect(trace.attempts.filter((a) => a.error)).toHaveLength(1);
    expect(comparable(report)).toEqual(comparable(expected));
    expectSameCalls(report, expected);
  });

  it('when more batches fail than tolerated, the Map Run stops and the aggregate still reports every account: the rest ERROR with the Map\'s error', async () => {
    // Prepare
    const { demo, distributed } = await prepare(false);
    // Act: every batch fails, 0% tolerated, one batch at a time
    const { report, trace } = await distributedMode(
      environment(distributed.bucket, distributed.topicArn),
      { batchSize: 2, maxConcurrency: 1, toleratedFailurePercentage: 0 },
      (functionName) => {
        if (functionName === 'fn-collect') throw Object.assign(new Error('boom'), { name: 'Lambda.ServiceException' });
      },
    );
    // Assess: the first batch failed, no other started, and no account is lost
    expect(trace.mapRuns[0]).toMatchObject({ failed: 1, succeeded: 0 });
    expect(trace.mapRuns[0]?.notStarted).toBeGreaterThan(0);
    // The owner was read by Discover, before the Map; every account the batches had is ERROR
    const owner = demo.managementAccountId;
    expect(report.accounts.find((a) => a.accountId === owner)?.status).toBe('SCANNED');
    const batched = report.accounts.filter((a) => a.status !== 'SKIPPED' && a.accountId !== owner);
    expect(batched.length).toBeGreaterThan(2);
    expect(batched.every((a) => a.status === 'ERROR')).toBe(true);
    expect(new Set(batched.map((a) => a.error?.replace(/\(.*$/, '')))).toEqual(new Set(['not scanned: the Distributed Map failed ']));
    expect(report.findings.filter((f) => f.accountId !== owner).every((f) => f.status === 'ERROR')).toBe(true);
  });
});
