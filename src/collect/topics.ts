/**
 * The SNS topics the chain's alarms notify, when they live in this account: attributes
 * (policy, KMS key) and the subscriptions themselves, every page — attribute counts are not
 * trusted. A topic AWS says does not exist is recorded as such. Subscription endpoints are
 * redacted here, as they are read (see endpoints.ts).
 */
import { GetTopicAttributesCommand, ListSubscriptionsByTopicCommand } from '@aws-sdk/client-sns';
import { compact } from './compact';
import { redactedSubscription } from './endpoints';
import type { SubscriptionRecord, TopicRecord } from './inventory';
import { readAllPages } from './paging';
import { isAbort, readErrorCode, toReadError } from './read-errors';
import type { ReadContext } from './types';

export async function readTopic(ctx: ReadContext, topic: { arn: string; region: string; accountId: string }): Promise<TopicRecord> {
  const client = ctx.clients.sns(ctx.session, topic.region);
  let policy: string | undefined;
  let kmsMasterKeyId: string | undefined;
  try {
    const { Attributes } = await ctx.limit(() =>
      client.send(new GetTopicAttributesCommand({ TopicArn: topic.arn }), { abortSignal: ctx.signal }),
    );
    policy = Attributes?.Policy || undefined;
    kmsMasterKeyId = Attributes?.KmsMasterKeyId || undefined;
  } catch (error) {
    if (isAbort(error)) throw error;
    if (readErrorCode(error) === 'NotFound') return { ...topic, exists: false };
    ctx.readErrors.push(toReadError('topic', error, { resource: topic.arn, region: topic.region }));
  }

  let subscriptions: SubscriptionRecord[] | undefined;
  try {
    const listed = await readAllPages(async (token) => {
      const page = await ctx.limit(() =>
        client.send(new ListSubscriptionsByTopicCommand({ TopicArn: topic.arn, NextToken: token }), { abortSignal: ctx.signal }),
      );
      return { items: page.Subscriptions, next: page.NextToken };
    });
    subscriptions = listed.map((s) =>
      redactedSubscription(compact({ subscriptionArn: s.SubscriptionArn ?? '', protocol: s.Protocol ?? '', endpoint: s.Endpoint ?? '', owner: s.Owner })),
    );
  } catch (error) {
    if (isAbort(error)) throw error;
    if (readErrorCode(error) === 'NotFound') return { ...topic, exists: false };
    ctx.readErrors.push(toReadError('subscriptions', error, { resource: topic.arn, region: topic.region }));
  }
  return compact({ ...topic, exists: true, policy, kmsMasterKeyId, subscriptions });
}
