/**
 * Does a topic policy let CloudWatch publish an alarm's notification? CloudWatch publishes as the
 * service principal cloudwatch.amazonaws.com on behalf of the alarm's account, with
 * aws:SourceArn (the alarm) and aws:SourceAccount / aws:SourceOwner (its account) in the request
 * context: the default topic policy (`"AWS": "*"` with `AWS:SourceOwner` = the topic's account)
 * lets same-account alarms publish. Judged by src/evaluate/policy.ts: what it cannot evaluate is
 * "undetermined", never "allowed".
 */
import { decide, type PolicyDecision } from '../policy';

export type { PolicyDecision } from '../policy';

interface RequestContext {
  readonly topicArn: string;
  readonly alarmArn: string;
  readonly alarmAccountId: string;
}

export function cloudWatchMayPublish(policyText: string, context: RequestContext): PolicyDecision {
  const decision = decide(policyText, {
    service: 'cloudwatch.amazonaws.com',
    actions: ['sns:Publish'],
    resource: context.topicArn,
    context: { 'aws:SourceArn': context.alarmArn, 'aws:SourceAccount': context.alarmAccountId, 'aws:SourceOwner': context.alarmAccountId },
  });
  if (decision.decision === 'not-allowed' && decision.detail.startsWith('no statement')) {
    return { decision: 'not-allowed', detail: `${decision.detail} for alarms of account ${context.alarmAccountId}` };
  }
  return decision;
}
