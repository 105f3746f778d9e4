/**
 * A findings topic with an SQS queue subscribed to it, on this worker's moto, and what went
 * through it. SQS is only a test subscriber, so its client is built here rather than in
 * src/aws/clients.ts (which holds the clients trailwatch itself uses).
 */
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { AwsClients } from '../../src/aws/clients';
import { MOTO_CREDENTIALS } from '../../src/demo/moto';
import { motoEndpoint } from '../support/moto';

export const SCANNER_ACCOUNT = '123456789012';
export const REGION = 'us-east-1';

export interface Delivery {
  readonly subject: string | undefined;
  /** What an SQS (or any non-email) subscriber receives: the `default` JSON. */
  readonly message: string;
  readonly attributes: Record<string, { Type: string; Value: string }>;
}

export function sqsClient(): SQSClient {
  return new SQSClient({ region: REGION, endpoint: motoEndpoint(), credentials: MOTO_CREDENTIALS });
}

export async function createTopicWithQueue(clients: AwsClients, name = 'trailwatch-findings'): Promise<{ topicArn: string; queueUrl: string }> {
  const sns = clients.sns({ accountId: SCANNER_ACCOUNT }, REGION);
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: name }));
  const sqs = sqsClient();
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-subscriber` }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: Attributes?.QueueArn }));
  sqs.destroy();
  return { topicArn: TopicArn as string, queueUrl: QueueUrl as string };
}

export async function createBucket(clients: AwsClients, bucket = 'trailwatch-reports'): Promise<string> {
  await clients.s3({ accountId: SCANNER_ACCOUNT }, REGION).send(new CreateBucketCommand({ Bucket: bucket }));
  return bucket;
}

/** Every message waiting in the queue (SNS's JSON envelope unwrapped), in order of their part attribute. */
export async function receiveAll(queueUrl: string): Promise<Delivery[]> {
  const sqs = sqsClient();
  const deliveries: Delivery[] = [];
  for (;;) {
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    if (!Messages || Messages.length === 0) break;
    for (const m of Messages) {
      const body = JSON.parse(m.Body ?? '{}') as { Subject?: string; Message: string; MessageAttributes?: Delivery['attributes'] };
      deliveries.push({ subject: body.Subject, message: body.Message, attributes: body.MessageAttributes ?? {} });
    }
  }
  sqs.destroy();
  return deliveries.sort((a, b) => Number(a.attributes.part?.Value ?? 0) - Number(b.attributes.part?.Value ?? 0));
}

/**
 * The messages as SNS received them (moto's own record), for what an email subscriber gets:
 * moto delivers no email, and an SQS subscriber only ever sees the `default` key.
 */
export async function publishedEnvelopes(topicArn: string): Promise<{ subject: string; default: string; email: string }[]> {
  const response = await fetch(`${motoEndpoint()}/moto-api/data.json`);
  const data = (await response.json()) as { sns?: { Topic?: { arn: string; sent_notifications: [string, string, string][] }[] } };
  const topic = data.sns?.Topic?.find((t) => t.arn === topicArn);
  return (topic?.sent_notifications ?? []).map(([, message, subject]) => ({ subject, ...(JSON.parse(message) as { default: string; email: string }) }));
}
