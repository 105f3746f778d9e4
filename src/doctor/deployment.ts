/**
 * How the doctor learns where a deployment's parts are: from the function's validated
 * environment. Inside the scan function that is its own; from a terminal, the one stack.ts reads
 * from the stack's function, so both paths end here and can never disagree about a name.
 */
import type { LambdaSettings } from '../config';
import { DEFAULT_REPORT_PREFIX } from '../notify/store';
import type { Deployment, OptionalPart } from './types';

/** The parts the function's settings switch on, each to be checked for existence. */
function optionalPartsOf(settings: LambdaSettings): OptionalPart[] {
  const parts: OptionalPart[] = [];
  const reused = settings.remediation?.alertTopicArn;
  if (reused !== undefined) parts.push({ name: 'the remediation alert topic', kind: 'sns-topic', id: reused, setting: 'REMEDIATION_ALERT_TOPIC_ARN' });
  // The watch's rule is looked up on its bus: a missing bus shows as a missing rule.
  const watch = settings.deployment?.watch;
  if (watch) {
    parts.push({ name: `the watch's rule (on bus ${watch.busName})`, kind: 'eventbridge-rule', id: watch.ruleName, eventBusName: watch.busName, setting: 'the watch parameter (WATCH_RULE_NAME)' });
    if (watch.queueUrl) parts.push({ name: "the watch's queue", kind: 'sqs-queue', id: watch.queueUrl, setting: 'the watch parameter (WATCH_QUEUE_URL)' });
  }
  return parts;
}

export function deploymentFromSettings(settings: LambdaSettings, source: string, functionName?: string): Deployment {
  const names = settings.deployment ?? {};
  return {
    source,
    region: settings.homeRegion,
    ...(functionName ? { functionName } : {}),
    findingsTopicArn: settings.notify.topicArn,
    ...(settings.notify.reportBucket ? { reportBucket: settings.notify.reportBucket } : {}),
    reportPrefix: settings.notify.reportPrefix ?? DEFAULT_REPORT_PREFIX,
    ...(names.scheduleRuleName ? { scheduleRuleName: names.scheduleRuleName } : {}),
    memberRoleName: settings.roleName,
    ...(settings.externalId !== undefined ? { externalId: settings.externalId } : {}),
    ...(names.memberStackSetName ? { memberStackSetName: names.memberStackSetName } : {}),
    ...(names.failureQueueUrl ? { failureQueueUrl: names.failureQueueUrl } : {}),
    optionalParts: optionalPartsOf(settings),
  };
}
