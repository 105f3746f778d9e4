/**
 * Applies a remediation plan with real SDK clients. Every step reads what is there before it
 * writes — a repeated put is not idempotent everywhere (moto adds a second filter of the same
 * name) — writes only what differs, tags what it creates `managed-by=trailwatch` and
 * `trailwatch:check=<slug>`, and refuses to touch a resource that carries trailwatch's name
 * without being trailwatch's.
 */
import {
  DescribeAlarmsCommand,
  EnableAlarmActionsCommand,
  ListTagsForResourceCommand as ListAlarmTagsCommand,
  PutMetricAlarmCommand,
  type MetricAlarm,
} from '@aws-sdk/client-cloudwatch';
import {
  DeleteMetricFilterCommand,
  DescribeMetricFiltersCommand,
  PutMetricFilterCommand,
  type MetricFilter,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateTopicCommand,
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  SetTopicAttributesCommand,
  SubscribeCommand,
  type Subscription,
} from '@aws-sdk/client-sns';
import { redactEndpoint } from '../collect/endpoints';
import { NotTrailwatchsError, RemediationError } from './errors';
import { ALARM_SETTINGS, METRIC_NAMESPACE, SHARED_CHECK_TAG_VALUE, isManagedByTrailwatch, tagsFor } from './naming';
import { allowsCloudWatchPublish, withCloudWatchPublish } from './policy';
import { runChanges, type StepContext, type StepResult } from './runner';
import {
  ChangeStatus,
  type AllowCloudWatchPublishChange,
  type ApplyOptions,
  type ApplyResult,
  type Change,
  type CreateTopicChange,
  type EnableAlarmActionsChange,
  type PutMetricAlarmChange,
  type PutMetricFilterChange,
  type RemediationPlan,
  type SubscribeChange,
} from './types';

const APPLIED = { status: ChangeStatus.APPLIED } as const;
const UNCHANGED = { status: ChangeStatus.UNCHANGED } as const;

function errorName(error: unknown): string | undefined {
  return (error as { name?: string } | undefined)?.name;
}

function isNotFound(error: unknown): boolean {
  return ['NotFoundException', 'NotFound', 'ResourceNotFoundException', 'ResourceNotFound'].includes(errorName(error) ?? '');
}

/** The topic's attributes, or undefined when it does not exist. */
export async function readTopicAttributes(context: StepContext, region: string, topicArn: string): Promise<Record<string, string> | undefined> {
  try {
    const out = await context.clients.sns(context.session, region).send(new GetTopicAttributesCommand({ TopicArn: topicArn }));
    return out.Attributes ?? {};
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

export async function listTopicSubscriptions(context: StepContext, region: string, topicArn: string): Promise<Subscription[]> {
  const sns = context.clients.sns(context.session, region);
  const all: Subscription[] = [];
  let NextToken: string | undefined;
  do {
    const page = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken }));
    all.push(...(page.Subscriptions ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return all;
}

export async function describeFiltersNamed(context: StepContext, region: string, logGroupName: string, filterName: string): Promise<MetricFilter[]> {
  const logs = context.clients.cloudWatchLogs(context.session, region);
  const all: MetricFilter[] = [];
  let nextToken: string | undefined;
  do {
    const page = await logs.send(new DescribeMetricFiltersCommand({ logGroupName, filterNamePrefix: filterName, nextToken }));
    all.push(...(page.metricFilters ?? []).filter((f) => f.filterName === filterName && f.logGroupName === logGroupName));
    nextToken = page.nextToken;
  } while (nextToken);
  return all;
}

export async function describeMetricAlarm(context: StepContext, region: string, alarmName: string): Promise<MetricAlarm | undefined> {
  const out = await context.clients.cloudWatch(context.session, region).send(new DescribeAlarmsCommand({ AlarmNames: [alarmName] }));
  return (out.MetricAlarms ?? []).find((a) => a.AlarmName === alarmName);
}

export async function alarmIsTrailwatchs(context: StepContext, region: string, alarmArn: string): Promise<boolean> {
  const out = await context.clients.cloudWatch(context.session, region).send(new ListAlarmTagsCommand({ ResourceARN: alarmArn }));
  return isManagedByTrailwatch(out.Tags);
}

async function createTopic(change: CreateTopicChange, context: StepContext): Promise<StepResult> {
  if (await readTopicAttributes(context, change.region, change.topicArn)) return { ...UNCHANGED, detail: `${change.topicArn} exists` };
  context.beforeWrite();
  await context.clients
    .sns(context.session, change.region)
    .send(new CreateTopicCommand({ Name: change.topicName, Tags: tagsFor(SHARED_CHECK_TAG_VALUE) }));
  return APPLIED;
}

async function allowCloudWatchPublish(change: AllowCloudWatchPublishChange, context: StepContext): Promise<StepResult> {
  const attributes = await readTopicAttributes(context, change.region, change.topicArn);
  if (!attributes) {
    throw new RemediationError(`topic ${change.topicArn} does not exist`, { accountId: change.accountId, region: change.region, resource: change.topicArn });
  }
  if (allowsCloudWatchPublish(attributes.Policy, change.topicArn)) return { ...UNCHANGED, detail: 'its policy already lets CloudWatch publish' };
  context.beforeWrite();
  await context.clients.sns(context.session, change.region).send(
    new SetTopicAttributesCommand({
      TopicArn: change.topicArn,
      AttributeName: 'Policy',
      AttributeValue: withCloudWatchPublish(attributes.Policy, change.topicArn),
    }),
  );
  return APPLIED;
}

function isPending(subscriptionArn: string | undefined): boolean {
  return subscriptionArn !== undefined && subscriptionArn.replace(/\s+/g, '').toLowerCase() === 'pendingconfirmation';
}

async function subscribe(change: SubscribeChange, context: StepContext): Promise<StepResult> {
  const shown = redactEndpoint(change.protocol, change.endpoint);
  const pending = { accountId: change.accountId, topicArn: change.topicArn, protocol: change.protocol, endpoint: shown };
  const existing = (await listTopicSubscriptions(context, change.region, change.topicArn)).find(
    (s) => s.Protocol === change.protocol && s.Endpoint === change.endpoint,
  );
  if (existing) {
    return isPending(existing.SubscriptionArn)
      ? { ...UNCHANGED, detail: `${shown} has not confirmed yet`, pending }
      : { ...UNCHANGED, detail: `${shown} is subscribed` };
  }
  context.beforeWrite();
  const out = await context.clients
    .sns(context.session, change.region)
    .send(new SubscribeCommand({ TopicArn: change.topicArn, Protocol: change.protocol, Endpoint: change.endpoint }));
  return isPending(out.SubscriptionArn)
    ? { ...APPLIED, detail: `${shown} must confirm the subscription; the checks pass once it does`, pending }
    : APPLIED;
}

function filterIsAsPlanned(filter: MetricFilter, change: PutMetricFilterChange): boolean {
  const transformations = filter.metricTransformations ?? [];
  return (
    filter.filterPattern === change.pattern &&
    transformations.length === 1 &&
    transformations.some(
      (t) =>
        t.metricName === change.metricName &&
        t.metricNamespace === change.metricNamespace &&
        t.metricValue === '1' &&
        Object.keys(t.dimensions ?? {}).length === 0,
    )
  );
}

function filterIsTrailwatchs(filter: MetricFilter): boolean {
  const transformations = filter.metricTransformations ?? [];
  return transformations.length > 0 && transformations.every((t) => t.metricNamespace === METRIC_NAMESPACE);
}

async function putMetricFilter(change: PutMetricFilterChange, context: StepContext): Promise<StepResult> {
  const where = { accountId: change.accountId, region: change.region, resource: `${change.logGroupName}/${change.filterName}` };
  let existing: MetricFilter[];
  try {
    existing = await describeFiltersNamed(context, change.region, change.logGroupName, change.filterName);
  } catch (error) {
    if (isNotFound(error)) {
      throw new RemediationError(`log group ${change.logGroupName} does not exist: trailwatch never creates one; re-scan to see where the trail delivers`, where, { cause: error });
    }
    throw error;
  }
  if (existing.some((f) => !filterIsTrailwatchs(f))) {
    throw new NotTrailwatchsError(
      `metric filter ${change.filterName} on ${change.logGroupName} was not created by trailwatch (its metric is not in namespace ${METRIC_NAMESPACE}): left alone`,
      where,
    );
  }
  const [only, ...duplicates] = existing;
  if (only && duplicates.length === 0 && filterIsAsPlanned(only, change)) return UNCHANGED;

  const logs = context.clients.cloudWatchLogs(context.session, change.region);
  context.beforeWrite();
  // Replacing is delete then put: a put over an existing name is an update in AWS but a duplicate in moto.
  for (let i = 0; i < existing.length; i += 1) {
    try {
      await logs.send(new DeleteMetricFilterCommand({ logGroupName: change.logGroupName, filterName: change.filterName }));
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
  await logs.send(
    new PutMetricFilterCommand({
      logGroupName: change.logGroupName,
      filterName: change.filterName,
      filterPattern: change.pattern,
      metricTransformations: [{ metricName: change.metricName, metricNamespace: change.metricNamespace, metricValue: '1' }],
    }),
  );
  return existing.length > 0 ? { ...APPLIED, detail: 'replaced trailwatch\'s earlier filter' } : APPLIED;
}

function alarmIsAsPlanned(alarm: MetricAlarm, change: PutMetricAlarmChange): boolean {
  return (
    alarm.MetricName === change.metricName &&
    alarm.Namespace === change.metricNamespace &&
    (alarm.Dimensions ?? []).length === 0 &&
    alarm.Statistic === ALARM_SETTINGS.statistic &&
    alarm.Period === ALARM_SETTINGS.period &&
    alarm.EvaluationPeriods === ALARM_SETTINGS.evaluationPeriods &&
    (alarm.DatapointsToAlarm ?? alarm.EvaluationPeriods) === ALARM_SETTINGS.datapointsToAlarm &&
    alarm.Threshold === ALARM_SETTINGS.threshold &&
    alarm.ComparisonOperator === ALARM_SETTINGS.comparisonOperator &&
    alarm.TreatMissingData === ALARM_SETTINGS.treatMissingData &&
    alarm.ActionsEnabled === true &&
    (alarm.AlarmActions ?? []).includes(change.topicArn)
  );
}

async function putMetricAlarm(change: PutMetricAlarmChange, context: StepContext): Promise<StepResult> {
  const existing = await describeMetricAlarm(context, change.region, change.alarmName);
  if (existing) {
    if (!existing.AlarmArn || !(await alarmIsTrailwatchs(context, change.region, existing.AlarmArn))) {
      throw new NotTrailwatchsError(`alarm ${change.alarmName} exists and was not created by trailwatch (no managed-by=trailwatch tag): left alone`, {
        accountId: change.accountId,
        region: change.region,
        resource: existing.AlarmArn ?? change.alarmName,
      });
    }
    if (alarmIsAsPlanned(existing, change)) return UNCHANGED;
  }
  context.beforeWrite();
  await context.clients.cloudWatch(context.session, change.region).send(
    new PutMetricAlarmCommand({
      AlarmName: change.alarmName,
      AlarmDescription: change.description,
      MetricName: change.metricName,
      Namespace: change.metricNamespace,
      Statistic: ALARM_SETTINGS.statistic,
      Period: ALARM_SETTINGS.period,
      EvaluationPeriods: ALARM_SETTINGS.evaluationPeriods,
      DatapointsToAlarm: ALARM_SETTINGS.datapointsToAlarm,
      Threshold: ALARM_SETTINGS.threshold,
      ComparisonOperator: ALARM_SETTINGS.comparisonOperator,
      TreatMissingData: ALARM_SETTINGS.treatMissingData,
      ActionsEnabled: true,
      AlarmActions: [change.topicArn],
      // Taken on creation only; an update keeps the tags the alarm has.
      Tags: tagsFor(change.check),
    }),
  );
  return existing ? { ...APPLIED, detail: 'updated trailwatch\'s earlier alarm' } : APPLIED;
}

async function enableAlarmActions(change: EnableAlarmActionsChange, context: StepContext): Promise<StepResult> {
  const alarm = await describeMetricAlarm(context, change.region, change.alarmName);
  if (!alarm) {
    throw new RemediationError(`alarm ${change.alarmName} no longer exists`, { accountId: change.accountId, region: change.region, resource: change.alarmArn });
  }
  if (alarm.ActionsEnabled) return { ...UNCHANGED, detail: 'its actions are enabled' };
  context.beforeWrite();
  await context.clients.cloudWatch(context.session, change.region).send(new EnableAlarmActionsCommand({ AlarmNames: [change.alarmName] }));
  return APPLIED;
}

function applyChange(change: Change, context: StepContext): Promise<StepResult> {
  switch (change.kind) {
    case 'createTopic':
      return createTopic(change, context);
    case 'allowCloudWatchPublish':
      return allowCloudWatchPublish(change, context);
    case 'subscribe':
      return subscribe(change, context);
    case 'putMetricFilter':
      return putMetricFilter(change, context);
    case 'putMetricAlarm':
      return putMetricAlarm(change, context);
    case 'enableAlarmActions':
      return enableAlarmActions(change, context);
  }
}

/**
 * Makes the plan's changes, in order, account by account. Returns what was done, what was already
 * so, what failed and what was not attempted; a second run of the same plan writes nothing more.
 */
export function applyPlan(plan: Pick<RemediationPlan, 'changes'>, options: ApplyOptions): Promise<ApplyResult> {
  return runChanges(plan.changes, options, applyChange);
}
