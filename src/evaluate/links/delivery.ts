/**
 * Can the chain really deliver? A confirmed subscription counts only when SNS may send to its
 * endpoint (an SQS queue's policy, a Lambda function's resource policy, and the KMS key of an
 * encrypted queue), and an encrypted topic only when CloudWatch may use its key. The policies
 * are judged where the scan read them (src/evaluate/policy.ts); a resource in an account outside
 * the scan cannot be read, so it passes with a warning saying so. Pure.
 */
import { kmsKeyArn, parseArn } from '../../arn';
import type { ResourcePolicyRecord, SubscriptionRecord, TopicRecord } from '../../collect/inventory';
import { checkedEndpoints, isAwsManagedKeyAlias, MAX_ENDPOINTS_PER_TOPIC } from '../../collect/resource-policies';
import { resourcePolicy, type EvaluationContext } from '../context';
import * as fixes from '../fixes';
import { decide, quoteUntrusted } from '../policy';
import { command, named } from '../text';
import type { BrokenLink } from '../types';
import { fail, pass, unknown, type LinkVerdict } from '../verdict';

/** CloudWatch and SNS need both to use a key: data keys are generated, then decrypted to encrypt each message. */
const KEY_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt'];

function resourceText(kind: string, arn: string, viewer: string): string {
  const parsed = parseArn(arn);
  const name = kind === 'function' ? (parsed?.resource ?? arn).replace(/^function:/, '') : (parsed?.resource ?? arn);
  return named(kind, name, { accountId: parsed?.accountId, region: parsed?.region, viewer });
}

/** Who uses a key, for what, and how the request looks to its policy. */
interface KeyUse {
  readonly link: BrokenLink;
  /** What the key encrypts, as text: "topic 'alerts' (us-east-1)". */
  readonly subject: string;
  /** What breaks without it, as text. */
  readonly consequence: string;
  readonly service: string;
  readonly context: Readonly<Record<string, string>>;
  /** The fix where the key cannot be made usable (an AWS managed key): use another. */
  readonly replaceKey: string;
}

/** Whether the key named `keyId` (relative to `ownerArn`) lets the service use it. */
export function keyVerdict(keyId: string, ownerArn: string, use: KeyUse, ctx: EvaluationContext, viewer: string): LinkVerdict {
  const keyArn = kmsKeyArn(keyId, ownerArn);
  if (keyArn === undefined) {
    return unknown(use.link, `trailwatch cannot tell which KMS key ${quoteUntrusted(keyId)} is, which encrypts ${use.subject}: it is no key ID, alias or ARN`);
  }
  const region = parseArn(keyArn)?.region ?? '';
  const text = resourceText('KMS key', keyArn, viewer);
  const lookup = resourcePolicy(ctx, keyArn);
  if (lookup.state === 'outside') {
    return pass([`${use.subject} is encrypted with ${text}, in account ${lookup.accountId}, which is not in this scan: trailwatch could not check that its key policy lets ${use.service} use it`]);
  }
  if (lookup.state === 'unknown') return unknown(use.link, `trailwatch could not read ${text}, which encrypts ${use.subject} (${lookup.reason})`);
  const { record } = lookup;
  if (record.exists === false) {
    return fail(use.link, `${use.subject} is encrypted with ${text}, which does not exist, so ${use.consequence}: ${command(use.replaceKey)}`, use.replaceKey);
  }
  const key = record.key?.arn ?? keyArn;
  const state = record.key?.state;
  if (state !== undefined && state !== 'Enabled') {
    const fix = state === 'PendingDeletion' ? fixes.cancelKeyDeletion(key, region) : fixes.enableKey(key, region);
    return fail(use.link, `${text}, which encrypts ${use.subject}, is ${state}, so ${use.consequence}: ${state === 'PendingDeletion' ? 'cancel its deletion and enable it' : 'enable it'} with ${command(fix)}`, fix);
  }
  if (record.key?.manager === 'AWS') {
    return fail(use.link, `${use.subject} is encrypted with ${text}, an AWS managed key, whose policy cannot let ${use.service} use it, so ${use.consequence}: use a customer managed key with ${command(use.replaceKey)}`, use.replaceKey);
  }
  const decision = decide(record.policy ?? '{}', { service: use.service, actions: KEY_ACTIONS, resource: key, context: use.context });
  const fix = fixes.putKeyPolicy(key, region);
  if (decision.decision === 'not-allowed') {
    return fail(
      use.link,
      `${text}, which encrypts ${use.subject}, does not let ${use.service} use it (${decision.detail}), so ${use.consequence}: allow ${use.service} kms:GenerateDataKey* and kms:Decrypt in its key policy with ${command(fix)}`,
      fix,
    );
  }
  if (decision.decision === 'undetermined') return unknown(use.link, `trailwatch cannot verify that ${text} lets ${use.service} use it: ${decision.detail}`);
  return pass();
}

/** The KMS key of an encrypted topic: CloudWatch must be able to use it to publish the alarm. */
export function topicKeyVerdict(topic: TopicRecord, keyId: string, alarm: { arn: string; accountId: string }, subject: string, ctx: EvaluationContext, viewer: string): LinkVerdict {
  return keyVerdict(
    keyId,
    topic.arn,
    {
      link: 'topic',
      subject,
      consequence: 'CloudWatch cannot publish its alarms to it',
      service: 'cloudwatch.amazonaws.com',
      context: { 'aws:SourceArn': alarm.arn, 'aws:SourceAccount': alarm.accountId, 'kms:EncryptionContext:aws:sns:topicArn': topic.arn },
      replaceKey: fixes.useCustomerManagedKey(topic.arn, topic.region),
    },
    ctx,
    viewer,
  );
}

function snsContext(topic: TopicRecord): Record<string, string> {
  return { 'aws:SourceArn': topic.arn, 'aws:SourceAccount': topic.accountId };
}

function queueVerdict(record: ResourcePolicyRecord, topic: TopicRecord, text: string, topicName: string, ctx: EvaluationContext, viewer: string): LinkVerdict {
  const region = parseArn(record.arn)?.region ?? topic.region;
  const fix = fixes.allowSnsToSendToQueue(record.arn, region);
  const allow = `allow sns.amazonaws.com sqs:SendMessage with aws:SourceArn ${topic.arn} in its queue policy with ${command(fix)}`;
  if (record.exists === false) {
    const subscribe = fixes.subscribe(topic.arn, topic.region);
    return fail('subscription', `${topicName} delivers to ${text}, which does not exist: subscribe an existing endpoint with ${command(subscribe)}`, subscribe);
  }
  if (record.policy === undefined) return fail('subscription', `${text} has no queue policy, so ${topicName} cannot send to it: ${allow}`, fix);
  const decision = decide(record.policy, { service: 'sns.amazonaws.com', actions: ['sqs:SendMessage'], resource: record.arn, context: snsContext(topic) });
  if (decision.decision === 'not-allowed') return fail('subscription', `${text} does not let ${topicName} send to it (${decision.detail}): ${allow}`, fix);
  if (decision.decision === 'undetermined') return unknown('subscription', `trailwatch cannot verify that ${text} lets ${topicName} send to it: ${decision.detail}`);
  const keyId = record.kmsMasterKeyId;
  if (keyId === undefined) return pass();
  const consequence = `${topicName} cannot send to it`;
  if (isAwsManagedKeyAlias(keyId, 'sqs')) {
    return fail('subscription', `${text} is encrypted with the AWS managed key alias/aws/sqs, whose policy cannot let SNS use it, so ${consequence}: use a customer managed key (or SSE-SQS) with ${command(fix)}`, fix);
  }
  return keyVerdict(
    keyId,
    record.arn,
    {
      link: 'subscription',
      subject: text,
      consequence,
      service: 'sns.amazonaws.com',
      context: { ...snsContext(topic), 'kms:EncryptionContext:aws:sqs:arn': record.arn },
      replaceKey: fix,
    },
    ctx,
    viewer,
  );
}

function functionVerdict(record: ResourcePolicyRecord, topic: TopicRecord, text: string, topicName: string): LinkVerdict {
  const region = parseArn(record.arn)?.region ?? topic.region;
  const fix = fixes.allowSnsToInvoke(record.arn, topic.arn, region);
  if (record.policy === undefined) {
    return fail('subscription', `${text} has no resource policy letting ${topicName} invoke it (or it does not exist): grant it with ${command(fix)}`, fix);
  }
  const decision = decide(record.policy, { service: 'sns.amazonaws.com', actions: ['lambda:InvokeFunction'], resource: record.arn, context: snsContext(topic) });
  if (decision.decision === 'not-allowed') return fail('subscription', `${text} does not let ${topicName} invoke it (${decision.detail}): grant it with ${command(fix)}`, fix);
  if (decision.decision === 'undetermined') return unknown('subscription', `trailwatch cannot verify that ${text} lets ${topicName} invoke it: ${decision.detail}`);
  return pass();
}

/** Whether one confirmed subscription of the topic can receive what the topic publishes. */
function subscriptionDelivers(subscription: SubscriptionRecord, checked: ReadonlySet<SubscriptionRecord>, topic: TopicRecord, topicName: string, ctx: EvaluationContext, viewer: string): LinkVerdict {
  const { protocol, endpoint } = subscription;
  // Email, HTTPS, SMS and the rest have no resource policy that could refuse SNS.
  if (protocol !== 'sqs' && protocol !== 'lambda') return pass();
  const kind = protocol === 'sqs' ? 'queue' : 'function';
  if (parseArn(endpoint)?.service !== protocol) return unknown('subscription', `trailwatch cannot read the ${kind} ${quoteUntrusted(endpoint)} that ${topicName} delivers to: it is not an ARN`);
  const text = resourceText(kind, endpoint, viewer);
  if (!checked.has(subscription)) {
    return pass([`${topicName} has more than ${MAX_ENDPOINTS_PER_TOPIC} queue and function subscribers: trailwatch checked the first ${MAX_ENDPOINTS_PER_TOPIC}, not ${text}`]);
  }
  const lookup = resourcePolicy(ctx, endpoint);
  if (lookup.state === 'outside') {
    return pass([`${text}, which ${topicName} delivers to, is in account ${lookup.accountId}, which is not in this scan: trailwatch could not check that its policy lets SNS deliver`]);
  }
  if (lookup.state === 'unknown') return unknown('subscription', `trailwatch could not read the policy of ${text}, which ${topicName} delivers to (${lookup.reason})`);
  return protocol === 'sqs' ? queueVerdict(lookup.record, topic, text, topicName, ctx, viewer) : functionVerdict(lookup.record, topic, text, topicName);
}

/**
 * The subscription link for a topic with confirmed subscriptions: it works when one of them can
 * receive. One that cannot is still worth a warning when another does; when none surely does, a
 * subscription trailwatch could not judge makes it unknown (never a FAIL it might not deserve).
 */
export function deliveryVerdict(topic: TopicRecord, confirmed: readonly SubscriptionRecord[], topicName: string, ctx: EvaluationContext, viewer: string): LinkVerdict {
  const checked = new Set(checkedEndpoints(topic));
  const verdicts = confirmed.map((subscription) => subscriptionDelivers(subscription, checked, topic, topicName, ctx, viewer));
  const broken = verdicts.flatMap((verdict) => (verdict.outcome === 'fail' ? [verdict] : []));
  const clean = verdicts.find((verdict) => verdict.outcome === 'pass' && (verdict.warnings ?? []).length === 0);
  if (clean) return pass(broken.map((verdict) => `also: ${verdict.reason}`));
  const warned = verdicts.find((verdict) => verdict.outcome === 'pass');
  if (warned) return pass([...(warned.warnings ?? []), ...broken.map((verdict) => `also: ${verdict.reason}`)]);
  const chosen = verdicts.find((verdict) => verdict.outcome === 'unknown') ?? broken[0];
  if (!chosen || chosen.outcome === 'pass') return pass();
  const others = verdicts.flatMap((verdict) => (verdict !== chosen && verdict.outcome !== 'pass' ? [`also: ${verdict.reason}`] : []));
  return others.length > 0 ? { ...chosen, warnings: others } : chosen;
}
