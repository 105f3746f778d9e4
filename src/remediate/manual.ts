/**
 * What trailwatch leaves to a person — a missing trail, a trail not delivering to CloudWatch Logs,
 * event selectors — with the exact steps. These change how an account records its activity (and
 * what it pays for it): a scanner should not decide that alone.
 */
import type { AccountInventory, TrailRecord } from '../collect/inventory';
import type { CheckSlug } from '../controls/types';
import type { Finding } from '../evaluate/types';
import { parseArn, parseLogGroupArn } from '../arn';
import { awsCli, shellQuote } from '../shell';
import { CHECK_TAG_KEY, MANAGED_BY_TAG, METRIC_NAMESPACE, SHARED_CHECK_TAG_VALUE } from './naming';
import type { ManualItem } from './types';

export interface ManualSteps {
  readonly accountId: string;
  readonly region?: string;
  readonly title: string;
  readonly steps: string[];
}

const MANAGEMENT_EVENTS_SELECTOR = JSON.stringify([{ ReadWriteType: 'All', IncludeManagementEvents: true }]);
const MANAGEMENT_EVENTS_ADVANCED_SELECTOR = JSON.stringify([
  { Name: 'Management events', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] },
]);
const CLOUDTRAIL_TRUST_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});
const RESCAN = 'Run `trailwatch remediate --plan` again: the metric filter, alarm and topic are then trailwatch\'s to add.';

function deliveryRolePolicy(logGroupArn: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `${logGroupArn}:log-stream:*` }],
  });
}

/** Steps that make `trail` deliver to a new log group `<log-group>` through a role CloudTrail assumes. */
function cloudWatchLogsDeliverySteps(trail: { name: string; region: string; accountId: string; partition: string }): string[] {
  const { region, accountId, partition } = trail;
  const logGroupArn = `arn:${partition}:logs:${region}:${accountId}:log-group:<log-group>`;
  return [
    `Create the log group the trail will write to: ${awsCli('logs', 'create-log-group', { region, 'log-group-name': '<log-group>' })}`,
    `Create the role CloudTrail uses to write there: ${awsCli('iam', 'create-role', {
      'role-name': '<cloudtrail-logs-role>',
      'assume-role-policy-document': CLOUDTRAIL_TRUST_POLICY,
    })}`,
    `Let it write to the log group: ${awsCli('iam', 'put-role-policy', {
      'role-name': '<cloudtrail-logs-role>',
      'policy-name': 'cloudtrail-to-cloudwatch-logs',
      'policy-document': deliveryRolePolicy(logGroupArn),
    })}`,
    `Point the trail at both: ${awsCli('cloudtrail', 'update-trail', {
      region,
      name: trail.name,
      'cloud-watch-logs-log-group-arn': `${logGroupArn}:*`,
      'cloud-watch-logs-role-arn': `arn:${partition}:iam::${accountId}:role/<cloudtrail-logs-role>`,
    })}`,
  ];
}

function trailWhere(trail: TrailRecord): { name: string; region: string; accountId: string; partition: string } {
  const arn = parseArn(trail.arn);
  return { name: trail.name, region: trail.homeRegion, accountId: trail.ownerAccountId, partition: arn?.partition ?? 'aws' };
}

function hasManagementEventsReadWrite(trail: TrailRecord): boolean | undefined {
  if (trail.advancedEventSelectors && trail.advancedEventSelectors.length > 0) {
    return trail.advancedEventSelectors.some((selector) => {
      const category = selector.fieldSelectors.find((f) => f.field === 'eventCategory');
      const readOnly = selector.fieldSelectors.find((f) => f.field === 'readOnly');
      return category?.equals?.includes('Management') === true && readOnly === undefined;
    });
  }
  if (trail.eventSelectors === undefined) return undefined;
  return trail.eventSelectors.some((s) => s.includeManagementEvents !== false && (s.readWriteType ?? 'All') === 'All');
}

function excludedSources(trail: TrailRecord): string[] {
  return (trail.eventSelectors ?? []).flatMap((s) => s.excludeManagementEventSources ?? []);
}

/** The trail a finding names, or the most promising one of the account. */
export function subjectTrail(finding: Finding, inventory: AccountInventory | undefined): TrailRecord | undefined {
  const trails = inventory?.trails ?? [];
  const named = trails.find((t) => t.arn === finding.evidence.trail);
  if (named) return named;
  const score = (t: TrailRecord) =>
    (t.cloudWatchLogsLogGroupArn ? 4 : 0) + (t.isMultiRegionTrail ? 2 : 0) + (t.status?.isLogging ? 1 : 0);
  return [...trails].sort((a, b) => score(b) - score(a))[0];
}

function noTrailSteps(accountId: string, region: string): ManualSteps {
  const trail = { name: '<trail-name>', region, accountId, partition: 'aws' };
  return {
    accountId,
    region,
    title: `account ${accountId} has no CloudTrail trail: create a multi-region trail that delivers to CloudWatch Logs`,
    steps: [
      `Create an S3 bucket for the trail's log files with a bucket policy that lets cloudtrail.amazonaws.com write to it (AWS CloudTrail User Guide, "Amazon S3 bucket policy for CloudTrail").`,
      `Create the trail: ${awsCli('cloudtrail', 'create-trail', {
        region,
        name: '<trail-name>',
        's3-bucket-name': '<trail-bucket>',
        'is-multi-region-trail': true,
        'include-global-service-events': true,
      })}`,
      ...cloudWatchLogsDeliverySteps(trail),
      `Start it: ${awsCli('cloudtrail', 'start-logging', { region, name: '<trail-name>' })}`,
      RESCAN,
    ],
  };
}

/** The steps for a finding whose first broken link is the trail itself. */
export function trailSteps(finding: Finding, inventory: AccountInventory | undefined): ManualSteps {
  const trail = subjectTrail(finding, inventory);
  const homeRegion = inventory?.regions.includes('us-east-1') ? 'us-east-1' : (inventory?.regions[0] ?? 'us-east-1');
  if (!trail) return noTrailSteps(finding.accountId, homeRegion);
  const where = trailWhere(trail);
  const { region, name } = where;
  const steps: string[] = [];
  const problems: string[] = [];
  if (trail.status && !trail.status.isLogging) {
    problems.push('is not logging');
    steps.push(`Start logging: ${awsCli('cloudtrail', 'start-logging', { region, name: trail.arn })}`);
  }
  if (trail.isMultiRegionTrail === false) {
    problems.push('records only its home region');
    steps.push(`Make it multi-region: ${awsCli('cloudtrail', 'update-trail', { region, name: trail.arn, 'is-multi-region-trail': true })}`);
  }
  if (trail.includeGlobalServiceEvents === false) {
    problems.push('leaves out global service events (IAM, STS, sign-in)');
    steps.push(
      `Include global service events: ${awsCli('cloudtrail', 'update-trail', { region, name: trail.arn, 'include-global-service-events': true })}`,
    );
  }
  if (hasManagementEventsReadWrite(trail) === false) {
    problems.push('does not record read and write management events');
    steps.push(
      trail.advancedEventSelectors && trail.advancedEventSelectors.length > 0
        ? `Add a management-events selector to the advanced event selectors you keep (the command replaces them all): ${awsCli('cloudtrail', 'put-event-selectors', { region, 'trail-name': trail.arn, 'advanced-event-selectors': MANAGEMENT_EVENTS_ADVANCED_SELECTOR })}`
        : `Record read and write management events, keeping any data-event selectors you have (the command replaces them all): ${awsCli('cloudtrail', 'put-event-selectors', { region, 'trail-name': trail.arn, 'event-selectors': MANAGEMENT_EVENTS_SELECTOR })}`,
    );
  }
  const excluded = excludedSources(trail).map((source) => `'${source}'`).join(', ');
  if (excluded !== '') {
    problems.push(`excludes events from ${excluded}`);
    steps.push(
      `Stop excluding ${excluded} by setting the selectors again without ExcludeManagementEventSources: ${awsCli('cloudtrail', 'put-event-selectors', { region, 'trail-name': trail.arn, 'event-selectors': MANAGEMENT_EVENTS_SELECTOR })}`,
    );
  }
  if (!trail.cloudWatchLogsLogGroupArn) {
    problems.push('does not deliver to CloudWatch Logs');
    steps.push(...cloudWatchLogsDeliverySteps(where));
  }
  if (steps.length === 0) steps.push(finding.fix ?? `Repair the trail as the finding says: ${finding.reason}`);
  steps.push(RESCAN);
  const whose = trail.ownerAccountId !== finding.accountId ? ` (organization trail of account ${trail.ownerAccountId})` : '';
  const what = problems.length > 0 ? problems.join(', ') : 'is not usable for this check';
  return {
    accountId: trail.ownerAccountId,
    region,
    title: `trail '${name}'${whose} ${what}: trailwatch does not change trails`,
    steps,
  };
}

/** The steps for a finding whose trail does not get its events into CloudWatch Logs. */
export function logGroupSteps(finding: Finding, inventory: AccountInventory | undefined): ManualSteps {
  const trail = subjectTrail(finding, inventory);
  if (!trail) return noTrailSteps(finding.accountId, inventory?.regions[0] ?? 'us-east-1');
  const where = trailWhere(trail);
  const { region, name } = where;
  const logGroup = trail.cloudWatchLogsLogGroupArn ? parseLogGroupArn(trail.cloudWatchLogsLogGroupArn) : undefined;
  if (!logGroup) {
    return {
      accountId: trail.ownerAccountId,
      region,
      title: `trail '${name}' does not deliver to CloudWatch Logs: trailwatch never creates a log group itself`,
      steps: [...cloudWatchLogsDeliverySteps(where), RESCAN],
    };
  }
  const deliveryError = trail.status?.latestCloudWatchLogsDeliveryError;
  const roleName = trail.cloudWatchLogsRoleArn ? parseArn(trail.cloudWatchLogsRoleArn)?.resource.replace(/^role\//, '') : undefined;
  const steps: string[] = [];
  if (deliveryError) {
    steps.push(
      `CloudTrail reports '${deliveryError}' delivering to '${logGroup.name}'. Check the role's trust (cloudtrail.amazonaws.com) and policy: ${awsCli('iam', 'get-role', { 'role-name': roleName ?? '<cloudtrail-logs-role>' })}`,
      `Let the role write to the log group: ${awsCli('iam', 'put-role-policy', {
        'role-name': roleName ?? '<cloudtrail-logs-role>',
        'policy-name': 'cloudtrail-to-cloudwatch-logs',
        'policy-document': deliveryRolePolicy(logGroup.arn),
      })}`,
    );
  } else {
    steps.push(
      `Make sure the log group exists: ${awsCli('logs', 'describe-log-groups', { region: logGroup.region, 'log-group-name-prefix': logGroup.name })}; if it is gone, create it (the trail writes there): ${awsCli('logs', 'create-log-group', { region: logGroup.region, 'log-group-name': logGroup.name })}`,
    );
  }
  steps.push(
    `Check delivery resumes (LatestCloudWatchLogsDeliveryTime advances): ${awsCli('cloudtrail', 'get-trail-status', { region, name: trail.arn })}`,
    RESCAN,
  );
  return {
    accountId: trail.ownerAccountId,
    region,
    title: `trail '${name}' does not get its events into log group '${logGroup.name}': ${finding.reason}`,
    steps,
  };
}

/** A resource with trailwatch's name that trailwatch did not make, for a person to decide about. */
export type LookAlike = Omit<ManualItem, 'checks' | 'forAccounts'>;

const TAGS_TEXT = `${MANAGED_BY_TAG.key}=${MANAGED_BY_TAG.value} and ${CHECK_TAG_KEY}`;

export function lookAlikeTopic(accountId: string, region: string, topicArn: string): LookAlike {
  return {
    id: `${accountId}:${region}:look-alike:topic:${topicArn}`,
    accountId,
    region,
    link: 'topic',
    title: `topic '${topicArn}' has trailwatch's name but not its tags (${TAGS_TEXT}): trailwatch leaves its policy and subscriptions as they are and puts no alarm on it`,
    steps: [
      `If it is not meant for trailwatch, rename or remove it, then run \`trailwatch remediate\` again; to have trailwatch's alarms notify it as it is, name it: \`trailwatch remediate --apply --alert-topic ${shellQuote(topicArn)}\`.`,
      `If trailwatch made it before it tagged what it makes, tag it: ${awsCli('sns', 'tag-resource', {
        region,
        'resource-arn': topicArn,
        tags: [`Key=${MANAGED_BY_TAG.key},Value=${MANAGED_BY_TAG.value}`, `Key=${CHECK_TAG_KEY},Value=${SHARED_CHECK_TAG_VALUE}`],
      })}`,
    ],
  };
}

export function lookAlikeAlarm(accountId: string, region: string, alarmName: string, alarmArn: string, check: CheckSlug): LookAlike {
  return {
    id: `${accountId}:${region}:look-alike:alarm:${alarmName}`,
    accountId,
    region,
    link: 'alarm',
    title: `alarm '${alarmName}' (${region}) has trailwatch's name but not its tags (${TAGS_TEXT}): trailwatch leaves it as it is`,
    steps: [
      `If it is not meant for trailwatch, rename or remove it (${awsCli('cloudwatch', 'delete-alarms', { region, 'alarm-names': alarmName })}), then run \`trailwatch remediate\` again.`,
      `If trailwatch made it before it tagged what it makes, tag it: ${awsCli('cloudwatch', 'tag-resource', {
        region,
        'resource-arn': alarmArn,
        tags: [`Key=${MANAGED_BY_TAG.key},Value=${MANAGED_BY_TAG.value}`, `Key=${CHECK_TAG_KEY},Value=${check}`],
      })}`,
    ],
  };
}

export function lookAlikeFilter(accountId: string, region: string, logGroupName: string, filterName: string, referencePattern: string): LookAlike {
  return {
    id: `${accountId}:${region}:filter-conflict:${logGroupName}:${filterName}`,
    accountId,
    region,
    link: 'metricFilter',
    title: `log group '${logGroupName}' has a metric filter named '${filterName}' that trailwatch did not create (its metric is not in namespace ${METRIC_NAMESPACE}): trailwatch leaves it alone`,
    steps: [
      `Rename or remove that filter if it is not wanted, then run \`trailwatch remediate --plan\` again; or repair it so it covers the reference pattern: ${referencePattern}`,
    ],
  };
}
