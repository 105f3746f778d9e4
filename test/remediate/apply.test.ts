/**
 * applyPlan and the rollback with real SDK clients against moto. The plans are made from
 * inventory fixtures that describe what each test seeds (moto cannot leave a subscription
 * pending: that case rewrites SNS's answers in the client, as AWS would give them).
 */
import type { CheckSlug } from '../../src/controls/types';
import {
  applyPlan,
  applyRollback,
  planRemediation,
  planRollback,
  renderApplyResult,
  rollbackScopes,
  type RemediationOptions,
} from '../../src/remediate';
import { REUSED_TOPIC_ACTIONS, SCANNER_READS_USED, iamActionFor, remediationActions } from '../../src/remediate/permissions';
import { motoClients, useMoto } from '../support/moto';
import { MANAGEMENT, MEMBER, OWN, alarm, finding, inventory, references, topic, trail } from './fixtures';
import { createLogGroup, emulateEnableAlarmActions, readState, seedUserChain, sessions } from './support';

const REGION = 'us-east-1';
const CHECKS: CheckSlug[] = ['root_usage', 'iam_policy_changes', 'cloudtrail_config_changes', 'console_signin_without_mfa'];
const options: RemediationOptions = { references, subscription: { protocol: 'email', endpoint: 'ops@example.com' } };
const WRITES = ['CreateTopic', 'SetTopicAttributes', 'Subscribe', 'PutMetricFilter', 'DeleteMetricFilter', 'PutMetricAlarm', 'EnableAlarmActions'];

function writesIn(calls: Record<string, number>): number {
  return Object.entries(calls)
    .filter(([key]) => WRITES.includes(key.split(':')[1] ?? ''))
    .reduce((n, [, count]) => n + count, 0);
}

function failingPlan(checks: CheckSlug[] = CHECKS, extra: Partial<RemediationOptions> = {}) {
  return planRemediation(
    checks.map((check) => finding(OWN, check, 'metricFilter')),
    [inventory(OWN)],
    { ...options, ...extra },
  );
}

describe('applyPlan against moto', () => {
  useMoto();

  it('builds each chain, tagged as trailwatch\'s, and a second apply writes nothing', async () => {
    // Prepare
    const clients = motoClients();
    const sessionFor = sessions(clients);
    await createLogGroup(clients, { accountId: OWN }, REGION);
    const plan = failingPlan(['root_usage', 'iam_policy_changes']);
    // Act
    const first = await applyPlan(plan, { clients, sessionFor });
    const writesAfterFirst = writesIn(clients.callCounter.forAccount(OWN));
    const second = await applyPlan(plan, { clients, sessionFor });
    // Assess
    expect(first.complete).toBe(true);
    expect(first.applied).toBe(plan.changes.length);
    expect(second.complete).toBe(true);
    expect(second.applied).toBe(0);
    expect(second.outcomes.every((o) => o.status === 'UNCHANGED')).toBe(true);
    expect(writesIn(clients.callCounter.forAccount(OWN))).toBe(writesAfterFirst);

    const state = await readState(clients, { accountId: OWN }, REGION);
    expect(state.filters.map((f) => f.filterName).sort()).toEqual(['trailwatch-iam_policy_changes', 'trailwatch-root_usage']);
    expect(state.filters.find((f) => f.filterName === 'trailwatch-root_usage')).toMatchObject({
      filterPattern: references('root_usage')!.pattern,
      metricTransformations: [{ metricName: 'RootUsage', metricNamespace: 'trailwatch', metricValue: '1' }],
    });
    const topicArn = `arn:aws:sns:${REGION}:${OWN}:trailwatch-alerts`;
    expect(state.alarms.find((a) => a.AlarmName === 'trailwatch-root_usage')).toMatchObject({
      MetricName: 'RootUsage',
      Namespace: 'trailwatch',
      Statistic: 'Sum',
      Period: 300,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      ActionsEnabled: true,
      AlarmActions: [topicArn],
      tags: { 'managed-by': 'trailwatch', 'trailwatch:check': 'root_usage' },
    });
    const topic = state.topics.find((t) => t.arn === topicArn);
    expect(topic?.tags).toEqual({ 'managed-by': 'trailwatch', 'trailwatch:check': 'all' });
    expect(topic?.subscriptions).toEqual([{ protocol: 'email', endpoint: 'ops@example.com' }]);
    expect(JSON.parse(topic!.policy!).Statement).toContainEqual(
      expect.objectContaining({ Sid: 'TrailwatchCloudWatchPublish', Principal: { Service: 'cloudwatch.amazonaws.com' } }),
    );
    clients.destroy();
  });

  it('never modifies a person\'s filter or alarm, and refuses one that only carries trailwatch\'s name', async () => {
    // Prepare
    const clients = motoClients();
    const sessionFor = sessions(clients);
    const own = { accountId: OWN };
    await createLogGroup(clients, own, REGION);
    await seedUserChain(clients, own, REGION, '{ $.userIdentity.type = "Root" }');
    const { PutMetricAlarmCommand } = await import('@aws-sdk/client-cloudwatch');
    await clients.cloudWatch(own, REGION).send(
      new PutMetricAlarmCommand({
        AlarmName: 'trailwatch-iam_policy_changes',
        MetricName: 'Hand made',
        Namespace: 'Mine',
        Statistic: 'Average',
        Period: 60,
        EvaluationPeriods: 3,
        Threshold: 10,
        ComparisonOperator: 'GreaterThanThreshold',
      }),
    );
    const before = await readState(clients, own, REGION);
    const plan = failingPlan(['root_usage', 'iam_policy_changes']);
    // Act
    const result = await applyPlan(plan, { clients, sessionFor });
    // Assess
    const refused = result.outcomes.find((o) => o.change.kind === 'putMetricAlarm' && o.change.alarmName === 'trailwatch-iam_policy_changes');
    expect(refused).toMatchObject({ status: 'LEFT_ALONE', detail: expect.stringContaining("without trailwatch's tags") });
    expect(result.manual.map((m) => m.title)).toEqual([expect.stringContaining("alarm 'trailwatch-iam_policy_changes' (us-east-1) has trailwatch's name but not its tags")]);
    expect(result.outcomes.filter((o) => o.status === 'FAILED')).toEqual([]);
    const after = await readState(clients, own, REGION);
    const untouched = (s: typeof before) => ({
      filter: s.filters.find((f) => f.filterName === 'root-usage'),
      alarms: s.alarms.filter((a) => !a.tags['managed-by']),
      topic: s.topics.find((t) => t.arn.endsWith(':security')),
    });
    expect(untouched(after)).toEqual(untouched(before));
    expect(after.filters.filter((f) => f.filterName === 'root-usage')).toHaveLength(1);
    clients.destroy();
  });

  it('writes at most --max-changes times per run, and later runs finish the rest', async () => {
    // Prepare
    const clients = motoClients();
    const sessionFor = sessions(clients);
    await createLogGroup(clients, { accountId: OWN }, REGION);
    const plan = failingPlan(['root_usage', 'iam_policy_changes']);
    // Act
    const first = await applyPlan(plan, { clients, sessionFor, maxChanges: 3 });
    const writesAfterFirst = writesIn(clients.callCounter.forAccount(OWN));
    const second = await applyPlan(plan, { clients, sessionFor, maxChanges: 3 });
    const third = await applyPlan(plan, { clients, sessionFor, maxChanges: 3 });
    // Assess
    expect(plan.changes).toHaveLength(7);
    expect(first.applied).toBe(3);
    expect(writesAfterFirst).toBe(3);
    expect(first.notAttempted).toBe(4);
    expect(first.outcomes.slice(3).every((o) => o.detail === '--max-changes 3 reached')).toBe(true);
    expect(first.complete).toBe(false);
    expect(second.applied).toBe(3);
    expect(third.applied).toBe(1);
    expect(third.complete).toBe(true);
    const state = await readState(clients, { accountId: OWN }, REGION);
    expect(state.filters).toHaveLength(2);
    expect(state.alarms).toHaveLength(2);
    clients.destroy();
  });

  it('reports a failure midway as done and not done, and the next run finishes without duplicates', async () => {
    // Prepare: the third PutMetricAlarm is refused
    let putAlarmAttempts = 0;
    const failing = motoClients({
      attemptHooks: [
        (call) => {
          if (call.operation !== 'PutMetricAlarm') return;
          putAlarmAttempts += 1;
          if (putAlarmAttempts === 3) {
            throw Object.assign(new Error('injected: not authorized to perform cloudwatch:PutMetricAlarm'), { name: 'AccessDenied', $metadata: {} });
          }
        },
      ],
    });
    await createLogGroup(failing, { accountId: OWN }, REGION);
    const plan = failingPlan(CHECKS);
    // Act
    const broken = await applyPlan(plan, { clients: failing, sessionFor: sessions(failing) });
    const healthy = motoClients();
    const finished = await applyPlan(plan, { clients: healthy, sessionFor: sessions(healthy) });
    // Assess
    const statuses = broken.outcomes.map((o) => `${o.change.kind}:${o.status}`);
    expect(statuses).toEqual([
      'createTopic:APPLIED',
      'allowCloudWatchPublish:APPLIED',
      'subscribe:APPLIED',
      ...['APPLIED', 'APPLIED', 'APPLIED', 'APPLIED', 'APPLIED', 'FAILED'].map((s, i) => `${i % 2 === 0 ? 'putMetricFilter' : 'putMetricAlarm'}:${s}`),
      'putMetricFilter:NOT_ATTEMPTED',
      'putMetricAlarm:NOT_ATTEMPTED',
    ]);
    expect(broken.complete).toBe(false);
    expect(broken.failed).toBe(1);
    const report = renderApplyResult(broken, 'table');
    expect(report).toContain('1 failed, 2 not attempted');
    expect(report).toContain('injected: not authorized');
    expect(report).toContain('run it again');

    expect(finished.complete).toBe(true);
    expect(finished.applied).toBe(3);
    const state = await readState(healthy, { accountId: OWN }, REGION);
    expect(state.filters.map((f) => f.filterName).sort()).toEqual(CHECKS.map((c) => `trailwatch-${c}`).sort());
    expect(state.alarms).toHaveLength(CHECKS.length);
    failing.destroy();
    healthy.destroy();
  });

  it('makes an organization trail\'s chain in the owner account, not in the member', async () => {
    // Prepare
    const clients = motoClients();
    const sessionFor = sessions(clients);
    const owner = await sessionFor(MANAGEMENT);
    const member = await sessionFor(MEMBER);
    await createLogGroup(clients, owner, REGION);
    const orgTrail = trail(MANAGEMENT, { name: 'org', isOrganizationTrail: true });
    const plan = planRemediation(
      [finding(MEMBER, 'root_usage', 'metricFilter', { evidence: { trail: orgTrail.arn, organizationTrailOwner: MANAGEMENT } })],
      [inventory(MEMBER, { trails: [orgTrail] })],
      options,
    );
    // Act
    const result = await applyPlan(plan, { clients, sessionFor });
    // Assess
    expect(result.complete).toBe(true);
    const ownerState = await readState(clients, owner, REGION);
    expect(ownerState.filters.map((f) => f.filterName)).toEqual(['trailwatch-root_usage']);
    expect(ownerState.alarms.map((a) => a.AlarmArn)).toEqual([`arn:aws:cloudwatch:${REGION}:${MANAGEMENT}:alarm:trailwatch-root_usage`]);
    const memberState = await readState(clients, member, REGION);
    expect(memberState.alarms).toEqual([]);
    expect(memberState.topics).toEqual([]);
    clients.destroy();
  });

  it('goes on with the other accounts when one has no credentials', async () => {
    // Prepare
    const clients = motoClients();
    const sessionFor = sessions(clients);
    await createLogGroup(clients, { accountId: OWN }, REGION);
    await createLogGroup(clients, await sessionFor(MANAGEMENT), REGION);
    const plan = planRemediation(
      [finding(OWN, 'root_usage', 'metricFilter'), finding(MANAGEMENT, 'root_usage', 'metricFilter')],
      [inventory(OWN), inventory(MANAGEMENT)],
      options,
    );
    const refuseManagement = async (accountId: string) => {
      if (accountId === MANAGEMENT) throw Object.assign(new Error('not authorized to perform sts:AssumeRole'), { name: 'AccessDenied' });
      return sessionFor(accountId);
    };
    // Act
    const result = await applyPlan(plan, { clients, sessionFor: refuseManagement });
    // Assess
    const byAccount = (id: string) => result.outcomes.filter((o) => o.change.accountId === id).map((o) => o.status);
    expect(new Set(byAccount(OWN))).toEqual(new Set(['APPLIED']));
    expect(new Set(byAccount(MANAGEMENT))).toEqual(new Set(['NOT_ATTEMPTED']));
    expect(result.outcomes.find((o) => o.change.accountId === MANAGEMENT)?.detail).toContain('sts:AssumeRole');
    clients.destroy();
  });

  it('re-enables a disabled alarm\'s actions with fixAlarms, and nothing else of it', async () => {
    // Prepare: moto 5.2.1 does not implement EnableAlarmActions (NotImplementedError); the client
    // answers it as AWS does, by setting ActionsEnabled on the stored alarm and changing nothing else.
    const clients = motoClients();
    const own = { accountId: OWN };
    await createLogGroup(clients, own, REGION);
    const topicArn = await seedUserChain(clients, own, REGION, '{ $.userIdentity.type = "Root" }');
    emulateEnableAlarmActions(clients.cloudWatch(own, REGION));
    const before = (await readState(clients, own, REGION)).alarms.find((a) => a.AlarmName === 'root-usage')!;
    const theirs = alarm(OWN, 'root-usage', { actionsEnabled: false, alarmActions: [topicArn], metricName: 'RootUsage' });
    const plan = planRemediation(
      [finding(OWN, 'root_usage', 'alarm', { evidence: { alarm: theirs.arn } })],
      [inventory(OWN, { alarms: [theirs] })],
      { ...options, fixAlarms: true },
    );
    // Act
    const first = await applyPlan(plan, { clients, sessionFor: sessions(clients) });
    const second = await applyPlan(plan, { clients, sessionFor: sessions(clients) });
    // Assess
    expect(first.outcomes.map((o) => `${o.change.kind}:${o.status}`)).toEqual(['enableAlarmActions:APPLIED']);
    expect(second.outcomes.map((o) => `${o.change.kind}:${o.status}`)).toEqual(['enableAlarmActions:UNCHANGED']);
    expect(clients.callCounter.forAccount(OWN)['CloudWatch:EnableAlarmActions']).toBe(1);
    const after = (await readState(clients, own, REGION)).alarms.find((a) => a.AlarmName === 'root-usage')!;
    expect(after.ActionsEnabled).toBe(true);
    expect(after).toMatchObject({ MetricName: before.MetricName, Namespace: before.Namespace, AlarmActions: before.AlarmActions, Threshold: before.Threshold });
    clients.destroy();
  });

  it('reports an email subscription that waits for confirmation, and does not subscribe it twice', async () => {
    // Prepare: moto confirms at once; make SNS answer as AWS does for an unconfirmed email
    const clients = motoClients();
    const own = { accountId: OWN };
    await createLogGroup(clients, own, REGION);
    const sns = clients.sns(own, REGION);
    sns.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        const output = result.output as { SubscriptionArn?: string; Subscriptions?: { SubscriptionArn?: string; Protocol?: string }[] };
        if (context.commandName === 'SubscribeCommand') output.SubscriptionArn = 'pending confirmation';
        for (const s of output.Subscriptions ?? []) if (s.Protocol === 'email') s.SubscriptionArn = 'PendingConfirmation';
        return result;
      },
      { step: 'initialize', name: 'pretendPendingEmail' },
    );
    const plan = failingPlan(['root_usage']);
    // Act
    const first = await applyPlan(plan, { clients, sessionFor: sessions(clients) });
    const second = await applyPlan(plan, { clients, sessionFor: sessions(clients) });
    // Assess
    const pending = { accountId: OWN, topicArn: `arn:aws:sns:${REGION}:${OWN}:trailwatch-alerts`, protocol: 'email', endpoint: 'o***@example.com', checks: ['root_usage'] };
    expect(first.pending).toEqual([pending]);
    expect(second.pending).toEqual([pending]);
    expect(second.outcomes.find((o) => o.change.kind === 'subscribe')?.status).toBe('UNCHANGED');
    expect(renderApplyResult(first, 'table')).toContain('root_usage will pass once it is confirmed');
    expect(clients.callCounter.forAccount(OWN)['SNS:Subscribe']).toBe(1);
    clients.destroy();
  });
});

describe('applyPlan against moto: only what trailwatch made', () => {
  useMoto();

  /** An untagged topic and alarm with trailwatch's names, as a person (or an attacker) might make them. */
  async function seedLookAlikes(clients: ReturnType<typeof motoClients>, own: { accountId: string }) {
    const { CreateTopicCommand, SetTopicAttributesCommand, SubscribeCommand } = await import('@aws-sdk/client-sns');
    const { PutMetricAlarmCommand } = await import('@aws-sdk/client-cloudwatch');
    const sns = clients.sns(own, REGION);
    const topicArn = (await sns.send(new CreateTopicCommand({ Name: 'trailwatch-alerts' }))).TopicArn!;
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Sid: 'OwnerOnly', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWN}:root` }, Action: 'sns:Publish', Resource: topicArn }],
    });
    await sns.send(new SetTopicAttributesCommand({ TopicArn: topicArn, AttributeName: 'Policy', AttributeValue: policy }));
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'email', Endpoint: 'someone-else@example.net' }));
    await clients.cloudWatch(own, REGION).send(
      new PutMetricAlarmCommand({
        AlarmName: 'trailwatch-root_usage',
        MetricName: 'Theirs',
        Namespace: 'Theirs',
        Statistic: 'Maximum',
        Period: 60,
        EvaluationPeriods: 2,
        Threshold: 5,
        ComparisonOperator: 'GreaterThanThreshold',
        AlarmActions: [`arn:aws:sns:${REGION}:${OWN}:elsewhere`],
      }),
    );
    return { topicArn, policy };
  }

  /** The look-alikes as they are: policy, subscriptions and tags of the topic, the whole alarm. */
  async function lookAlikes(clients: ReturnType<typeof motoClients>, own: { accountId: string }) {
    const state = await readState(clients, own, REGION);
    const { StateUpdatedTimestamp: _updated, ...alarmConfig } = state.alarms.find((a) => a.AlarmName === 'trailwatch-root_usage')!;
    return { topic: state.topics.find((t) => t.arn.endsWith(':trailwatch-alerts')), alarm: alarmConfig };
  }

  it.each([
    ['the scan saw the topic', true],
    ['the topic appeared after the scan', false],
  ])('leaves an untagged trailwatch-alerts topic and trailwatch-root_usage alarm exactly as they were, apply and rollback (%s)', async (_when, seen) => {
    // Prepare
    const clients = motoClients();
    const sessionFor = sessions(clients);
    const own = { accountId: OWN };
    await createLogGroup(clients, own, REGION);
    const { topicArn, policy } = await seedLookAlikes(clients, own);
    const before = await lookAlikes(clients, own);
    const findings = (['root_usage', 'iam_policy_changes'] as CheckSlug[]).map((check) => finding(OWN, check, 'metricFilter'));
    const plan = planRemediation(findings, [inventory(OWN, seen ? { topics: [topic(topicArn, { policy })] } : {})], options);
    const setup = { ...clients.callCounter.forAccount(OWN) };
    // Act
    const applied = await applyPlan(plan, { clients, sessionFor });
    const afterApply = await lookAlikes(clients, own);
    const rollback = await planRollback(rollbackScopes([inventory(OWN)]), { clients, sessionFor });
    const rolledBack = await applyRollback(rollback, { clients, sessionFor });
    const afterRollback = await lookAlikes(clients, own);
    // Assess
    expect(afterApply).toEqual(before);
    expect(afterRollback).toEqual(before);
    expect(before.topic?.subscriptions).toEqual([{ protocol: 'email', endpoint: 'someone-else@example.net' }]);
    expect(before.topic?.tags).toEqual({});
    const calls = clients.callCounter.forAccount(OWN);
    const made = (operation: string) => (calls[operation] ?? 0) - (setup[operation] ?? 0);
    expect(['SNS:CreateTopic', 'SNS:SetTopicAttributes', 'SNS:Subscribe', 'CloudWatch:PutMetricAlarm', 'SNS:DeleteTopic', 'CloudWatch:DeleteAlarms'].map(made)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(applied.outcomes.filter((o) => o.change.kind !== 'putMetricFilter').map((o) => o.status)).toEqual(
      applied.outcomes.filter((o) => o.change.kind !== 'putMetricFilter').map(() => 'LEFT_ALONE'),
    );
    expect(applied.failed).toBe(0);
    expect(applied.complete).toBe(false);
    expect(applied.manual.map((m) => m.link).sort()).toEqual(['alarm', 'topic']);
    expect(applied.manual.find((m) => m.link === 'topic')?.title).toContain(`topic '${topicArn}' has trailwatch's name but not its tags`);
    expect(renderApplyResult(applied, 'table')).toContain('To do by hand (2)');
    // Rollback removes trailwatch's own filters and nothing of the look-alikes.
    expect(rollback.changes.map((c) => c.kind)).toEqual(['deleteMetricFilter', 'deleteMetricFilter']);
    expect(rolledBack.complete).toBe(true);
    clients.destroy();
  });

  it('replaces its earlier filter with a put and no delete (AWS updates a filter of the same name; moto 5.2.1 appends a second)', async () => {
    // Prepare
    const clients = motoClients();
    const sessionFor = sessions(clients);
    const own = { accountId: OWN };
    await createLogGroup(clients, own, REGION);
    const { PutMetricFilterCommand } = await import('@aws-sdk/client-cloudwatch-logs');
    const stale = { name: 'trailwatch-root_usage', logGroupName: 'cloudtrail', pattern: '{ $.userIdentity.type = "Root" }', transformations: [{ metricName: 'RootUsage', metricNamespace: 'trailwatch', metricValue: '1' }] };
    await clients.cloudWatchLogs(own, REGION).send(
      new PutMetricFilterCommand({ logGroupName: 'cloudtrail', filterName: stale.name, filterPattern: stale.pattern, metricTransformations: stale.transformations }),
    );
    const plan = failingPlan(['root_usage']);
    const inventoryWithStale = inventory(OWN, { filters: [stale] });
    const replan = planRemediation([finding(OWN, 'root_usage', 'metricFilter')], [inventoryWithStale], options);
    // Act
    const first = await applyPlan(replan, { clients, sessionFor });
    const second = await applyPlan(plan, { clients, sessionFor });
    // Assess
    expect(replan.changes.find((c) => c.kind === 'putMetricFilter')?.summary).toMatch(/^replace metric filter trailwatch-root_usage/);
    expect(first.outcomes.find((o) => o.change.kind === 'putMetricFilter')).toMatchObject({ status: 'APPLIED', detail: "replaced trailwatch's earlier filter" });
    expect(clients.callCounter.forAccount(OWN)['CloudWatchLogs:DeleteMetricFilter']).toBeUndefined();
    expect(second.outcomes.find((o) => o.change.kind === 'putMetricFilter')?.status).toBe('UNCHANGED');
    const named = (await readState(clients, own, REGION)).filters.filter((f) => f.filterName === 'trailwatch-root_usage');
    // moto keeps both: its put_metric_filter appends. AWS would hold only the new one.
    expect(named.map((f) => f.filterPattern)).toEqual([stale.pattern, references('root_usage')!.pattern]);
    clients.destroy();
  });
});

describe('rollback against moto', () => {
  useMoto();

  it('removes exactly what apply made, keeps a person\'s resources, and a second rollback finds nothing', async () => {
    // Prepare
    const clients = motoClients();
    const sessionFor = sessions(clients);
    const own = { accountId: OWN };
    await createLogGroup(clients, own, REGION);
    const theirTopic = await seedUserChain(clients, own, REGION, '{ $.userIdentity.type = "Root" }');
    const before = await readState(clients, own, REGION);
    const plan = failingPlan(['root_usage', 'iam_policy_changes']);
    await applyPlan(plan, { clients, sessionFor });
    const scopes = rollbackScopes([inventory(OWN)]);
    // Act
    const rollback = await planRollback(scopes, { clients, sessionFor });
    const removed = await applyRollback(rollback, { clients, sessionFor });
    const again = await planRollback(scopes, { clients, sessionFor });
    // Assess
    expect(rollback.changes.map((c) => c.kind)).toEqual(['deleteAlarm', 'deleteAlarm', 'deleteMetricFilter', 'deleteMetricFilter', 'deleteTopic']);
    expect(removed.complete).toBe(true);
    expect(removed.applied).toBe(5);
    expect(again.changes).toEqual([]);
    const after = await readState(clients, own, REGION);
    expect(after.filters).toEqual(before.filters);
    expect(after.alarms.map((a) => a.AlarmName)).toEqual(before.alarms.map((a) => a.AlarmName));
    expect(after.topics.map((t) => t.arn)).toEqual([theirTopic]);
    clients.destroy();
  });

  it('takes its statement out of a reused topic\'s policy and leaves the topic', async () => {
    // Prepare
    const clients = motoClients();
    const sessionFor = sessions(clients);
    const own = { accountId: OWN };
    await createLogGroup(clients, own, REGION);
    const configured = await seedUserChain(clients, own, REGION, '{ $.userIdentity.type = "Root" }');
    const policyBefore = (await readState(clients, own, REGION)).topics.find((t) => t.arn === configured)!.policy!;
    const plan = failingPlan(['root_usage'], { alertTopicArn: configured });
    const applied = await applyPlan(plan, { clients, sessionFor });
    const policyApplied = (await readState(clients, own, REGION)).topics.find((t) => t.arn === configured)!.policy!;
    // Act
    const rollback = await planRollback(rollbackScopes([inventory(OWN)], { alertTopicArn: configured }), { clients, sessionFor });
    await applyRollback(rollback, { clients, sessionFor });
    // Assess
    expect(applied.outcomes.find((o) => o.change.kind === 'createTopic')?.status).toBe('UNCHANGED');
    expect(JSON.parse(policyApplied).Statement).toHaveLength(JSON.parse(policyBefore).Statement.length + 1);
    expect(rollback.changes.map((c) => c.kind)).toEqual(['deleteAlarm', 'deleteMetricFilter', 'removePolicyStatement']);
    const after = await readState(clients, own, REGION);
    expect(after.topics.map((t) => t.arn)).toEqual([configured]);
    expect(JSON.parse(after.topics[0]!.policy!)).toEqual(JSON.parse(policyBefore));
    clients.destroy();
  });

  it('leaves a filter with trailwatch\'s name in another namespace, an untagged alarm with its name, and the deployment\'s findings topic', async () => {
    // Prepare
    const clients = motoClients();
    const sessionFor = sessions(clients);
    const own = { accountId: OWN };
    await createLogGroup(clients, own, REGION);
    const { PutMetricFilterCommand } = await import('@aws-sdk/client-cloudwatch-logs');
    const { PutMetricAlarmCommand } = await import('@aws-sdk/client-cloudwatch');
    await clients.cloudWatchLogs(own, REGION).send(
      new PutMetricFilterCommand({
        logGroupName: 'cloudtrail',
        filterName: 'trailwatch-mine',
        filterPattern: 'ERROR',
        metricTransformations: [{ metricName: 'Errors', metricNamespace: 'Mine', metricValue: '1' }],
      }),
    );
    await clients.cloudWatch(own, REGION).send(
      new PutMetricAlarmCommand({
        AlarmName: 'trailwatch-mine',
        MetricName: 'Errors',
        Namespace: 'Mine',
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      }),
    );
    const { CreateTopicCommand } = await import('@aws-sdk/client-sns');
    await clients.sns(own, REGION).send(new CreateTopicCommand({ Name: 'trailwatch-prod-findings', Tags: [{ Key: 'managed-by', Value: 'trailwatch' }] }));
    // Act
    const rollback = await planRollback(rollbackScopes([inventory(OWN)]), { clients, sessionFor });
    // Assess
    expect(rollback.changes).toEqual([]);
    clients.destroy();
  });

  it('calls, in each mode, only the IAM actions permissions.ts declares for it, and every one of them', async () => {
    // Prepare
    const clients = motoClients();
    const sessionFor = sessions(clients);
    const own = { accountId: OWN };
    await createLogGroup(clients, own, REGION);
    const configured = await seedUserChain(clients, own, REGION, '{ $.userIdentity.type = "Root" }');
    const { PutMetricFilterCommand } = await import('@aws-sdk/client-cloudwatch-logs');
    await clients.cloudWatchLogs(own, REGION).send(
      new PutMetricFilterCommand({
        logGroupName: 'cloudtrail',
        filterName: 'trailwatch-root_usage',
        filterPattern: 'stale',
        metricTransformations: [{ metricName: 'RootUsage', metricNamespace: 'trailwatch', metricValue: '1' }],
      }),
    );
    const usedSince = (before: Record<string, number>) =>
      Object.entries(clients.callCounter.forAccount(OWN))
        .filter(([key, n]) => n > (before[key] ?? 0))
        .map(([key]) => iamActionFor(key.split(':')[0] ?? '', key.split(':')[1] ?? ''))
        .sort();
    const declared = (use: 'apply' | 'rollback') => [...remediationActions(use), ...REUSED_TOPIC_ACTIONS[use], ...SCANNER_READS_USED];
    const setup = { ...clients.callCounter.forAccount(OWN) };
    // Act: apply to a new topic (replacing a stale filter of trailwatch's), again (now reading the marks of what
    // exists), and to a reused topic; then roll back
    await applyPlan(failingPlan(['root_usage']), { clients, sessionFor });
    await applyPlan(failingPlan(['root_usage']), { clients, sessionFor });
    await applyPlan(failingPlan(['iam_policy_changes'], { alertTopicArn: configured }), { clients, sessionFor });
    const afterApply = { ...clients.callCounter.forAccount(OWN) };
    const applyUsed = usedSince(setup);
    await applyRollback(await planRollback(rollbackScopes([inventory(OWN)], { alertTopicArn: configured }), { clients, sessionFor }), { clients, sessionFor });
    const rollbackUsed = usedSince(afterApply);
    // Assess
    expect(applyUsed.filter((action) => !declared('apply').includes(action))).toEqual([]);
    expect(rollbackUsed.filter((action) => !declared('rollback').includes(action))).toEqual([]);
    expect(applyUsed).not.toContain('logs:DeleteMetricFilter');
    // Every declared action is one the mode really makes (tags on creation ride on CreateTopic and PutMetricAlarm).
    expect(remediationActions('apply').filter((action) => !applyUsed.includes(action) && !action.endsWith(':TagResource'))).toEqual([]);
    expect(remediationActions('rollback').filter((action) => !rollbackUsed.includes(action))).toEqual([]);
    clients.destroy();
  });
});
