/**
 * Applies a remediation plan with real SDK clients. Every step reads what is there before it
 * writes and writes only what differs, so a second run changes nothing. It writes only to what
 * trailwatch made: before any write it checks the target's marks — an alarm's or a topic's
 * `managed-by=trailwatch` and `trailwatch:check` tags, a filter's `trailwatch-` name and
 * `trailwatch` namespace — and a look-alike with the name but not the marks is left exactly as it
 * is and reported for a person. The exceptions are explicit: the topic the operator configured
 * (--alert-topic) and, with --fix-alarms, re-enabling a person's alarm. Nothing is deleted: a
 * filter is replaced by PutMetricFilter, which updates a filter of the same name in place.
 */
import { PutMetricAlarmCommand, type MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { PutMetricFilterCommand, type MetricFilter } from '@aws-sdk/client-cloudwatch-logs';
import { CreateTopicCommand, SetTopicAttributesCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { redactEndpoint } from '../collect/endpoints';
import { RemediationError } from './errors';
import { enableAlarmActions } from './fix-alarms';
import { lookAlikeAlarm, lookAlikeFilter, lookAlikeTopic } from './manual';
import { ALARM_SETTINGS, SHARED_CHECK_TAG_VALUE, tagsFor } from './naming';
import { allowsCloudWatchPublish, withCloudWatchPublish } from './policy';
import {
  alarmIsTrailwatchs,
  describeFiltersNamed,
  describeMetricAlarm,
  filterIsTrailwatchs,
  isNotFound,
  listTopicSubscriptions,
  readTopicAttributes,
  topicIsTrailwatchs,
} from './reads';
import { runChanges, type StepContext, type StepResult } from './runner';
import {
  ChangeStatus,
  type AllowCloudWatchPublishChange,
  type ApplyOptions,
  type ApplyResult,
  type Change,
  type CreateTopicChange,
  type PutMetricAlarmChange,
  type PutMetricFilterChange,
  type RemediationPlan,
  type SubscribeChange,
  type TopicOwner,
} from './types';

const APPLIED = { status: ChangeStatus.APPLIED } as const;
const UNCHANGED = { status: ChangeStatus.UNCHANGED } as const;

/** What one apply run has learnt about its targets' marks, so each is read once. */
interface RunMarks {
  /** Topic ARN -> whether trailwatch may write to it. */
  readonly topics: Map<string, boolean>;
  /** `account|region|check` of filters left alone: their check's alarm is not made either. */
  readonly filtersLeftAlone: Set<string>;
}

/** A topic trailwatch may write to: the configured one, or one carrying trailwatch's tags. */
async function mayWriteTopic(marks: RunMarks, context: StepContext, region: string, topicArn: string, owner: TopicOwner): Promise<boolean> {
  if (owner === 'configured') return true;
  let known = marks.topics.get(topicArn);
  if (known === undefined) {
    known = await topicIsTrailwatchs(context, region, topicArn);
    marks.topics.set(topicArn, known);
  }
  return known;
}

function topicLeftAlone(change: { accountId: string; region: string; topicArn: string }): StepResult {
  return {
    status: ChangeStatus.LEFT_ALONE,
    detail: `topic '${change.topicArn}' has trailwatch's name but not its tags: left as it is`,
    manual: lookAlikeTopic(change.accountId, change.region, change.topicArn),
  };
}

async function createTopic(change: CreateTopicChange, context: StepContext, marks: RunMarks): Promise<StepResult> {
  if (await readTopicAttributes(context, change.region, change.topicArn)) {
    if (!(await mayWriteTopic(marks, context, change.region, change.topicArn, change.topicOwner))) return topicLeftAlone(change);
    return { ...UNCHANGED, detail: `${change.topicArn} exists` };
  }
  context.beforeWrite();
  await context.clients
    .sns(context.session, change.region)
    .send(new CreateTopicCommand({ Name: change.topicName, Tags: tagsFor(SHARED_CHECK_TAG_VALUE) }));
  marks.topics.set(change.topicArn, true);
  return APPLIED;
}

async function allowCloudWatchPublish(change: AllowCloudWatchPublishChange, context: StepContext, marks: RunMarks): Promise<StepResult> {
  const attributes = await readTopicAttributes(context, change.region, change.topicArn);
  if (!attributes) {
    throw new RemediationError(`topic ${change.topicArn} does not exist`, { accountId: change.accountId, region: change.region, resource: change.topicArn });
  }
  if (!(await mayWriteTopic(marks, context, change.region, change.topicArn, change.topicOwner))) return topicLeftAlone(change);
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

async function subscribe(change: SubscribeChange, context: StepContext, marks: RunMarks): Promise<StepResult> {
  if (!(await readTopicAttributes(context, change.region, change.topicArn))) {
    throw new RemediationError(`topic ${change.topicArn} does not exist`, { accountId: change.accountId, region: change.region, resource: change.topicArn });
  }
  if (!(await mayWriteTopic(marks, context, change.region, change.topicArn, change.topicOwner))) return topicLeftAlone(change);
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

function checkKey(change: { accountId: string; region: string; check: string }): string {
  return `${change.accountId}|${change.region}|${change.check}`;
}

async function putMetricFilter(change: PutMetricFilterChange, context: StepContext, marks: RunMarks): Promise<StepResult> {
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
    marks.filtersLeftAlone.add(checkKey(change));
    return {
      status: ChangeStatus.LEFT_ALONE,
      detail: `metric filter '${change.filterName}' on '${change.logGroupName}' counts outside namespace ${change.metricNamespace}: not trailwatch's, left as it is`,
      manual: lookAlikeFilter(change.accountId, change.region, change.logGroupName, change.filterName, change.pattern),
    };
  }
  // AWS holds one filter per name; moto 5.2.1 appends a second on a put over an existing name.
  if (existing.some((f) => filterIsAsPlanned(f, change))) return UNCHANGED;
  context.beforeWrite();
  // PutMetricFilter creates the filter or updates the one of that name in place: no delete needed.
  await context.clients.cloudWatchLogs(context.session, change.region).send(
    new PutMetricFilterCommand({
      logGroupName: change.logGroupName,
      filterName: change.filterName,
      filterPattern: change.pattern,
      metricTransformations: [{ metricName: change.metricName, metricNamespace: change.metricNamespace, metricValue: '1' }],
    }),
  );
  return existing.length > 0 ? { ...APPLIED, detail: "replaced trailwatch's earlier filter" } : APPLIED;
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

async function putMetricAlarm(change: PutMetricAlarmChange, context: StepContext, marks: RunMarks): Promise<StepResult> {
  if (marks.filtersLeftAlone.has(checkKey(change))) {
    return { status: ChangeStatus.LEFT_ALONE, detail: `its filter '${change.alarmName}' is not trailwatch's: no alarm for a metric nothing counts` };
  }
  const existing = await describeMetricAlarm(context, change.region, change.alarmName);
  if (existing && !(existing.AlarmArn && (await alarmIsTrailwatchs(context, change.region, existing.AlarmArn)))) {
    const arn = existing.AlarmArn ?? change.alarmName;
    return {
      status: ChangeStatus.LEFT_ALONE,
      detail: `alarm '${change.alarmName}' exists without trailwatch's tags: left as it is`,
      manual: lookAlikeAlarm(change.accountId, change.region, change.alarmName, arn, change.check),
    };
  }
  // An alarm notifying a look-alike topic would hand trailwatch's alerts to whoever owns it.
  if (!(await mayWriteTopic(marks, context, change.region, change.topicArn, change.topicOwner))) {
    return { status: ChangeStatus.LEFT_ALONE, detail: `its topic '${change.topicArn}' is not trailwatch's (see "to do by hand")` };
  }
  if (existing && alarmIsAsPlanned(existing, change)) return UNCHANGED;
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
  return existing ? { ...APPLIED, detail: "updated trailwatch's earlier alarm" } : APPLIED;
}

function applyChange(change: Change, context: StepContext, marks: RunMarks): Promise<StepResult> {
  switch (change.kind) {
    case 'createTopic':
      return createTopic(change, context, marks);
    case 'allowCloudWatchPublish':
      return allowCloudWatchPublish(change, context, marks);
    case 'subscribe':
      return subscribe(change, context, marks);
    case 'putMetricFilter':
      return putMetricFilter(change, context, marks);
    case 'putMetricAlarm':
      return putMetricAlarm(change, context, marks);
    case 'enableAlarmActions':
      return enableAlarmActions(change, context);
  }
}

/**
 * Makes the plan's changes, in order, account by account. Returns what was done, what was already
 * so, what was left alone (look-alikes, as manual items), what failed and what was not attempted;
 * a second run of the same plan writes nothing more.
 */
export function applyPlan(plan: Pick<RemediationPlan, 'changes'>, options: ApplyOptions): Promise<ApplyResult> {
  const marks: RunMarks = { topics: new Map(), filtersLeftAlone: new Set() };
  return runChanges(plan.changes, options, (change, context) => applyChange(change, context, marks));
}
