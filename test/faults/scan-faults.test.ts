/**
 * The real scan of a synthetic organization in moto, with failures injected into the real SDK
 * clients (attempt hooks: moto itself never throttles, fails, refuses or stalls). Every test
 * ends with the same invariants (expectSoundReport): the scan finishes, every account in scope
 * is reported exactly once, one finding per account and check, no call retried without bound.
 */
import { DeleteAlarmsCommand, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { DeleteMetricFilterCommand, PutMetricFilterCommand } from '@aws-sdk/client-cloudwatch-logs';
import { AwsClients } from '../../src/aws/clients';
import { AccountCredentials } from '../../src/discover/credentials';
import { SYNTHETIC_ROLE_NAME } from '../../scripts/bench/organization';
import { checkDefinition } from '../../src/controls';
import { MOTO_CREDENTIALS } from '../../src/demo/moto';
import { DEADLINE_UNFINISHED } from '../../src/scan';
import { CHECK_SLUGS } from '../../src/controls';
import { hostileFilters } from '../../scripts/bench/hostile-patterns';
import { motoEndpoint, useMoto } from '../support/moto';
import { RegionsEnabledNowhereError } from '../../src/evaluate';
import { AttemptLog, assumeRoleDenied, disabledRegions, serverErrors, slowAccounts, throttlingStorm } from './inject';
import { BENCHMARK, expectSoundReport, MAX_ATTEMPTS, scanWith, seedOrganization, verdicts } from './scan-harness';

describe('runScan under injected faults', () => {
  useMoto();

  it('rides out a throttling storm (30% of attempts for two accounts) with the same findings as a calm scan', async () => {
    // Prepare
    const org = await seedOrganization();
    const stormed = org.accounts.slice(0, 2).map((a) => a.accountId);
    const calm = await scanWith([]);
    const storm = throttlingStorm(stormed, 0.3);
    // Act
    const scan = await scanWith([storm.hook]);
    // Assess
    expectSoundReport(scan, org);
    expect(storm.injected).toBeGreaterThan(0);
    expect(scan.report.accounts.every((a) => a.status === 'SCANNED')).toBe(true);
    expect(verdicts(scan.report)).toEqual(verdicts(calm.report));
    expect(scan.log.count()).toBe(scan.clients.callCounter.total() + storm.injected);
    expect([calm.exitCode, scan.exitCode]).toEqual([0, 0]);
  });

  it('retries 5xx answers that pass, and reports ERROR (never PASS) where they persist', async () => {
    // Prepare: every first attempt in one member fails with 503; the trail owner's DescribeAlarms always fails with 500
    const org = await seedOrganization();
    const management = org.managementAccountId;
    const flaky = org.accounts[2]?.accountId as string;
    expect(org.accounts[2]?.kind).toBe('own-chain');
    const calm = await scanWith([]);
    const transient = serverErrors((info) => info.accountId === flaky, 1, 503);
    const persistent = serverErrors((info) => info.accountId === management && info.operation === 'DescribeAlarms', Infinity, 500);
    // Act
    const scan = await scanWith([transient.hook, persistent.hook]);
    // Assess
    expectSoundReport(scan, org);
    expect(transient.injected).toBe(scan.clients.callCounter.totalFor(flaky));
    const alarmsCalls = scan.clients.callCounter.forAccount(management)['CloudWatch:DescribeAlarms'];
    expect(persistent.injected).toBe((alarmsCalls ?? 0) * MAX_ATTEMPTS);
    const managementFindings = scan.report.findings.filter((f) => f.accountId === management);
    expect(managementFindings.map((f) => f.status)).toEqual(managementFindings.map(() => 'ERROR'));
    expect(managementFindings[0]?.reason).toMatch(/InternalFailure|internal error/);
    // Accounts whose only chain is the organization trail cannot be PASS either.
    for (const member of org.accounts.filter((a) => a.kind === 'organization-trail-only')) {
      expect(scan.report.findings.filter((f) => f.accountId === member.accountId).every((f) => f.status === 'ERROR')).toBe(true);
    }
    // The member whose every call failed once is judged as if nothing had happened: its own chain passes.
    const flakyFindings = scan.report.findings.filter((f) => f.accountId === flaky);
    expect(flakyFindings.map((f) => f.status)).toEqual(flakyFindings.map(() => 'PASS'));
    expect(flakyFindings.map((f) => f.status)).toEqual(calm.report.findings.filter((f) => f.accountId === flaky).map((f) => f.status));
    expect(scan.exitCode).toBe(1);
  });

  it('gives up on accounts slower than the deadline and reports them as ERROR, in time', async () => {
    // Prepare: two members answer every request after 20 s
    const org = await seedOrganization();
    const slow = org.accounts.slice(2, 4).map((a) => a.accountId);
    const deadlineMs = 8000;
    // Act
    const slowAnswerMs = 20_000;
    const slowness = slowAccounts(slow, slowAnswerMs);
    const scan = await scanWith([slowness.hook], { deadline: deadlineMs }).finally(() => slowness.release());
    // Assess
    expectSoundReport(scan, org);
    // It did not wait for them: their first answer alone comes 20 s after the start. (How close to
    // the deadline it returns is a matter of machine load; the benchmark measures speed.)
    expect(scan.elapsedMs).toBeLessThan(slowAnswerMs);
    for (const account of scan.report.accounts) {
      if (slow.includes(account.accountId)) expect(account).toMatchObject({ status: 'ERROR', error: DEADLINE_UNFINISHED });
      else expect(account.status).toBe('SCANNED');
    }
    expect(scan.exitCode).toBe(1);
  });

  it('reports accounts that refuse AssumeRole as ERROR with the reason, asks once, and scans the rest', async () => {
    // Prepare
    const org = await seedOrganization();
    const denied = org.accounts.slice(1, 3).map((a) => a.accountId);
    const refusal = assumeRoleDenied(denied);
    // Act
    const scan = await scanWith([refusal.hook]);
    // Assess
    expectSoundReport(scan, org);
    for (const accountId of denied) {
      const account = scan.report.accounts.find((a) => a.accountId === accountId);
      expect(account).toMatchObject({ status: 'ERROR', error: expect.stringMatching(/AssumeRole .* was denied \(AccessDenied: /) });
      expect(scan.log.count((info) => info.accountId === accountId)).toBe(1);
    }
    expect(scan.report.accounts.filter((a) => a.status === 'SCANNED')).toHaveLength(org.accounts.length - denied.length);
    expect(scan.report.summary.error).toBeGreaterThanOrEqual(denied.length * 15);
    expect(scan.exitCode).toBe(1);
  });

  it('refuses a selected region no account has enabled as a usage error, without calling it', async () => {
    // Prepare: ap-east-1 is opt-in and not enabled in moto's accounts; AWS would refuse calls there
    await seedOrganization();
    const refused = disabledRegions(['ap-east-1']);
    const log = new AttemptLog();
    // Act
    const scan = scanWith([log.hook, refused.hook], { regions: ['us-east-1', 'eu-west-1', 'ap-east-1'] });
    // Assess: a smaller scope is never reported as if it were the one asked for
    await expect(scan).rejects.toThrow(RegionsEnabledNowhereError);
    await expect(scan).rejects.toThrow(/region ap-east-1 is enabled in none of the 6 accounts scanned/);
    expect(refused.injected).toBe(0);
    expect(log.count((info) => info.region === 'ap-east-1')).toBe(0);
  });

  it('says it cannot verify a filter pattern outside the language and a metric-math alarm, and judges the rest', async () => {
    // Prepare: on the organization trail's log group, the root_usage filter does not parse and the iam_policy_changes alarm uses metric math
    const org = await seedOrganization(2);
    const clients = new AwsClients({ endpointUrl: motoEndpoint(), credentials: MOTO_CREDENTIALS });
    const management = { accountId: org.managementAccountId };
    const logs = clients.cloudWatchLogs(management, 'us-east-1');
    const iam = checkDefinition('iam_policy_changes').metric;
    const root = checkDefinition('root_usage').metric;
    // Replaced, not put again: moto would keep both filters.
    await logs.send(new DeleteMetricFilterCommand({ logGroupName: 'aws-organization-trail', filterName: 'cis-root_usage' }));
    await clients.cloudWatch(management, 'us-east-1').send(new DeleteAlarmsCommand({ AlarmNames: ['cis-iam_policy_changes'] }));
    await logs.send(
      new PutMetricFilterCommand({
        logGroupName: 'aws-organization-trail',
        filterName: 'cis-root_usage',
        filterPattern: '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != ',
        metricTransformations: [{ metricName: root.name, metricNamespace: root.namespace, metricValue: '1' }],
      }),
    );
    await clients.cloudWatch(management, 'us-east-1').send(
      new PutMetricAlarmCommand({
        AlarmName: 'cis-iam_policy_changes',
        EvaluationPeriods: 1,
        DatapointsToAlarm: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        ActionsEnabled: true,
        AlarmActions: [org.topicArn],
        Metrics: [
          { Id: 'rate', Expression: 'RATE(changes)', ReturnData: true },
          { Id: 'changes', MetricStat: { Metric: { MetricName: iam.name, Namespace: iam.namespace }, Period: 300, Stat: 'Sum' }, ReturnData: false },
        ],
      }),
    );
    clients.destroy();
    // Act
    const scan = await scanWith([]);
    // Assess
    expectSoundReport(scan, org);
    for (const account of org.accounts) {
      const byCheck = new Map(scan.report.findings.filter((f) => f.accountId === account.accountId).map((f) => [f.check, f]));
      expect(byCheck.get('root_usage')).toMatchObject({ status: 'ERROR', brokenLink: 'metricFilter' });
      expect(byCheck.get('root_usage')?.reason).toMatch(/cannot read the pattern/);
      expect(byCheck.get('iam_policy_changes')).toMatchObject({ status: 'ERROR', brokenLink: 'alarm' });
      expect(byCheck.get('iam_policy_changes')?.reason).toMatch(/metric math \('RATE\(changes\)'\)/);
      expect(byCheck.get('vpc_changes')?.status).toBe('PASS');
    }
    expect(scan.exitCode).toBe(1);
  });

  it('finishes in time when a member carries hostile filter patterns: that member ERROR with the reason, every other verdict unchanged', async () => {
    // Prepare: without the organization trail's filters every member relies on its own chain; then
    // the member with a working chain of its own gets, for every check, its reference narrowed by
    // a condition whose coverage decision would take minutes to hours without a work budget.
    const org = await seedOrganization();
    const clients = new AwsClients({ endpointUrl: motoEndpoint(), credentials: MOTO_CREDENTIALS });
    const management = { accountId: org.managementAccountId };
    for (const check of CHECK_SLUGS) {
      await clients.cloudWatchLogs(management, 'us-east-1').send(new DeleteMetricFilterCommand({ logGroupName: 'aws-organization-trail', filterName: `cis-${check}` }));
    }
    const calm = await scanWith([]);
    const hostile = org.accounts.find((a) => a.kind === 'own-chain')?.accountId as string;
    const session = await new AccountCredentials(clients, { callerAccountId: org.managementAccountId, roleName: SYNTHETIC_ROLE_NAME, region: 'us-east-1' }).sessionFor(hostile);
    const logs = clients.cloudWatchLogs(session, 'eu-west-1');
    for (const { check, pattern } of hostileFilters(BENCHMARK)) {
      const metric = checkDefinition(check as (typeof CHECK_SLUGS)[number]).metric;
      // Replaced, not put again: moto would keep both filters.
      await logs.send(new DeleteMetricFilterCommand({ logGroupName: 'cloudtrail', filterName: `cis-${check}` }));
      await logs.send(
        new PutMetricFilterCommand({
          logGroupName: 'cloudtrail',
          filterName: `cis-${check}`,
          filterPattern: pattern,
          metricTransformations: [{ metricName: metric.name, metricNamespace: metric.namespace, metricValue: '1' }],
        }),
      );
    }
    clients.destroy();
    const deadlineMs = 90_000;

    // Act
    const scan = await scanWith([], { deadline: deadlineMs });

    // Assess
    expectSoundReport(scan, org);
    expect(scan.elapsedMs).toBeLessThan(deadlineMs);
    expect(calm.report.findings.filter((f) => f.accountId === hostile).map((f) => f.status)).toEqual(CHECK_SLUGS.map(() => 'PASS'));
    const hostileFindings = scan.report.findings.filter((f) => f.accountId === hostile);
    expect(hostileFindings).toHaveLength(CHECK_SLUGS.length);
    for (const finding of hostileFindings) {
      expect(finding).toMatchObject({ status: 'ERROR', brokenLink: 'metricFilter' });
      expect(finding.reason).toMatch(/cannot verify that filter 'cis-[a-z0-9_]+' .* the pattern is too complex to decide \(it needs more than [\d,]+ steps of work/);
    }
    const others = (report: typeof scan.report) => new Map([...verdicts(report)].filter(([key]) => !key.startsWith(`${hostile} `)));
    expect(others(scan.report)).toEqual(others(calm.report));
    expect(scan.exitCode).toBe(1);
  });
});
