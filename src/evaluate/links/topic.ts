/**
 * Topic and subscription rules: the topic exists (found in its own account's inventory when that
 * account is in the scan), CloudWatch may publish to it (its policy, and the key policy of the
 * KMS key it is encrypted with; the AWS managed key aws/sns cannot be used by CloudWatch), and at
 * least one subscription is confirmed and can receive (see delivery.ts).
 */
import type { AccountInventory, AlarmRecord, TopicRecord } from '../../collect/inventory';
import { arnName, parseArn } from '../../arn';
import { isAwsManagedKeyAlias } from '../../collect/resource-policies';
import { describeReadError, findReadError, type EvaluationContext } from '../context';
import * as fixes from '../fixes';
import { command, named, orList } from '../text';
import { fail, unknown, type LinkVerdict } from '../verdict';
import { deliveryVerdict, topicKeyVerdict } from './delivery';
import { cloudWatchMayPublish } from './topic-policy';
import { firstProblem } from './trail';

export function topicText(arn: string, viewer: string): string {
  const parsed = parseArn(arn);
  return named('topic', arnName(arn), { accountId: parsed?.accountId, region: parsed?.region, viewer });
}

export interface TopicLink {
  readonly verdict: LinkVerdict;
  readonly topic?: TopicRecord;
  readonly inventory?: AccountInventory;
}

export function topicLink(arn: string, alarm: AlarmRecord, alarmAccountId: string, ctx: EvaluationContext, viewer: string): TopicLink {
  const text = topicText(arn, viewer);
  const region = parseArn(arn)?.region ?? alarm.region;
  const lookup = ctx.topic(arn, viewer);
  if (!lookup.found) return { verdict: unknown('topic', lookup.reason) };
  const { topic, inventory } = lookup;
  if (!topic.exists) {
    const fix = fixes.createTopic(arnName(arn), region);
    return { topic, inventory, verdict: fail('topic', `${text}, which ${named('alarm', alarm.name)} notifies, does not exist: create it with ${command(fix)} or point the alarm at an existing topic`, fix) };
  }
  const problems: LinkVerdict[] = [];
  if (topic.kmsMasterKeyId !== undefined && topic.kmsMasterKeyId !== '') {
    if (isAwsManagedKeyAlias(topic.kmsMasterKeyId, 'sns')) {
      const fix = fixes.useCustomerManagedKey(arn, region);
      problems.push(fail('topic', `${text} is encrypted with the AWS managed key alias/aws/sns, whose policy cannot let CloudWatch use it, so alarm notifications are dropped: switch to a customer managed key with ${command(fix)}`, fix));
    } else {
      problems.push(topicKeyVerdict(topic, topic.kmsMasterKeyId, { arn: alarm.arn, accountId: alarmAccountId }, text, ctx, viewer));
    }
  }
  if (topic.policy !== undefined && topic.policy !== '') {
    const decision = cloudWatchMayPublish(topic.policy, { topicArn: arn, alarmArn: alarm.arn, alarmAccountId });
    const fix = fixes.allowCloudWatchToPublish(arn, region);
    if (decision.decision === 'not-allowed') {
      problems.push(fail('topic', `${text} does not let CloudWatch publish (${decision.detail}): allow cloudwatch.amazonaws.com sns:Publish in its policy with ${command(fix)}`, fix));
    } else if (decision.decision === 'undetermined') {
      problems.push(unknown('topic', `trailwatch cannot verify that ${text} lets CloudWatch publish: ${decision.detail}`));
    }
  }
  return { topic, inventory, verdict: firstProblem(problems) };
}

export function subscriptionVerdict(topic: TopicRecord, inventory: AccountInventory, ctx: EvaluationContext, viewer: string): LinkVerdict {
  const text = topicText(topic.arn, viewer);
  if (topic.subscriptions === undefined) {
    const error = findReadError(inventory, 'subscriptions', { resources: [topic.arn] });
    return unknown('subscription', `trailwatch could not read the subscriptions of ${text} (${error ? describeReadError(error) : 'they were not collected'})`);
  }
  const confirmed = topic.subscriptions.filter((subscription) => subscription.subscriptionArn.startsWith('arn:'));
  if (confirmed.length > 0) return deliveryVerdict(topic, confirmed, text, ctx, viewer);
  const pending = topic.subscriptions.filter((subscription) => subscription.subscriptionArn === 'PendingConfirmation');
  if (pending.length > 0) {
    const endpoints = [...new Set(pending.map((subscription) => subscription.endpoint))];
    return fail('subscription', `${text} has no confirmed subscription yet: it will pass once ${orList(endpoints)} confirms the subscription (AWS sent a confirmation message)`);
  }
  const fix = fixes.subscribe(topic.arn, topic.region);
  return fail('subscription', `${text} has no subscribers, so nobody hears its alarms: subscribe someone with ${command(fix)}`, fix);
}
