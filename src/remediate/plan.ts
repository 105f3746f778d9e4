/**
 * The remediation plan, pure: from findings and inventories, the changes that make each failing
 * check pass, where the trail's log group lives (an organization trail's owner account for its
 * members), and what only a person can do.
 *
 * For each repairable failing check trailwatch builds its own chain next to whatever is there: a
 * filter `trailwatch-<slug>` with the check's reference pattern on the trail's log group, counting
 * the catalogue's metric name in trailwatch's own namespace (so it never adds to a person's
 * metric, and filters, which carry no tags, are known as trailwatch's), an alarm
 * `trailwatch-<slug>` on that metric, and an alert topic with a subscriber and a policy that lets
 * CloudWatch publish. It never edits or deletes what it did not create; the one exception, opt-in
 * (`fixAlarms`), is re-enabling the actions of a person's disabled alarm. Links already as planned
 * in the inventory are left out, so a plan made from a passing scan is empty.
 */
import type { AccountInventory, AlarmRecord, MetricFilterRecord, TopicRecord, TrailRecord } from '../collect/inventory';
import { isSubscriptionTo, redactEndpoint } from '../collect/endpoints';
import { CHECK_SLUGS, DEFAULT_BENCHMARK, type CheckSlug } from '../controls/types';
import type { Finding } from '../evaluate/types';
import { parseArn, parseLogGroupArn, topicArn as topicArnOf, type LogGroupLocation } from '../arn';
import { logGroupSteps, lookAlikeFilter, trailSteps } from './manual';
import {
  ALARM_SETTINGS,
  CHECK_TAG_KEY,
  DEFAULT_TOPIC_NAME,
  MANAGED_BY_TAG,
  METRIC_NAMESPACE,
  NAME_PREFIX,
  SHARED_CHECK_TAG_VALUE,
  alarmNameFor,
  filterNameFor,
  isTrailwatchFilter,
} from './naming';
import { validateAlertSubscription, validateTopicArn, validateTopicName } from './options';
import { allowsCloudWatchPublish, withCloudWatchPublish } from './policy';
import { catalogueReferences } from './references';
import { awsCli, shellQuote } from '../shell';
import type {
  AlertSubscription,
  Change,
  CheckReference,
  ManualItem,
  PendingSubscription,
  RemediationOptions,
  RemediationPlan,
  SkippedFinding,
  TopicOwner,
} from './types';

const PENDING = 'PendingConfirmation';

/** Where a check's chain goes: the log group a trail writes to, in its account and region. */
interface Target {
  readonly logGroup: LogGroupLocation;
  readonly trail: TrailRecord;
  /** The inventory of the log group's account, when that account was scanned. */
  readonly inventory: AccountInventory | undefined;
}

interface TopicSetup {
  readonly topicArn: string;
  readonly record: TopicRecord | undefined;
}

function logGroupArnOf(trail: TrailRecord): string | undefined {
  return trail.cloudWatchLogsLogGroupArn ? parseLogGroupArn(trail.cloudWatchLogsLogGroupArn)?.arn : undefined;
}

/**
 * The trail and log group a failing check is repaired on: the one the finding names when a trail
 * writes to it, otherwise the account's best trail that delivers to CloudWatch Logs. Candidates
 * are the account's own trails and the organization trails of the scan (members do not always
 * see those: moto, for one, does not list them). Never a log group no trail writes to.
 */
function locateTarget(finding: Finding, inventory: AccountInventory, byAccount: ReadonlyMap<string, AccountInventory>): Target | undefined {
  const organizationTrails = [...byAccount.values()].flatMap((other) =>
    other.trails.filter((t) => t.isOrganizationTrail && t.ownerAccountId === other.accountId),
  );
  const candidates = [...inventory.trails, ...organizationTrails.filter((t) => !inventory.trails.some((own) => own.arn === t.arn))];
  const delivering = candidates.filter((t) => logGroupArnOf(t) !== undefined);
  const evidenceGroup = finding.evidence.logGroup ? parseLogGroupArn(finding.evidence.logGroup)?.arn : undefined;
  const owner = finding.evidence.organizationTrailOwner;
  const score = (t: TrailRecord) =>
    (t.arn === finding.evidence.trail ? 32 : 0) +
    (evidenceGroup !== undefined && logGroupArnOf(t) === evidenceGroup ? 16 : 0) +
    (owner !== undefined && t.isOrganizationTrail && t.ownerAccountId === owner ? 8 : 0) +
    (t.isMultiRegionTrail ? 4 : 0) +
    (t.status?.isLogging !== false ? 2 : 0) +
    (t.ownerAccountId === inventory.accountId ? 1 : 0);
  const trail = [...delivering].sort((a, b) => score(b) - score(a))[0];
  const logGroup = trail?.cloudWatchLogsLogGroupArn ? parseLogGroupArn(trail.cloudWatchLogsLogGroupArn) : undefined;
  if (!trail || !logGroup) return undefined;
  return { trail, logGroup, inventory: byAccount.get(logGroup.accountId) };
}

function filterIsAsPlanned(filter: MetricFilterRecord, reference: CheckReference): boolean {
  return (
    filter.pattern === reference.pattern &&
    filter.transformations.length === 1 &&
    filter.transformations.some(
      (t) => t.metricName === reference.metricName && t.metricNamespace === METRIC_NAMESPACE && t.metricValue === '1' && !t.dimensions,
    )
  );
}

function filterIsTrailwatchs(filter: MetricFilterRecord): boolean {
  return isTrailwatchFilter(filter.name, filter.transformations.map((t) => t.metricNamespace));
}

function alarmIsAsPlanned(alarm: AlarmRecord, reference: CheckReference, topicArn: string): boolean {
  return (
    alarm.metricName === reference.metricName &&
    alarm.namespace === METRIC_NAMESPACE &&
    alarm.dimensions.length === 0 &&
    alarm.statistic === ALARM_SETTINGS.statistic &&
    alarm.period === ALARM_SETTINGS.period &&
    alarm.evaluationPeriods === ALARM_SETTINGS.evaluationPeriods &&
    (alarm.datapointsToAlarm ?? alarm.evaluationPeriods) === ALARM_SETTINGS.datapointsToAlarm &&
    alarm.threshold === ALARM_SETTINGS.threshold &&
    alarm.comparisonOperator === ALARM_SETTINGS.comparisonOperator &&
    alarm.actionsEnabled &&
    alarm.alarmActions.includes(topicArn)
  );
}

function findAlarm(inventories: Iterable<AccountInventory>, arn: string): AlarmRecord | undefined {
  for (const inventory of inventories) {
    for (const alarms of Object.values(inventory.alarms)) {
      const found = alarms.find((a) => a.arn === arn);
      if (found) return found;
    }
  }
  return undefined;
}

const KIND_ORDER: Record<Change['kind'], number> = {
  createTopic: 0,
  allowCloudWatchPublish: 1,
  subscribe: 2,
  putMetricFilter: 3,
  putMetricAlarm: 4,
  enableAlarmActions: 5,
};

function checkOrder(change: Change): number {
  return 'check' in change ? CHECK_SLUGS.indexOf(change.check) : -1;
}

/** Per account and region: the shared topic first, then each check's filter and alarm together, so a bounded run leaves whole chains. */
function compareChanges(a: Change, b: Change): number {
  return (
    a.accountId.localeCompare(b.accountId) ||
    a.region.localeCompare(b.region) ||
    checkOrder(a) - checkOrder(b) ||
    KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
    a.id.localeCompare(b.id)
  );
}

function addUnique<T>(list: T[], value: T): void {
  if (!list.includes(value)) list.push(value);
}

function subscriptionNotes(subscription: AlertSubscription, topicArn: string): string[] {
  switch (subscription.protocol) {
    case 'email':
      return [`${redactEndpoint('email', subscription.endpoint)} receives a confirmation email; the checks pass once it is confirmed`];
    case 'sqs':
      return [`the queue's policy must let sns.amazonaws.com send messages from ${topicArn} (aws:SourceArn)`];
    case 'lambda':
      return [
        `the function needs a resource policy letting sns.amazonaws.com invoke it: ${awsCli('lambda', 'add-permission', {
          'function-name': subscription.endpoint,
          'statement-id': 'trailwatch-alerts',
          action: 'lambda:InvokeFunction',
          principal: 'sns.amazonaws.com',
          'source-arn': topicArn,
        })}`,
      ];
    case 'https':
      return [`${redactEndpoint('https', subscription.endpoint)} must confirm the subscription by visiting the SubscribeURL SNS posts to it`];
  }
}

export function planRemediation(
  findings: readonly Finding[],
  inventories: readonly AccountInventory[],
  options: RemediationOptions,
): RemediationPlan {
  const topicName = validateTopicName(options.topicName ?? DEFAULT_TOPIC_NAME);
  const alertTopicArn = options.alertTopicArn === undefined ? undefined : validateTopicArn(options.alertTopicArn);
  const subscription = options.subscription === undefined ? undefined : validateAlertSubscription(options.subscription);
  const byAccount = new Map(inventories.map((inventory) => [inventory.accountId, inventory]));
  const references = options.references ?? catalogueReferences(options.benchmark ?? DEFAULT_BENCHMARK);

  const changes = new Map<string, Change>();
  const manual = new Map<string, ManualItem>();
  const pending = new Map<string, PendingSubscription>();
  const skipped: SkippedFinding[] = [];
  const failing: RemediationPlan['failing'] = [];
  const topics = new Map<string, TopicSetup>();
  /** Whether the finding being planned led to anything: a change, a manual item or a pending subscription. */
  let contributed = false;

  /** Adds a change once; a later finding served by the same change only adds its check and account. */
  const addChange = (change: Change, check: CheckSlug, forAccount: string): void => {
    contributed = true;
    const existing = changes.get(change.id) ?? change;
    addUnique(existing.checks, check);
    addUnique(existing.forAccounts, forAccount);
    for (const note of change.notes ?? []) if (existing.notes && !existing.notes.includes(note)) existing.notes.push(note);
    changes.set(change.id, existing);
  };

  const addManual = (item: Omit<ManualItem, 'checks' | 'forAccounts'>, check: CheckSlug, forAccount: string): void => {
    contributed = true;
    const existing = manual.get(item.id) ?? { ...item, checks: [], forAccounts: [] };
    addUnique(existing.checks, check);
    addUnique(existing.forAccounts, forAccount);
    manual.set(item.id, existing);
  };

  const addPending = (accountId: string, topicArn: string, protocol: string, endpoint: string, check: CheckSlug): void => {
    contributed = true;
    const key = `${topicArn}|${protocol}|${endpoint}`;
    const existing = pending.get(key) ?? { accountId, topicArn, protocol, endpoint, checks: [] };
    addUnique(existing.checks, check);
    pending.set(key, existing);
  };

  /** The alert topic of an account and region, with the changes that make it deliver; returns its ARN and whose it is. */
  const ensureTopic = (target: Target, check: CheckSlug, forAccount: string): { arn: string; owner: TopicOwner } => {
    const { accountId, region, partition } = target.logGroup;
    const reuse = alertTopicArn !== undefined && parseArn(alertTopicArn)?.accountId === accountId && parseArn(alertTopicArn)?.region === region;
    const arn = reuse && alertTopicArn ? alertTopicArn : topicArnOf(partition, region, accountId, topicName);
    // apply writes to trailwatch's own topic only while it carries trailwatch's tags; the configured one as configured.
    const topicOwner: TopicOwner = reuse ? 'configured' : 'trailwatch';
    const setup = topics.get(arn) ?? { topicArn: arn, record: target.inventory?.topics[arn] };
    topics.set(arn, setup);
    const record = setup.record?.exists ? setup.record : undefined;
    const base = { accountId, region, checks: [], forAccounts: [] };
    const name = parseArn(arn)?.resource ?? topicName;

    if (!record) {
      // A reused topic the scan did not read is created only if it turns out to be missing: apply reads first.
      addChange(
        {
          ...base,
          kind: 'createTopic',
          id: `${accountId}:${region}:createTopic:${name}`,
          topicName: name,
          topicArn: arn,
          topicOwner,
          notes: [],
          summary: reuse && setup.record === undefined
            ? `create SNS topic ${name} (the configured alert topic) unless it exists`
            : `create SNS topic ${name} for trailwatch's alarms`,
          cli: awsCli('sns', 'create-topic', {
            region,
            name,
            tags: [`Key=${MANAGED_BY_TAG.key},Value=${MANAGED_BY_TAG.value}`, `Key=${CHECK_TAG_KEY},Value=${SHARED_CHECK_TAG_VALUE}`],
          }),
        },
        check,
        forAccount,
      );
    }
    if (!record || !allowsCloudWatchPublish(record.policy, arn)) {
      addChange(
        {
          ...base,
          kind: 'allowCloudWatchPublish',
          id: `${accountId}:${region}:allowCloudWatchPublish:${arn}`,
          topicArn: arn,
          topicOwner,
          summary: `let CloudWatch alarms of ${accountId} publish to ${arn} (a policy statement trailwatch adds)`,
          cli: awsCli('sns', 'set-topic-attributes', {
            region,
            'topic-arn': arn,
            'attribute-name': 'Policy',
            'attribute-value': withCloudWatchPublish(record?.policy, arn),
          }),
          notes: record?.kmsMasterKeyId
            ? [`the topic is encrypted with ${record.kmsMasterKeyId}: its key policy must let cloudwatch.amazonaws.com use kms:GenerateDataKey* and kms:Decrypt`]
            : [],
        },
        check,
        forAccount,
      );
    }

    const subscriptions = record?.subscriptions;
    const endpointSubscription = subscription
      ? subscriptions?.find((s) => isSubscriptionTo(s, subscription.protocol, subscription.endpoint))
      : undefined;
    if (subscription && !endpointSubscription) {
      // Shown redacted like every endpoint in a report; whole only where it is used (the change's endpoint and command).
      const shown = redactEndpoint(subscription.protocol, subscription.endpoint);
      addChange(
        {
          ...base,
          kind: 'subscribe',
          id: `${accountId}:${region}:subscribe:${arn}:${subscription.protocol}:${shown}`,
          topicArn: arn,
          topicOwner,
          protocol: subscription.protocol,
          endpoint: subscription.endpoint,
          summary: `subscribe ${subscription.protocol} ${shown} to ${arn}`,
          cli: awsCli('sns', 'subscribe', {
            region,
            'topic-arn': arn,
            protocol: subscription.protocol,
            'notification-endpoint': subscription.endpoint,
          }),
          notes: subscriptionNotes(subscription, arn),
        },
        check,
        forAccount,
      );
      if (subscription.protocol === 'email' || subscription.protocol === 'https') {
        addPending(accountId, arn, subscription.protocol, shown, check);
      }
      return { arn, owner: topicOwner };
    }
    const confirmed = (subscriptions ?? []).filter((s) => s.subscriptionArn !== PENDING);
    const waiting = (subscriptions ?? []).filter((s) => s.subscriptionArn === PENDING);
    for (const s of waiting) addPending(accountId, arn, s.protocol, s.endpoint, check);
    if (confirmed.length === 0 && waiting.length === 0 && (subscriptions !== undefined || !reuse)) {
      addManual(
        {
          id: `${accountId}:${region}:subscriber:${arn}`,
          accountId,
          region,
          link: 'subscription',
          title: `topic ${arn} has nobody subscribed and no alert endpoint is configured: give one (e.g. --alert-endpoint email:you@example.com) or subscribe someone`,
          steps: [
            awsCli('sns', 'subscribe', { region, 'topic-arn': arn, protocol: 'email', 'notification-endpoint': '<you@example.com>' }),
            'Confirm the subscription from the email SNS sends.',
          ],
        },
        check,
        forAccount,
      );
    }
    return { arn, owner: topicOwner };
  };

  /** trailwatch's own chain for one check on the target's log group. */
  const planChain = (finding: Finding, target: Target, reference: CheckReference, alarmNote?: string): void => {
    const { check } = finding;
    const { accountId, region, name: logGroupName, arn: logGroupArn } = target.logGroup;
    const filterName = filterNameFor(check);
    const existingFilters = target.inventory?.logGroups[logGroupArn]?.metricFilters?.filter((f) => f.name === filterName) ?? [];
    if (existingFilters.some((f) => !filterIsTrailwatchs(f))) {
      addManual(lookAlikeFilter(accountId, region, logGroupName, filterName, reference.pattern), check, finding.accountId);
      return;
    }

    const { arn: topicArn, owner: topicOwner } = ensureTopic(target, check, finding.accountId);
    const base = { accountId, region, check, checks: [], forAccounts: [] };
    // AWS holds one filter per name (moto may hold several after a replace): any as planned will do.
    if (!existingFilters.some((f) => filterIsAsPlanned(f, reference))) {
      addChange(
        {
          ...base,
          kind: 'putMetricFilter',
          id: `${accountId}:${region}:putMetricFilter:${logGroupName}:${filterName}`,
          logGroupName,
          logGroupArn,
          filterName,
          pattern: reference.pattern,
          metricName: reference.metricName,
          metricNamespace: METRIC_NAMESPACE,
          summary: `${existingFilters.length > 0 ? 'replace' : 'add'} metric filter ${filterName} on log group '${logGroupName}' (trail '${target.trail.name}') counting ${METRIC_NAMESPACE}/${reference.metricName}`,
          cli: awsCli('logs', 'put-metric-filter', {
            region,
            'log-group-name': logGroupName,
            'filter-name': filterName,
            'filter-pattern': reference.pattern,
            'metric-transformations': `metricName=${reference.metricName},metricNamespace=${METRIC_NAMESPACE},metricValue=1`,
          }),
        },
        check,
        finding.accountId,
      );
    }

    const alarmName = alarmNameFor(check);
    const existingAlarm = target.inventory?.alarms[region]?.find((a) => a.name === alarmName);
    if (!existingAlarm || !alarmIsAsPlanned(existingAlarm, reference, topicArn)) {
      const description = `trailwatch: ${reference.control ? `CIS ${reference.control} ` : ''}${reference.title ?? check} (${check})`;
      addChange(
        {
          ...base,
          kind: 'putMetricAlarm',
          id: `${accountId}:${region}:putMetricAlarm:${alarmName}`,
          alarmName,
          description,
          metricName: reference.metricName,
          metricNamespace: METRIC_NAMESPACE,
          topicArn,
          topicOwner,
          summary: `${existingAlarm ? 'update' : 'add'} alarm ${alarmName} on ${METRIC_NAMESPACE}/${reference.metricName} (Sum >= 1 in 300 s) notifying ${topicArn}`,
          cli: awsCli('cloudwatch', 'put-metric-alarm', {
            region,
            'alarm-name': alarmName,
            'alarm-description': description,
            'metric-name': reference.metricName,
            namespace: METRIC_NAMESPACE,
            statistic: ALARM_SETTINGS.statistic,
            period: String(ALARM_SETTINGS.period),
            'evaluation-periods': String(ALARM_SETTINGS.evaluationPeriods),
            'datapoints-to-alarm': String(ALARM_SETTINGS.datapointsToAlarm),
            threshold: String(ALARM_SETTINGS.threshold),
            'comparison-operator': ALARM_SETTINGS.comparisonOperator,
            'treat-missing-data': ALARM_SETTINGS.treatMissingData,
            'alarm-actions': topicArn,
            tags: [`Key=${MANAGED_BY_TAG.key},Value=${MANAGED_BY_TAG.value}`, `Key=${CHECK_TAG_KEY},Value=${check}`],
          }),
          notes: alarmNote ? [alarmNote] : [],
        },
        check,
        finding.accountId,
      );
    } else if (alarmNote) {
      const change = changes.get(`${accountId}:${region}:putMetricAlarm:${alarmName}`);
      if (change?.notes && !change.notes.includes(alarmNote)) change.notes.push(alarmNote);
    }
  };

  const wanted = (finding: Finding) =>
    (options.accounts === undefined || options.accounts.includes(finding.accountId)) &&
    (options.checks === undefined || options.checks.includes(finding.check));

  for (const finding of findings.filter(wanted)) {
    const { accountId, check } = finding;
    if (finding.status === 'PASS') continue;
    if (finding.status === 'ERROR') {
      skipped.push({ accountId, check, reason: `trailwatch could not tell whether it passes, so changes nothing: ${finding.reason}` });
      continue;
    }
    failing.push({ accountId, check });
    contributed = false;
    const inventory = byAccount.get(accountId);
    if (!inventory) {
      skipped.push({ accountId, check, reason: `no inventory of account ${accountId} to plan from: scan it first` });
      continue;
    }

    if (finding.brokenLink === 'trail' || finding.brokenLink === null) {
      const steps = trailSteps(finding, inventory);
      addManual({ id: `${steps.accountId}:trail:${steps.title}`, link: 'trail', ...steps }, check, accountId);
      continue;
    }
    if (finding.brokenLink === 'logGroup') {
      const steps = logGroupSteps(finding, inventory);
      addManual({ id: `${steps.accountId}:logGroup:${steps.title}`, link: 'logGroup', ...steps }, check, accountId);
      continue;
    }

    const target = locateTarget(finding, inventory, byAccount);
    if (!target) {
      const steps = logGroupSteps(finding, inventory);
      addManual({ id: `${steps.accountId}:logGroup:${steps.title}`, link: 'logGroup', ...steps }, check, accountId);
      continue;
    }

    const alarm = finding.brokenLink === 'alarm' && finding.evidence.alarm ? findAlarm(byAccount.values(), finding.evidence.alarm) : undefined;
    const disabled = alarm !== undefined && !alarm.actionsEnabled;
    if (disabled && options.fixAlarms) {
      const where = parseArn(alarm.arn);
      const alarmAccount = where?.accountId ?? target.logGroup.accountId;
      addChange(
        {
          kind: 'enableAlarmActions',
          id: `${alarmAccount}:${alarm.region}:enableAlarmActions:${alarm.name}`,
          accountId: alarmAccount,
          region: alarm.region,
          check,
          checks: [],
          forAccounts: [],
          alarmName: alarm.name,
          alarmArn: alarm.arn,
          summary: `re-enable the actions of alarm '${alarm.name}' (--fix-alarms; the alarm is otherwise left as it is)`,
          cli: awsCli('cloudwatch', 'enable-alarm-actions', { region: alarm.region, 'alarm-names': alarm.name }),
          notes: [`the re-scan tells whether the topic of '${alarm.name}' delivers; if not, the next plan adds trailwatch's own chain`],
        },
        check,
        accountId,
      );
      continue;
    }

    const reference = references(check);
    if (!reference) {
      skipped.push({ accountId, check, reason: `the catalogue has no reference pattern for ${check}` });
      continue;
    }
    const alarmNote = disabled
      ? `alarm '${alarm.name}' has its actions disabled; trailwatch leaves it as it is and adds its own (--fix-alarms re-enables it instead)`
      : undefined;
    planChain(finding, target, reference, alarmNote);
    const theirTopic = finding.evidence.topic;
    if (finding.brokenLink === 'subscription' && theirTopic && !theirTopic.includes(`:${NAME_PREFIX}`)) {
      // One subscription on their topic would do, but SNS subscriptions carry no tags: rollback could not tell it was trailwatch's.
      const where = target.logGroup;
      const subscribeYourself = awsCli('sns', 'subscribe', { 'topic-arn': theirTopic, protocol: 'email', 'notification-endpoint': '<you@example.com>' });
      const note = `topic '${theirTopic}' already has alarms but nobody confirmed: subscribing to it yourself (${subscribeYourself}) or reusing it with --alert-topic ${shellQuote(theirTopic)} would replace trailwatch's own chain`;
      const host = [...changes.values()].find((c) => c.accountId === where.accountId && c.region === where.region && (c.kind === 'createTopic' || c.kind === 'putMetricAlarm'));
      if (host?.notes && !host.notes.includes(note)) host.notes.push(note);
    }
    if (!contributed) {
      skipped.push({
        accountId,
        check,
        reason: `trailwatch's own chain for ${check} is already in place on ${target.logGroup.name} in ${target.logGroup.accountId}/${target.logGroup.region}; the scan says: ${finding.reason}`,
      });
    }
  }

  return {
    changes: [...changes.values()].sort(compareChanges),
    manual: [...manual.values()].sort((a, b) => a.accountId.localeCompare(b.accountId) || a.id.localeCompare(b.id)),
    pending: [...pending.values()],
    skipped,
    failing,
  };
}
