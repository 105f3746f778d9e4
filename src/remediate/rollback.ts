/**
 * The backout: finds what trailwatch created — alarms and topics by their `managed-by=trailwatch`
 * tag and `trailwatch-` name, metric filters (which carry no tags) by their `trailwatch-` name
 * and trailwatch's metric namespace — and removes exactly that, re-checking those marks right
 * before each delete. Its topic-policy statement (by Sid) is taken out of the configured alert
 * topic only: a topic without trailwatch's tags is never written to. Nothing else is touched.
 */
import { DeleteAlarmsCommand, DescribeAlarmsCommand, type MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { DeleteMetricFilterCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DeleteTopicCommand, ListTopicsCommand, SetTopicAttributesCommand } from '@aws-sdk/client-sns';
import type { AccountInventory } from '../collect/inventory';
import { parseArn, parseLogGroupArn } from '../arn';
import { awsCli } from '../shell';
import { NAME_PREFIX } from './naming';
import { hasTrailwatchStatement, withoutTrailwatchStatement } from './policy';
import {
  alarmIsTrailwatchs,
  describeFilters,
  describeFiltersNamed,
  describeMetricAlarm,
  filterIsTrailwatchs,
  readTopicAttributes,
  topicIsTrailwatchs,
} from './reads';
import { runChanges, type StepContext, type StepResult } from './runner';
import { ChangeStatus, type ApplyOptions, type ApplyResult, type RollbackChange, type RollbackPlan, type RollbackScope } from './types';

const KIND_ORDER: Record<RollbackChange['kind'], number> = { deleteAlarm: 0, deleteMetricFilter: 1, removePolicyStatement: 2, deleteTopic: 3 };

const SUBSCRIPTIONS_NOTE =
  'subscriptions trailwatch added to a topic it did not create are left in place: SNS subscriptions carry no tags, so trailwatch cannot tell them from yours';
const POLICY_NOTE =
  "trailwatch's CloudWatch-publish statement is taken out of a topic it did not create only when that topic is given with --alert-topic";

/** Where to look, from a scan's inventories: every in-scope region, and the log groups the trails deliver to. */
export function rollbackScopes(inventories: readonly AccountInventory[], options: { alertTopicArn?: string } = {}): RollbackScope[] {
  const scopes = new Map<string, { regions: Set<string>; logGroups: Map<string, { region: string; name: string }>; topicArns: Set<string> }>();
  const scopeOf = (accountId: string) => {
    const scope = scopes.get(accountId) ?? { regions: new Set<string>(), logGroups: new Map(), topicArns: new Set<string>() };
    scopes.set(accountId, scope);
    return scope;
  };
  for (const inventory of inventories) {
    const own = scopeOf(inventory.accountId);
    for (const region of inventory.regions) own.regions.add(region);
    const groups = [
      ...Object.values(inventory.logGroups).map((g) => parseLogGroupArn(g.arn)),
      ...inventory.trails.map((t) => (t.cloudWatchLogsLogGroupArn ? parseLogGroupArn(t.cloudWatchLogsLogGroupArn) : undefined)),
    ];
    for (const group of groups) {
      // An organization trail seen from a member delivers to its owner's log group: look there.
      if (!group || (group.accountId !== inventory.accountId && !inventories.some((i) => i.accountId === group.accountId))) continue;
      const scope = scopeOf(group.accountId);
      scope.regions.add(group.region);
      scope.logGroups.set(group.arn, { region: group.region, name: group.name });
    }
  }
  const configured = options.alertTopicArn ? parseArn(options.alertTopicArn) : undefined;
  if (configured && options.alertTopicArn) scopeOf(configured.accountId).topicArns.add(options.alertTopicArn);
  return [...scopes.entries()].map(([accountId, s]) => ({
    accountId,
    regions: [...s.regions].sort(),
    logGroups: [...s.logGroups.values()],
    topicArns: [...s.topicArns],
  }));
}

async function pagedAlarms(context: StepContext, region: string): Promise<MetricAlarm[]> {
  const cloudWatch = context.clients.cloudWatch(context.session, region);
  const all: MetricAlarm[] = [];
  let NextToken: string | undefined;
  do {
    const page = await cloudWatch.send(new DescribeAlarmsCommand({ AlarmNamePrefix: NAME_PREFIX, NextToken }));
    all.push(...(page.MetricAlarms ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return all;
}

async function pagedTopicArns(context: StepContext, region: string): Promise<string[]> {
  const sns = context.clients.sns(context.session, region);
  const all: string[] = [];
  let NextToken: string | undefined;
  do {
    const page = await sns.send(new ListTopicsCommand({ NextToken }));
    all.push(...(page.Topics ?? []).flatMap((t) => (t.TopicArn ? [t.TopicArn] : [])));
    NextToken = page.NextToken;
  } while (NextToken);
  return all;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Reads each account in scope and lists what trailwatch created there, in the order it is removed. */
export async function planRollback(scopes: readonly RollbackScope[], options: Pick<ApplyOptions, 'clients' | 'sessionFor'>): Promise<RollbackPlan> {
  const changes: RollbackChange[] = [];
  const errors: RollbackPlan['errors'] = [];
  const seen = new Set<string>();
  const add = (change: RollbackChange) => {
    if (seen.has(change.id)) return;
    seen.add(change.id);
    changes.push(change);
  };

  for (const scope of scopes) {
    const { accountId } = scope;
    let context: StepContext;
    try {
      context = { clients: options.clients, session: await options.sessionFor(accountId), beforeWrite: () => undefined };
    } catch (error) {
      errors.push({ accountId, message: `no credentials: ${messageOf(error)}` });
      continue;
    }

    for (const region of scope.regions) {
      try {
        for (const alarm of await pagedAlarms(context, region)) {
          if (!alarm.AlarmArn || !alarm.AlarmName || !(await alarmIsTrailwatchs(context, region, alarm.AlarmArn))) continue;
          add({
            kind: 'deleteAlarm',
            id: `${accountId}:${region}:deleteAlarm:${alarm.AlarmName}`,
            accountId,
            region,
            alarmName: alarm.AlarmName,
            alarmArn: alarm.AlarmArn,
            summary: `delete alarm '${alarm.AlarmName}'`,
            cli: awsCli('cloudwatch', 'delete-alarms', { region, 'alarm-names': alarm.AlarmName }),
          });
        }
      } catch (error) {
        errors.push({ accountId, region, message: `alarms: ${messageOf(error)}` });
      }
    }

    for (const group of scope.logGroups) {
      try {
        for (const filter of await describeFilters(context, group.region, group.name, NAME_PREFIX)) {
          if (!filterIsTrailwatchs(filter) || !filter.filterName) continue;
          add({
            kind: 'deleteMetricFilter',
            id: `${accountId}:${group.region}:deleteMetricFilter:${group.name}:${filter.filterName}`,
            accountId,
            region: group.region,
            logGroupName: group.name,
            filterName: filter.filterName,
            summary: `delete metric filter '${filter.filterName}' from log group '${group.name}'`,
            cli: awsCli('logs', 'delete-metric-filter', { region: group.region, 'log-group-name': group.name, 'filter-name': filter.filterName }),
          });
        }
      } catch (error) {
        errors.push({ accountId, region: group.region, message: `metric filters of ${group.name}: ${messageOf(error)}` });
      }
    }

    const ownTopics = new Set<string>();
    for (const region of scope.regions) {
      try {
        for (const arn of await pagedTopicArns(context, region)) {
          const name = parseArn(arn)?.resource ?? '';
          if (!name.startsWith(NAME_PREFIX) || !(await topicIsTrailwatchs(context, region, arn))) continue;
          ownTopics.add(arn);
          add({
            kind: 'deleteTopic',
            id: `${accountId}:${region}:deleteTopic:${arn}`,
            accountId,
            region,
            topicArn: arn,
            summary: `delete topic ${arn} (and its subscriptions)`,
            cli: awsCli('sns', 'delete-topic', { region, 'topic-arn': arn }),
          });
        }
      } catch (error) {
        errors.push({ accountId, region, message: `topics: ${messageOf(error)}` });
      }
    }

    // Only the configured topic: trailwatch writes no policy of a topic it did not make unless told to.
    for (const arn of scope.topicArns ?? []) {
      const where = parseArn(arn);
      if (ownTopics.has(arn) || !where || where.accountId !== accountId) continue;
      try {
        const attributes = await readTopicAttributes(context, where.region, arn);
        if (!attributes || !hasTrailwatchStatement(attributes.Policy)) continue;
        add({
          kind: 'removePolicyStatement',
          id: `${accountId}:${where.region}:removePolicyStatement:${arn}`,
          accountId,
          region: where.region,
          topicArn: arn,
          summary: `remove trailwatch's CloudWatch-publish statement from the policy of ${arn}`,
          cli: awsCli('sns', 'set-topic-attributes', {
            region: where.region,
            'topic-arn': arn,
            'attribute-name': 'Policy',
            'attribute-value': withoutTrailwatchStatement(attributes.Policy, arn) ?? '',
          }),
        });
      } catch (error) {
        errors.push({ accountId, region: where.region, message: `topic ${arn}: ${messageOf(error)}` });
      }
    }
  }

  changes.sort((a, b) => a.accountId.localeCompare(b.accountId) || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.id.localeCompare(b.id));
  return { changes, errors, notes: [SUBSCRIPTIONS_NOTE, POLICY_NOTE] };
}

const APPLIED = { status: ChangeStatus.APPLIED } as const;
const GONE = { status: ChangeStatus.UNCHANGED, detail: 'already gone' } as const;

async function removeOne(change: RollbackChange, context: StepContext): Promise<StepResult> {
  switch (change.kind) {
    case 'deleteAlarm': {
      const alarm = await describeMetricAlarm(context, change.region, change.alarmName);
      if (!alarm?.AlarmArn) return GONE;
      if (!(await alarmIsTrailwatchs(context, change.region, alarm.AlarmArn))) {
        return { status: ChangeStatus.LEFT_ALONE, detail: `alarm '${change.alarmName}' no longer carries trailwatch's tags: left as it is` };
      }
      context.beforeWrite();
      await context.clients.cloudWatch(context.session, change.region).send(new DeleteAlarmsCommand({ AlarmNames: [change.alarmName] }));
      return APPLIED;
    }
    case 'deleteMetricFilter': {
      const filters = await describeFiltersNamed(context, change.region, change.logGroupName, change.filterName);
      if (filters.length === 0) return GONE;
      if (!filters.every(filterIsTrailwatchs)) {
        return { status: ChangeStatus.LEFT_ALONE, detail: `metric filter '${change.filterName}' on '${change.logGroupName}' is not trailwatch's: left as it is` };
      }
      context.beforeWrite();
      const logs = context.clients.cloudWatchLogs(context.session, change.region);
      for (let i = 0; i < filters.length; i += 1) {
        await logs.send(new DeleteMetricFilterCommand({ logGroupName: change.logGroupName, filterName: change.filterName }));
      }
      return APPLIED;
    }
    case 'removePolicyStatement': {
      const attributes = await readTopicAttributes(context, change.region, change.topicArn);
      const policy = attributes ? withoutTrailwatchStatement(attributes.Policy, change.topicArn) : undefined;
      if (policy === undefined) return GONE;
      context.beforeWrite();
      await context.clients
        .sns(context.session, change.region)
        .send(new SetTopicAttributesCommand({ TopicArn: change.topicArn, AttributeName: 'Policy', AttributeValue: policy }));
      return APPLIED;
    }
    case 'deleteTopic': {
      if (!(await readTopicAttributes(context, change.region, change.topicArn))) return GONE;
      if (!(await topicIsTrailwatchs(context, change.region, change.topicArn))) {
        return { status: ChangeStatus.LEFT_ALONE, detail: `topic '${change.topicArn}' no longer carries trailwatch's tags: left as it is` };
      }
      context.beforeWrite();
      await context.clients.sns(context.session, change.region).send(new DeleteTopicCommand({ TopicArn: change.topicArn }));
      return APPLIED;
    }
  }
}

/** Removes what `planRollback` found, re-checking each resource's marks right before deleting it. */
export function applyRollback(plan: Pick<RollbackPlan, 'changes'>, options: ApplyOptions): Promise<ApplyResult<RollbackChange>> {
  return runChanges(plan.changes, options, removeOne);
}
