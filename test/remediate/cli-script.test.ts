/**
 * `remediate --plan --format cli` and `--rollback --plan --format cli` with names a member account
 * chose to be hostile (newlines, `$(...)`, backticks, quotes, leading dashes, C1 and Unicode line
 * separators): the script runs under /bin/sh with a stub `aws` (the only program on PATH) that
 * records its argv. Nothing but `aws` runs, each name reaches it verbatim, and no comment line
 * carries a control character.
 */
import { PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { CreateLogGroupCommand, PutMetricFilterCommand } from '@aws-sdk/client-cloudwatch-logs';
import type { AccountInventory } from '../../src/collect/inventory';
import type { Finding } from '../../src/evaluate/types';
import { planRemediation, planRollback, renderPlan, renderRollbackPlan, rollbackScopes } from '../../src/remediate';
import { hasControlCharacters, isCommand, printable } from '../../src/shell';
import { motoClients, useMoto } from '../support/moto';
import { HOSTILE_NAMES, gaveVerbatim, runWithStubAws } from '../support/stub-aws';
import { OWN, alarm, finding, inventory, logGroupArn, references, trail } from './fixtures';
import { sessions } from './support';

const REGION = 'us-east-1';

/** Comment lines (outside any quoted value) hold no control character. */
function expectCleanComments(script: string): void {
  const comments = script.split('\n').filter((line) => line.startsWith('#'));
  expect(comments.length).toBeGreaterThan(3);
  expect(comments.filter((line) => hasControlCharacters(line) || line.includes('\u2028') || line.includes('\u2029'))).toEqual([]);
}

/** One account per name: its trail, log group and alarm all carry it, and its findings quote it. */
function hostileAccount(name: string, index: number): { inventory: AccountInventory; findings: Finding[] } {
  const accountId = String(100000000000 + index);
  const own = trail(accountId, {
    name,
    cloudWatchLogsLogGroupArn: `${logGroupArn(accountId, REGION, name)}:*`,
    status: { isLogging: true, latestCloudWatchLogsDeliveryError: name },
  });
  const disabled = alarm(accountId, name, { actionsEnabled: false, metricName: name });
  const inv = { ...inventory(accountId, { trails: [own], alarms: [disabled], logGroupName: name }), accountId };
  return {
    inventory: inv,
    findings: [
      finding(accountId, 'root_usage', 'metricFilter', { evidence: { trail: own.arn } }),
      finding(accountId, 'iam_policy_changes', 'alarm', { evidence: { trail: own.arn, alarm: disabled.arn } }),
      finding(accountId, 'cloudtrail_config_changes', 'trail', { evidence: { trail: own.arn }, reason: `trail '${name}' is odd` }),
      finding(accountId, 'console_signin_without_mfa', 'logGroup', { evidence: { trail: own.arn }, reason: `log group '${name}' gets nothing` }),
    ],
  };
}

describe('remediate --format cli with hostile names', () => {
  useMoto();

  it('plan: runs only aws, each name verbatim (leading dashes as --flag=name), comments on one line', () => {
    // Prepare
    const accounts = HOSTILE_NAMES.map(hostileAccount);
    const plan = planRemediation(
      accounts.flatMap((a) => a.findings),
      accounts.map((a) => a.inventory),
      { references, fixAlarms: true, subscription: { protocol: 'email', endpoint: 'ops@example.com' } },
    );
    const script = renderPlan(plan, 'cli');
    // Act
    const run = runWithStubAws(script);
    // Assess
    expect(run.leftovers).toEqual([]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(plan.manual.length).toBeGreaterThanOrEqual(HOSTILE_NAMES.length * 2);
    expect(run.invocations).toHaveLength(plan.changes.filter((c) => isCommand(c.cli)).length);
    for (const name of HOSTILE_NAMES) {
      expect(`${printable(name)}: ${gaveVerbatim(run.invocations, 'log-group-name', name)} ${gaveVerbatim(run.invocations, 'alarm-names', name)}`).toBe(
        `${printable(name)}: true true`,
      );
      expect(script).toContain(`# add metric filter trailwatch-root_usage on log group '${printable(name)}' (trail '${printable(name)}')`);
    }
    expectCleanComments(script);
  });

  it('rollback: deletes exactly the hostile-named filters and alarms moto holds, running nothing else', async () => {
    // Prepare: moto takes these names; a log group named like an option holds trailwatch's filters
    const clients = motoClients();
    const sessionFor = sessions(clients);
    const own = { accountId: OWN };
    const logGroupName = '--debug';
    await clients.cloudWatchLogs(own, REGION).send(new CreateLogGroupCommand({ logGroupName }));
    for (const name of HOSTILE_NAMES) {
      await clients.cloudWatchLogs(own, REGION).send(
        new PutMetricFilterCommand({
          logGroupName,
          filterName: `trailwatch-${name}`,
          filterPattern: 'x',
          metricTransformations: [{ metricName: 'M', metricNamespace: 'trailwatch', metricValue: '1' }],
        }),
      );
      await clients.cloudWatch(own, REGION).send(
        new PutMetricAlarmCommand({
          AlarmName: `trailwatch-${name}`,
          MetricName: 'M',
          Namespace: 'trailwatch',
          Statistic: 'Sum',
          Period: 300,
          EvaluationPeriods: 1,
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          Tags: [
            { Key: 'managed-by', Value: 'trailwatch' },
            { Key: 'trailwatch:check', Value: 'root_usage' },
          ],
        }),
      );
    }
    const scope = rollbackScopes([inventory(OWN, { logGroupName })]);
    const plan = await planRollback(scope, { clients, sessionFor });
    const script = renderRollbackPlan(plan, 'cli');
    // Act
    const run = runWithStubAws(script);
    // Assess
    expect(plan.errors).toEqual([]);
    expect(run.leftovers).toEqual([]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.invocations).toHaveLength(HOSTILE_NAMES.length * 2);
    for (const name of HOSTILE_NAMES) {
      expect(gaveVerbatim(run.invocations, 'filter-name', `trailwatch-${name}`)).toBe(true);
      expect(gaveVerbatim(run.invocations, 'alarm-names', `trailwatch-${name}`)).toBe(true);
    }
    expect(run.invocations.filter((argv) => argv[1] === 'delete-metric-filter').every((argv) => argv.includes(`--log-group-name=${logGroupName}`))).toBe(true);
    expectCleanComments(script);
    clients.destroy();
  });

  it('turns a change whose name the AWS CLI would read as a file into a comment', () => {
    // Prepare
    const name = 'file:///home/operator/.aws/credentials';
    const { inventory: inv, findings } = hostileAccount('cloudtrail', 0);
    const disabled = alarm(inv.accountId, name, { actionsEnabled: false });
    const plan = planRemediation(
      [{ ...findings[1]!, evidence: { alarm: disabled.arn } }],
      [{ ...inv, alarms: { [REGION]: [disabled] } }],
      { references, fixAlarms: true },
    );
    // Act
    const run = runWithStubAws(renderPlan(plan, 'cli'));
    // Assess
    expect(plan.changes.map((c) => c.kind)).toEqual(['enableAlarmActions']);
    expect(run.status).toBe(0);
    expect(run.invocations).toEqual([]);
    expect(renderPlan(plan, 'cli')).toContain(`# no command: the --alarm-names value '${name}' cannot be given`);
  });
});
